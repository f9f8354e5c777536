/**
 * ExtensionImageLayer.fromLayerVersionArn for real: the layer is published to the deploy emulator
 * (ministack's Lambda API), the image is built as cdk-assets builds it, with the credentials file
 * as a build secret, whose profile points at the emulator through the ministack shim (which
 * records the key each call was signed with). The layer's code must be in the image, fetched with
 * those credentials, and no byte of the credentials anywhere: not in a layer, the history, the
 * config, the Dockerfile or the asset manifest.
 */
import { execFile, execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { LambdaClient, PublishLayerVersionCommand } from '@aws-sdk/client-lambda';
import AdmZip from 'adm-zip';
import { Stack } from 'aws-cdk-lib';
import { clientConfig, EMULATOR, REGION } from './deploy-target';
import { engineEnv, HOST_ARCH, synth } from './helpers';
import { MinistackShim, startMinistackShim } from './ministack-shim';
import { BaseImage, ExtensionImageLayer, LambdaContainerFunction } from '../src';
import { findFunction } from '../src/cli/local/assembly';
import { invokeFunction } from '../src/cli/local/container';
import { buildArguments, localTag } from '../src/cli/local/image-build';

const env = engineEnv();
Object.assign(process.env, env);
const ACCESS_KEY = 'AKIAE2ELAYERSECRET01';
const SECRET_KEY = 'e2e-layer-secret-7c41d9a0b2f35e68';

let shim: MinistackShim;
/** The published layer version; a new layer name each run, so the fetch step is not served from an earlier run's build cache. */
let arn: string;
let dir: string;
let assembly: string;

beforeAll(async () => {
  shim = await startMinistackShim(EMULATOR);
  const zip = new AdmZip();
  zip.addFile('python/layer_lib.py', Buffer.from('VALUE = "fetched by ARN"\n'), '', 0o644 * 0x10000);
  const published = await new LambdaClient(clientConfig).send(new PublishLayerVersionCommand({
    LayerName: `shared-lib-${Date.now()}`,
    Content: { ZipFile: zip.toBuffer() },
    CompatibleRuntimes: ['python3.13'],
  }));
  arn = published.LayerVersionArn!;

  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clc-e2e-arn-'));
  const credentials = path.join(dir, 'layer-credentials');
  fs.writeFileSync(credentials, `[default]\naws_access_key_id = ${ACCESS_KEY}\naws_secret_access_key = ${SECRET_KEY}\nregion = ${REGION}\nendpoint_url = ${shim.endpoint}\n`, { mode: 0o600 });
  const code = path.join(dir, 'code');
  fs.mkdirSync(code);
  fs.writeFileSync(path.join(code, 'app.py'), 'import layer_lib\n\n\ndef handler(event, context):\n    return {"layer": layer_lib.VALUE}\n');
  assembly = synth('layer-arn', app => new LambdaContainerFunction(new Stack(app, 'LayerArn'), 'Fn', {
    baseImage: BaseImage.python('3.13'),
    entry: code,
    cmd: ['app.handler'],
    imageLayers: [ExtensionImageLayer.fromLayerVersionArn(arn, { credentialsFile: credentials })],
    architecture: HOST_ARCH,
  }));

  // Built as cdk-assets builds it (same arguments, the secret included).
  const asset = findFunction(assembly, 'Fn').asset!;
  await promisify(execFile)('podman', buildArguments(asset), { cwd: asset.directory, env: { ...env, BUILDX_NO_DEFAULT_ATTESTATIONS: '1' }, maxBuffer: 64 * 1024 * 1024 });
});

afterAll(() => shim?.close());

test('the build fetched the layer with the secret\'s credentials, and the function imports it from /opt/python', async () => {
  const fetched = shim.calls.filter(c => c.action.startsWith('GET /2018-10-31/layers') && decodeURIComponent(c.action).includes(arn));
  expect(fetched.map(c => c.accessKeyId)).toEqual([ACCESS_KEY]);
  const result = await invokeFunction(assembly, 'Fn', Buffer.from('{}'), { engine: 'podman', rie: env.E2E_RIE, build: false });
  expect(JSON.parse(result.body)).toEqual({ layer: 'fetched by ARN' });
});

test('no byte of the credentials is in any image layer, the history, the config, the Dockerfile or the manifest', () => {
  const asset = findFunction(assembly, 'Fn').asset!;
  const archive = path.join(dir, 'image.tar');
  execFileSync('podman', ['save', '--format', 'docker-archive', '--output', archive, localTag(asset)], { env, stdio: 'pipe' });
  const unpacked = path.join(dir, 'image');
  fs.mkdirSync(unpacked);
  execFileSync('tar', ['-xf', archive, '-C', unpacked]);
  const layerTars = fs.readdirSync(unpacked, { recursive: true }).map(String).filter(f => f.endsWith('.tar'));
  expect(layerTars.length).toBeGreaterThan(1);

  const places: Record<string, Buffer> = {
    'history': execFileSync('podman', ['history', '--no-trunc', '--format', 'json', localTag(asset)], { env }),
    'config': execFileSync('podman', ['image', 'inspect', localTag(asset)], { env }),
    'Dockerfile': fs.readFileSync(path.join(asset.directory, 'Dockerfile')),
    'asset manifest': fs.readFileSync(path.join(assembly, 'LayerArn.assets.json')),
  };
  for (const tar of layerTars) places[tar] = fs.readFileSync(path.join(unpacked, tar));
  for (const [place, bytes] of Object.entries(places)) {
    for (const secret of [ACCESS_KEY, SECRET_KEY]) {
      expect({ place, found: bytes.includes(secret) }).toEqual({ place, found: false });
    }
  }
  // The layer's file is in one of those layers: the scan read real content.
  expect(Object.values(places).some(bytes => bytes.includes('fetched by ARN'))).toBe(true);
});
