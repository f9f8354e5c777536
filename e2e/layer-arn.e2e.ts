/**
 * ExtensionImageLayer.fromLayerVersionArn for real: a Lambda API stand-in on loopback answers
 * GetLayerVersionByArn (only to requests signed with the test's credentials) and serves the layer
 * .zip; the image is built as cdk-assets builds it, with the credentials file as a build secret.
 * The layer's code must be in the image and no byte of the credentials anywhere: not in a layer,
 * the history, the config, the Dockerfile or the asset manifest.
 */
import { execFile, execFileSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import AdmZip from 'adm-zip';
import { Stack } from 'aws-cdk-lib';
import { engineEnv, HOST_ARCH, synth } from './helpers';
import { BaseImage, ExtensionImageLayer, LambdaContainerFunction } from '../src';
import { buildArguments, localTag } from '../src/cli/build';
import { findFunction } from '../src/cli/cloud-assembly';
import { invokeFunction } from '../src/cli/invoke';

const env = engineEnv();
Object.assign(process.env, env);
const ACCESS_KEY = 'AKIAE2ELAYERSECRET01';
const SECRET_KEY = 'e2e-layer-secret-7c41d9a0b2f35e68';
// A new version each run: the fetch step is not served from an earlier run's build cache.
const ARN = `arn:aws:lambda:us-east-1:123456789012:layer:shared-lib:${Date.now() % 1_000_000}`;

let server: http.Server;
const requests: Array<{ url: string; accessKey?: string }> = [];
let dir: string;
let assembly: string;

beforeAll(async () => {
  const zip = new AdmZip();
  zip.addFile('python/layer_lib.py', Buffer.from('VALUE = "fetched by ARN"\n'), '', 0o644 * 0x10000);
  const zipBytes = zip.toBuffer();
  server = http.createServer((req, res) => {
    const accessKey = /Credential=([^/]+)\//.exec(req.headers.authorization ?? '')?.[1];
    requests.push({ url: req.url!, accessKey });
    const url = new URL(req.url!, 'http://stand-in');
    if (url.pathname === '/layer.zip') {
      res.writeHead(200, { 'content-type': 'application/zip' }).end(zipBytes);
    } else if (url.pathname === '/2018-10-31/layers' && url.searchParams.get('Arn') === ARN && accessKey === ACCESS_KEY) {
      const { port } = server.address() as AddressInfo;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
        LayerArn: ARN.replace(/:\d+$/, ''),
        LayerVersionArn: ARN,
        Version: Number(ARN.split(':').pop()),
        Content: { Location: `http://127.0.0.1:${port}/layer.zip`, CodeSize: zipBytes.length },
      }));
    } else {
      res.writeHead(403, { 'content-type': 'application/json', 'x-amzn-errortype': 'AccessDeniedException' }).end('{"Message":"denied"}');
    }
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clc-e2e-arn-'));
  const credentials = path.join(dir, 'layer-credentials');
  fs.writeFileSync(credentials, `[default]\naws_access_key_id = ${ACCESS_KEY}\naws_secret_access_key = ${SECRET_KEY}\nregion = us-east-1\nendpoint_url = http://127.0.0.1:${port}\n`, { mode: 0o600 });
  const code = path.join(dir, 'code');
  fs.mkdirSync(code);
  fs.writeFileSync(path.join(code, 'app.py'), 'import layer_lib\n\n\ndef handler(event, context):\n    return {"layer": layer_lib.VALUE}\n');
  assembly = synth('layer-arn', app => new LambdaContainerFunction(new Stack(app, 'LayerArn'), 'Fn', {
    baseImage: BaseImage.python('3.13'),
    code,
    cmd: ['app.handler'],
    imageLayers: [ExtensionImageLayer.fromLayerVersionArn(ARN, { credentialsFile: credentials })],
    architecture: HOST_ARCH,
  }));

  // Built as cdk-assets builds it (same arguments, the secret included), while this process serves the API.
  const asset = findFunction(assembly, 'Fn').asset!;
  await promisify(execFile)('podman', buildArguments(asset), { cwd: asset.directory, env: { ...env, BUILDX_NO_DEFAULT_ATTESTATIONS: '1' }, maxBuffer: 64 * 1024 * 1024 });
});

afterAll(() => new Promise<void>(resolve => server?.close(() => resolve())));

test('the build fetched the layer with the secret\'s credentials, and the function imports it from /opt/python', async () => {
  expect(requests.filter(r => r.url.startsWith('/2018-10-31/layers')).map(r => r.accessKey)).toEqual([ACCESS_KEY]);
  expect(requests.some(r => r.url === '/layer.zip')).toBe(true);
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
