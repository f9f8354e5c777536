import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Stack, StackProps } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { BaseImage, FunctionImage, LambdaContainerFunction, SharedImageRepository, SharedImageRepositorySynthesizer } from '../src';

/** Temp directories made by the helpers below, removed after each test file (CI runs again and again on one machine). */
const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** A fixed "today" so deprecation warnings do not depend on the day the tests run. */
export const TODAY = '2026-11-22';

/** A fresh app + stack whose cloud assembly goes to a temp dir. */
export function newStack(context: Record<string, unknown> = {}): { app: App; stack: Stack } {
  const app = new App({ outdir: tempDir('clc-test-'), context: { 'cdk-lambda-container:today': TODAY, ...context } });
  const stack = new Stack(app, 'TestStack', { env: { account: '123456789012', region: 'us-east-1' } });
  return { app, stack };
}

/** Writes files (relative path → content) into a new temp directory and returns it. */
export function tempTree(files: Record<string, string>): string {
  const dir = tempDir('clc-src-');
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
  return dir;
}

/** Snapshot serializer that masks 64-hex asset hashes, so snapshots track structure, not bytes. */
export const assetHashSerializer: jest.SnapshotSerializerPlugin = {
  test: (val: unknown) => typeof val === 'string' && /[0-9a-f]{64}/.test(val),
  print: (val: unknown) => JSON.stringify((val as string).replace(/[0-9a-f]{64}/g, '<asset-hash>')),
};

/** A layer directory with an executable extension and a shared library. */
export function telemetryDir(): string {
  const dir = path.join(tempTree({ 'telemetry/extensions/telemetry': '#!/bin/sh\necho telemetry\n', 'telemetry/telemetry/lib.py': 'X = 1\n' }), 'telemetry');
  fs.chmodSync(path.join(dir, 'extensions/telemetry'), 0o755);
  return dir;
}

/** The staged build context of the (first) function's image, from its asset metadata ('aws:cdk:enable-asset-metadata'). */
export function contextOf(app: { outdir: string }, template: Template): string {
  const fn = Object.values(template.findResources('AWS::Lambda::Function'))[0] as any;
  return path.join(app.outdir, fn.Metadata['aws:asset:path']);
}

export const PY_CODE = { 'app.py': 'def handler(event, context):\n    return {"ok": True}\n' };
export const NODE_CODE = { 'index.mjs': 'export const handler = async () => ({ ok: true });\n' };

/** A Python handler in src/ with a requirements.txt beside it. */
export function pythonProject(): { entry: string; requirements: string } {
  const dir = tempTree({ ...Object.fromEntries(Object.entries(PY_CODE).map(([k, v]) => [`src/${k}`, v])), 'src/requirements.txt': 'pillow==11.0.0\n' });
  return { entry: path.join(dir, 'src'), requirements: path.join(dir, 'src', 'requirements.txt') };
}

/** Docker image assets of the synthesized stack's asset manifest. */
export function dockerImages(app: App, stackName = 'TestStack'): Record<string, any> {
  const assembly = app.synth();
  return JSON.parse(fs.readFileSync(path.join(assembly.directory, `${stackName}.assets.json`), 'utf8')).dockerImages ?? {};
}

/** Every file under root (relative paths, sorted). */
export function listFiles(root: string, rel = ''): string[] {
  return fs.readdirSync(path.join(root, rel), { withFileTypes: true }).flatMap(e => {
    const p = rel ? `${rel}/${e.name}` : e.name;
    return e.isDirectory() ? listFiles(root, p) : [p];
  }).sort();
}

/** A synthesized app with two functions (A, B) sharing one generated Python image; returns the cloud assembly directory. */
export function synthesizedApp(): string {
  const { app, stack } = newStack({ 'aws:cdk:enable-path-metadata': true });
  const entry = tempTree({ 'app.py': 'def a(e, c): return 1\n' });
  const image = FunctionImage.fromEntry(entry, { baseImage: BaseImage.python('3.13') });
  new LambdaContainerFunction(stack, 'A', { image, cmd: ['app.a'] });
  new LambdaContainerFunction(stack, 'B', { image, cmd: ['app.b'], architecture: lambda.Architecture.X86_64 });
  return app.synth().directory;
}

/** The account and region of the shared-repository tests' stacks. */
export const ENV = { account: '111111111111', region: 'eu-west-1' };
/** A Python handler directory. */
export const handler = () => tempTree({ 'app.py': 'def handler(e, c): return 1\n' });

/** An app whose stacks all use the synthesizer, a repository stack, and a functions stack. */
export function twoStacks(props: { functions?: StackProps; app?: App } = {}) {
  const app = props.app ?? new App({ defaultStackSynthesizer: new SharedImageRepositorySynthesizer(), context: { 'cdk-lambda-container:today': TODAY } });
  const images = new Stack(app, 'Images', { env: ENV });
  const repository = new SharedImageRepository(images, 'Repository', { repositoryName: 'shared' });
  const functions = new Stack(app, 'Functions', { env: ENV, ...props.functions });
  return { app, images, repository, functions };
}

/** Keys whose values are maps of the user's data: compared as "a map", not key by key. */
export const DATA_MAPS = new Set(['headers', 'multiValueHeaders', 'queryStringParameters', 'multiValueQueryStringParameters', 'pathParameters',
  'stageVariables', 'MessageAttributes', 'messageAttributes', 'Keys', 'NewImage', 'OldImage', 'detail']);

/** The structure of a JSON value: keys recursively and leaf types; an array as the set of its elements' structures. */
export function shape(value: unknown, key = ''): unknown {
  if (DATA_MAPS.has(key)) return 'map';
  if (Array.isArray(value)) return [...new Set(value.map(v => JSON.stringify(shape(v))))].sort().map(s => JSON.parse(s));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map(k => [k, shape((value as Record<string, unknown>)[k], k)]));
  }
  return value === null ? 'null' : typeof value;
}

/** A synthesized app with an HTTP API (2.0 and 1.0 routes), a REST API (resources, greedy proxy) and a function URL in front of one image function. */
export function synthesizedApiApp(functionTimeoutSeconds = 10, extend?: (httpApi: apigwv2.HttpApi, fn: LambdaContainerFunction) => void): string {
  const { app, stack } = newStack({ 'aws:cdk:enable-path-metadata': true });
  const fn = new LambdaContainerFunction(stack, 'Orders', { baseImage: BaseImage.python('3.13'), entry: tempTree({ 'app.py': '' }), cmd: ['app.handler'], timeout: Duration.seconds(functionTimeoutSeconds) });
  const httpApi = new apigwv2.HttpApi(stack, 'Http');
  httpApi.addRoutes({ path: '/orders/{id}', methods: [apigwv2.HttpMethod.GET], integration: new HttpLambdaIntegration('Get', fn) });
  httpApi.addRoutes({ path: '/orders/latest', methods: [apigwv2.HttpMethod.GET], integration: new HttpLambdaIntegration('Latest', fn) });
  httpApi.addRoutes({ path: '/files/{proxy+}', methods: [apigwv2.HttpMethod.ANY], integration: new HttpLambdaIntegration('Files', fn, { payloadFormatVersion: apigwv2.PayloadFormatVersion.VERSION_1_0 }) });
  const rest = new apigw.RestApi(stack, 'Rest', { binaryMediaTypes: ['image/*'] });
  rest.root.addResource('orders').addResource('{id}').addMethod('GET', new apigw.LambdaIntegration(fn));
  rest.root.addProxy({ defaultIntegration: new apigw.LambdaIntegration(fn) });
  fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
  extend?.(httpApi, fn);
  return app.synth().directory;
}
