/**
 * Extension image layers for real: a Python function on the AWS base image (stand-in) with an
 * external extension from a directory, an adapter-style extension copied from a publisher's
 * layer image, a wrapper script and a shared library from a layer .zip; built with podman and
 * run under the RIE, whose Extensions API must see both extensions register.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import AdmZip from 'adm-zip';
import { Stack } from 'aws-cdk-lib';
import { engine, engineEnv, HOST_ARCH, synth } from './helpers';
import { BaseImage, ExtensionImageLayer, FunctionImage, LambdaContainerFunction, LayerImage, RuntimeInterfaceClient } from '../src';
import { findFunction, readImageAssets } from '../src/cli/local/assembly';
import { invokeFunction } from '../src/cli/local/container';
import { buildArguments, buildFunction, localTag } from '../src/cli/local/image-build';

const env = engineEnv();
Object.assign(process.env, env);
const ADAPTER_IMAGE = 'localhost/e2e/adapter-layer:1';

/** An external extension: registers with the Extensions API, records its id in /tmp, follows events. */
const EXTENSION = `#!/usr/bin/python3
import json, os, sys, urllib.request
api = os.environ["AWS_LAMBDA_RUNTIME_API"]
name = os.path.basename(sys.argv[0])
req = urllib.request.Request(f"http://{api}/2020-01-01/extension/register", data=json.dumps({"events": ["INVOKE", "SHUTDOWN"]}).encode(), headers={"Lambda-Extension-Name": name}, method="POST")
with urllib.request.urlopen(req) as r:
    ext_id = r.headers["Lambda-Extension-Identifier"]
with open(f"/tmp/extension-{name}", "w") as f:
    f.write(ext_id)
print(f"[{name}] registered", flush=True)
while True:
    with urllib.request.urlopen(urllib.request.Request(f"http://{api}/2020-01-01/extension/event/next", headers={"Lambda-Extension-Identifier": ext_id})) as r:
        event = json.load(r)
    if event["eventType"] == "SHUTDOWN":
        break
`;

const HANDLER = `import os
import shared_lib


def handler(event, context):
    return {
        "extensions": sorted(f[len("extension-"):] for f in os.listdir("/tmp") if f.startswith("extension-")),
        "wrapped_by": os.environ.get("WRAPPED_BY"),
        "shared": shared_lib.VALUE,
        "event": event,
    }
`;

function tree(files: Record<string, { content: string | Buffer; mode?: number }>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clc-e2e-ext-'));
  for (const [rel, { content, mode }] of Object.entries(files)) {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
    if (mode) fs.chmodSync(p, mode);
  }
  return dir;
}

let assembly: string;

beforeAll(() => {
  // A publisher's layer image, as the Lambda Web Adapter ships one: FROM scratch, one executable at the root.
  const adapter = tree({ 'lambda-adapter': { content: EXTENSION, mode: 0o755 }, 'Dockerfile': { content: 'FROM scratch\nCOPY lambda-adapter /lambda-adapter\n' } });
  engine(['build', '--quiet', '--tag', ADAPTER_IMAGE, adapter], env);

  const probe = tree({ 'extensions/probe': { content: EXTENSION, mode: 0o755 } });
  const wrapper = tree({ 'wrapper.sh': { content: '#!/bin/sh\nexport WRAPPED_BY=wrapper.sh\nexec "$@"\n' } });
  const zip = new AdmZip();
  zip.addFile('python/shared_lib.py', Buffer.from('VALUE = "from the layer zip"\n'), '', 0o644 * 0x10000);
  const zipPath = path.join(tree({}), 'shared-layer.zip');
  zip.writeZip(zipPath);

  const layers = [
    ExtensionImageLayer.fromDirectory(probe),
    ExtensionImageLayer.fromImage(ADAPTER_IMAGE, { source: '/lambda-adapter', destination: '/opt/extensions/lambda-adapter' }),
    ExtensionImageLayer.wrapperScript(path.join(wrapper, 'wrapper.sh')),
    ExtensionImageLayer.fromLayerAsset(zipPath),
  ];
  // Your own Dockerfile gets the same layers, right after its final FROM.
  const own = tree({
    'Dockerfile': { content: `FROM public.ecr.aws/lambda/python:3.13-${HOST_ARCH.name}\nCOPY app.py \${LAMBDA_TASK_ROOT}/\nCMD ["app.handler"]\n` },
    'app.py': { content: HANDLER },
  });
  assembly = synth('extensions', app => {
    const stack = new Stack(app, 'Extensions');
    new LambdaContainerFunction(stack, 'Own', { image: FunctionImage.fromImageAsset(own, { imageLayers: layers }), architecture: HOST_ARCH });
    for (const name of ['First', 'Second']) {
      new LambdaContainerFunction(stack, name, {
        baseImage: BaseImage.python('3.13'),
        entry: tree({ 'app.py': { content: `${HANDLER}\nNAME = "${name}"\n` } }),
        cmd: ['app.handler'],
        imageLayers: layers,
        architecture: HOST_ARCH,
      });
    }
  });
});

test('both extensions register with the Extensions API, the wrapper runs, the zip layer is importable', async () => {
  const result = await invokeFunction(assembly, 'First', Buffer.from('{"ping":1}'), { engine: 'podman', rie: env.E2E_RIE });
  expect(JSON.parse(result.body)).toEqual({ extensions: ['lambda-adapter', 'probe'], wrapped_by: 'wrapper.sh', shared: 'from the layer zip', event: { ping: 1 } });
  expect(result.logs).toMatch(/External agent probe \(\S+\) registered, subscribed to \[INVOKE SHUTDOWN\]/);
  expect(result.logs).toMatch(/External agent lambda-adapter \(\S+\) registered/);
});

test('the same layers in your own Dockerfile: extensions register, the wrapper runs, the zip layer is importable', async () => {
  const result = await invokeFunction(assembly, 'Own', Buffer.from('{"own":true}'), { engine: 'podman', rie: env.E2E_RIE });
  expect(JSON.parse(result.body)).toEqual({ extensions: ['lambda-adapter', 'probe'], wrapped_by: 'wrapper.sh', shared: 'from the layer zip', event: { own: true } });
});

test('the same layers in two functions with different code give identical image layers, even without a build cache', async () => {
  const layersOf = (image: string) => JSON.parse(engine(['image', 'inspect', '--format', '{{json .RootFS.Layers}}', image], env)) as string[];
  const base = layersOf(`public.ecr.aws/lambda/python:3.13-${HOST_ARCH.name}`);
  const first = layersOf((await buildFunction(assembly, 'First', { engine: 'podman', quiet: true })).tag);
  // The second one from scratch: equal layers must come from equal bytes, not from the cache.
  const asset = findFunction(assembly, 'Second').asset!;
  execFileSync('podman', [...buildArguments(asset).slice(0, -1), '--no-cache', '.'], { cwd: asset.directory, env, stdio: 'pipe' });
  const second = layersOf(localTag(asset));
  // base, then the four extension layers (identical), then the code (different).
  expect(first.slice(0, base.length)).toEqual(base);
  expect(first.slice(base.length, base.length + 4)).toEqual(second.slice(base.length, base.length + 4));
  expect(first[first.length - 1]).not.toEqual(second[second.length - 1]);
  expect(first.length).toBe(base.length + 5);
});

test('a LayerImage is built on its own and another app copies it with fromImage', async () => {
  const probe = tree({ 'extensions/probe': { content: EXTENSION, mode: 0o755 } });
  const published = synth('layer-image', app => new LayerImage(new Stack(app, 'Layers'), 'Probe', { imageLayers: [ExtensionImageLayer.fromDirectory(probe)], architecture: HOST_ARCH }));
  const [asset] = readImageAssets(published).values();
  execFileSync('podman', buildArguments(asset), { cwd: asset.directory, env, stdio: 'pipe' });
  // The other app knows only the image reference (here the local tag; in AWS, the pushed URI).
  const consumer = synth('layer-image-consumer', app => new LambdaContainerFunction(new Stack(app, 'Consumer'), 'Fn', {
    baseImage: BaseImage.python('3.13'),
    entry: tree({ 'app.py': { content: 'import os\n\n\ndef handler(event, context):\n    return sorted(os.listdir("/opt/extensions"))\n' } }),
    cmd: ['app.handler'],
    imageLayers: [ExtensionImageLayer.fromImage(`localhost/${localTag(asset)}:latest`)],
    architecture: HOST_ARCH,
  }));
  const result = await invokeFunction(consumer, 'Fn', Buffer.from('{}'), { engine: 'podman', rie: env.E2E_RIE });
  expect(JSON.parse(result.body)).toEqual(['probe']);
  expect(result.logs).toMatch(/External agent probe \(\S+\) registered/);
});

test('a runtime hook: nodeRequire preloads a module into the Node.js runtime (alternative base + RIC)', async () => {
  const hook = tree({ 'hook.js': { content: 'globalThis.__hookLoaded = true;\nprocess.env.HOOKED_BY = "nodeRequire";\n' } });
  const hooked = synth('node-hook', app => new LambdaContainerFunction(new Stack(app, 'NodeHook'), 'Fn', {
    baseImage: BaseImage.fromRegistry('node:22-bookworm-slim', { ric: RuntimeInterfaceClient.nodejs() }),
    entry: tree({ 'index.js': { content: 'exports.handler = async () => ({ loaded: globalThis.__hookLoaded === true, hookedBy: process.env.HOOKED_BY ?? null });\n' } }),
    cmd: ['index.handler'],
    imageLayers: [ExtensionImageLayer.nodeRequire(path.join(hook, 'hook.js'))],
    architecture: HOST_ARCH,
  }));
  const result = await invokeFunction(hooked, 'Fn', Buffer.from('{}'), { engine: 'podman', rie: env.E2E_RIE });
  expect(JSON.parse(result.body)).toEqual({ loaded: true, hookedBy: 'nodeRequire' });
});

