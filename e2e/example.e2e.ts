/**
 * End to end, for real: the example app's generated Dockerfiles are built with podman on stand-in
 * base images, pushed to a local registry, and invoked under the Runtime Interface Emulator
 * through the package's own CLI code. Needs `scripts/e2e/setup.sh` (run by `npx projen e2e`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { Stack } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { engine, engineEnv, HOST_ARCH, HOST_PLATFORM_ARCH, REGISTRY, registryConfig, registryManifest, REPO, synth } from './helpers';
import { ExampleStack } from '../examples/app';
import { BaseImage, LambdaContainerFunction, RuntimeInterfaceClient } from '../src';
import { LocalApiServer } from '../src/cli/apigw/server';
import { readImageFunctions } from '../src/cli/local/assembly';
import { invokeFunction, startFunction } from '../src/cli/local/container';
import { buildFunction } from '../src/cli/local/image-build';
import { functionLayers } from '../src/cli/local/image-history';
import { RequestEntityTooLargeError } from '../src/cli/local/lambda-semantics';
import { LocalLambdaServer } from '../src/cli/local/lambda-server';
import { main } from '../src/cli/main';

const env = engineEnv();
Object.assign(process.env, env);
const RIE = env.E2E_RIE!;
let assembly: string;

const invoke = (fn: string, event: unknown, build = false) =>
  invokeFunction(assembly, fn, Buffer.from(JSON.stringify(event)), { engine: 'podman', rie: RIE, build });

beforeAll(() => {
  assembly = synth('example', app => {
    new ExampleStack(app, 'LambdaContainerExample', { architecture: HOST_ARCH });
    // The other shape of the AWS guide on Python: a plain Debian Python image + awslambdaric.
    const alt = new Stack(app, 'AltBase');
    new LambdaContainerFunction(alt, 'PythonRic', {
      baseImage: BaseImage.fromRegistry('python:3.13-slim', { ric: RuntimeInterfaceClient.python() }),
      entry: path.join(__dirname, '..', 'examples', 'functions', 'orders'),
      cmd: ['app.list_orders'],
      environment: { TABLE_NAME: 'alt-base' },
      architecture: HOST_ARCH,
    });
    // An HTTP API and a function URL in front of a function that echoes what it gets (start-api).
    const api = new Stack(app, 'Api');
    const echo = new LambdaContainerFunction(api, 'Echo', {
      baseImage: BaseImage.python('3.13'), entry: path.join(__dirname, 'fixtures', 'echo'), cmd: ['app.handler'], architecture: HOST_ARCH,
    });
    new apigwv2.HttpApi(api, 'Http').addRoutes({ path: '/echo/{proxy+}', methods: [apigwv2.HttpMethod.ANY], integration: new HttpLambdaIntegration('Echo', echo) });
    echo.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
    // The custom runtime's image (same content: no extra build) with a runtime that dies at init.
    new LambdaContainerFunction(alt, 'Crashes', {
      baseImage: BaseImage.providedAl2023(),
      entry: path.join(__dirname, '..', 'examples', 'functions', 'custom-runtime'),
      entrypoint: ['/bin/sh', '-c', 'echo dying at init >&2; exit 3'],
      architecture: HOST_ARCH,
    });
  });
});

describe('every example function builds from its generated Dockerfile', () => {
  test.each(['Thumbnailer', 'CreateOrder', 'CustomRuntime', 'Greeter', 'PythonRic', 'Echo'])('%s', async fn => {
    const result = await buildFunction(assembly, fn, { engine: 'podman', quiet: true });
    expect(engine(['image', 'inspect', '--format', '{{.Architecture}}', result.tag], env).trim()).toBe(HOST_PLATFORM_ARCH);
  });
});

describe('pushed images are single-architecture image manifests (never an index)', () => {
  test('every asset of the assembly', () => {
    const hashes = [...new Set(readImageFunctions(assembly).map(f => f.asset!.hash))];
    expect(hashes.length).toBe(6); // the example app's four, PythonRic, and the API's Echo (Crashes shares CustomRuntime's)
    for (const hash of hashes) {
      const repo = 'e2e/example';
      engine(['push', '--quiet', '--tls-verify=false', `cdkasset-${hash}`, `${REGISTRY}/${repo}:${hash}`], env);
      const manifest = registryManifest(repo, hash, env);
      expect(manifest.schemaVersion).toBe(2);
      expect(manifest.manifests).toBeUndefined();
      expect(['application/vnd.docker.distribution.manifest.v2+json', 'application/vnd.oci.image.manifest.v1+json']).toContain(manifest.mediaType ?? 'application/vnd.oci.image.manifest.v1+json');
      expect(registryConfig(repo, hash, env)).toMatchObject({ architecture: HOST_PLATFORM_ARCH, os: 'linux' });
    }
  });
});

describe('runtime interface clients stay slim', () => {
  test('each RIC adds at most 10 MB to the image it runs in (its build tree stays in the build stage)', async () => {
    // The final image minus its base: the RIC plus a few kB of handler code (no dependencies).
    const imageBytes = (ref: string) => Number(engine(['image', 'inspect', '--format', '{{.Size}}', ref], env).trim());
    const added: Record<string, number> = {};
    for (const [fn, base, ric] of [['Greeter', 'docker.io/library/node:22-bookworm-slim', 'aws-lambda-ric'], ['PythonRic', 'docker.io/library/python:3.13-slim', 'awslambdaric']]) {
      const { tag } = await buildFunction(assembly, fn, { engine: 'podman', quiet: true });
      added[ric] = imageBytes(tag) - imageBytes(base);
    }
    const report = Object.fromEntries(Object.entries(added).map(([ric, bytes]) => [ric, { bytes, megabytes: +(bytes / 1e6).toFixed(2) }]));
    // Merged with what other suites wrote (ric-sizes.e2e.ts: Java and Go).
    const file = path.join(REPO, 'test-reports', 'ric-sizes.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ ...(fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {}), ...report }, undefined, 2));
    console.log(`bytes each RIC adds to its image: ${JSON.stringify(report)}`);
    for (const bytes of Object.values(added)) {
      expect(bytes).toBeGreaterThan(0);
      expect(bytes).toBeLessThanOrEqual(10e6);
    }
  });
});

describe('layers', () => {
  test('a code-only change rebuilds only the code layer of a generated image', async () => {
    for (const fn of ['Thumbnailer', 'Greeter', 'PythonRic']) {
      const { rows } = await functionLayers(assembly, fn, { engine: 'podman', build: false });
      const rebuilt = rows.filter(r => r.rebuiltOnCodeChange && r.size > 0);
      expect(rebuilt.map(r => r.step)).toEqual([expect.stringMatching(/^COPY code\/ /)]);
    }
    // The thumbnailer's dependencies (Pillow) are their own layer below the code: reused on a code change.
    const pip = (await functionLayers(assembly, 'Thumbnailer', { engine: 'podman', build: false })).rows.find(r => r.from === 'Dockerfile' && /pip install/.test(r.step));
    expect(pip).toMatchObject({ rebuiltOnCodeChange: false });
    expect(pip!.size).toBeGreaterThan(1024 * 1024);
  });
});

describe('invoked under the Runtime Interface Emulator', () => {
  test('one image, two CMDs, two answers', async () => {
    const created = await invoke('CreateOrder', { body: JSON.stringify({ item: 'tea' }) });
    const listed = await invoke('ListOrders', {});
    expect(created.statusCode).toBe(200);
    expect(JSON.parse(created.body)).toMatchObject({ statusCode: 201 });
    expect(JSON.parse(JSON.parse(created.body).body)).toMatchObject({ item: 'tea', table: 'orders' });
    expect(JSON.parse(listed.body)).toMatchObject({ statusCode: 200 });
    expect(JSON.parse(JSON.parse(listed.body).body)).toEqual({ orders: [], table: 'orders' });
    expect(created.logs).toMatch(/REPORT RequestId: \S+\s+Init Duration/);
  });

  test('one container answers again warm: the runtime initialises once', async () => {
    const running = await startFunction(assembly, 'CreateOrder', { engine: 'podman', rie: RIE, build: false });
    try {
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push(await running.invoke(Buffer.from(JSON.stringify({ body: JSON.stringify({ item: `tea-${i}` }) }))));
      expect(answers.map(a => JSON.parse(JSON.parse(a.body).body).item)).toEqual(['tea-0', 'tea-1', 'tea-2']);
      // Each invocation's own lines: one START…REPORT each, the first with the init.
      const reports = (await Promise.all(answers.map(a => a.lines()))).map(lines => lines.filter(l => /^REPORT RequestId:/.test(l.text)).map(l => l.text));
      expect(reports.map(r => r.length)).toEqual([1, 1, 1]);
      expect(reports.flat().filter(r => /Init Duration/.test(r))).toHaveLength(1);
    } finally {
      await running.stop();
    }
  });

  test('the thumbnailer image has Pillow, boto3 and its layers (its own output is skipped without S3)', async () => {
    const result = await invoke('Thumbnailer', { Records: [{ s3: { bucket: { name: 'b' }, object: { key: 'thumbnails/x.jpg' } } }] });
    expect(JSON.parse(result.body)).toEqual({ thumbnails: [] });
    // Its image layers: the telemetry extension registered and saw the invocation.
    expect(result.logs).toMatch(/External agent telemetry \(\S+\) registered, subscribed to \[INVOKE SHUTDOWN\]/);
    expect(result.logs).toMatch(/\[telemetry\] invoke \S+/);
  });

  test('the custom runtime answers through its shell bootstrap', async () => {
    const result = await invoke('CustomRuntime', { ping: 1 });
    expect(JSON.parse(result.body)).toEqual({ echo: { ping: 1 }, handler: '' });
  });

  test('Node.js on an alternative base image with aws-lambda-ric', async () => {
    const result = await invoke('Greeter', { name: 'e2e' });
    if (!result.body) console.error(result.logs);
    expect(JSON.parse(result.body)).toMatchObject({ greeting: 'Hello, e2e!' });
  });

  test('Python on an alternative base image with awslambdaric', async () => {
    const result = await invoke('PythonRic', {});
    expect(JSON.parse(result.body)).toMatchObject({ statusCode: 200 });
    expect(JSON.parse(JSON.parse(result.body).body)).toEqual({ orders: [], table: 'alt-base' });
  });

  test('a runtime that dies at init gets Lambda\'s Runtime.ExitError, not an empty answer', async () => {
    const result = await invokeFunction(assembly, 'Crashes', Buffer.from('{}'), { engine: 'podman', rie: RIE, build: false });
    expect(result.functionError).toBe('Unhandled');
    expect(JSON.parse(result.body)).toMatchObject({ errorType: 'Runtime.ExitError', errorMessage: expect.stringMatching(/exit status 3/) });
    expect(result.logs).toMatch(/dying at init/);
  });

  describe('through the CLI, as a user runs it', () => {
    const cli = async (...argv: string[]) => {
      let out = '';
      let err = '';
      const code = await main([...argv, '--app', assembly, '--rie', RIE, '--no-build'], { out: t => { out += t; }, err: t => { err += t; } });
      return { code, out, err };
    };
    const file = (name: string, content: string) => {
      const p = path.join(assembly, name);
      fs.writeFileSync(p, content);
      return p;
    };

    test('--env-vars sets the value the function sees, --json gives the answer, exit 0', async () => {
      const envVars = file('env.json', JSON.stringify({ ListOrders: { TABLE_NAME: 'local-orders', NOT_DECLARED: 'x' } }));
      const { code, out, err } = await cli('invoke', 'ListOrders', '--env-vars', envVars, '--json');
      expect(code).toBe(0);
      const result = JSON.parse(out);
      expect(result.statusCode).toBe(200);
      expect(result.functionError).toBeUndefined();
      expect(JSON.parse(JSON.parse(result.payload).body)).toEqual({ orders: [], table: 'local-orders' });
      expect(result.logs).toMatch(/^REPORT RequestId:/m);
      expect(err).toMatch(/--env-vars sets NOT_DECLARED, which .*ListOrders does not declare: not set/);
    });

    test('a handler that raises answers with Lambda\'s error object: X-Amz-Function-Error, exit 3', async () => {
      const { code, out } = await cli('invoke', 'CreateOrder', '--event', file('bad-body.json', '{"body": "not json"}'), '--json');
      expect(code).toBe(3);
      const result = JSON.parse(out);
      expect(result.functionError).toBe('Unhandled');
      expect(JSON.parse(result.payload)).toMatchObject({ errorType: 'JSONDecodeError' });
    });

    test('the RIE still sends no X-Amz-Function-Error for a handler\'s error (the gap functionErrorOf shims)', async () => {
      const running = await startFunction(assembly, 'CreateOrder', { engine: 'podman', rie: RIE, build: false });
      try {
        const answer = await running.invoke(Buffer.from('{"body": "not json"}'));
        expect(JSON.parse(answer.body)).toMatchObject({ errorType: 'JSONDecodeError' });
        // When this fails, the emulator sets the header as Lambda does: drop the shape check in functionErrorOf.
        expect(answer.functionError).toBeUndefined();
      } finally {
        await running.stop();
      }
    });

    test('a runtime that dies at init exits 3 with Runtime.ExitError; a non-JSON event exits 4 before any container', async () => {
      const crashed = await cli('invoke', 'Crashes');
      expect(crashed.code).toBe(3);
      expect(JSON.parse(crashed.out)).toMatchObject({ errorType: 'Runtime.ExitError' });
      const refused = await cli('invoke', 'CreateOrder', '--event', file('not-json.txt', 'hello'));
      expect(refused.code).toBe(4);
      expect(refused.err).toMatch(/InvalidRequestContentException/);
    });
  });

  describe('start-lambda: Lambda\'s Invoke API on 127.0.0.1, called with the AWS SDK', () => {
    let server: LocalLambdaServer;
    let client: LambdaClient;
    beforeAll(async () => {
      server = new LocalLambdaServer(assembly, { port: 0, engine: 'podman', rie: RIE, build: false, maxContainersPerFunction: 2 });
      const endpoint = await server.start();
      client = new LambdaClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    });
    afterAll(() => server.stop());
    const payload = (answer: { Payload?: Uint8Array }) => JSON.parse(Buffer.from(answer.Payload!).toString());

    test('functions answer by name, one image serving two CMDs; a second call is warm in the same container', async () => {
      const created = await client.send(new InvokeCommand({ FunctionName: 'CreateOrder', Payload: Buffer.from(JSON.stringify({ body: '{"item":"tea"}' })) }));
      expect(created.StatusCode).toBe(200);
      expect(created.FunctionError).toBeUndefined();
      expect(JSON.parse(payload(created).body)).toMatchObject({ item: 'tea', table: 'orders' });
      const listed = await client.send(new InvokeCommand({ FunctionName: 'LambdaContainerExample/ListOrders', Payload: Buffer.from('{}'), LogType: 'Tail' }));
      expect(JSON.parse(payload(listed).body)).toEqual({ orders: [], table: 'orders' });
      expect(Buffer.from(listed.LogResult!, 'base64').toString()).toMatch(/^REPORT RequestId: /m);
      await client.send(new InvokeCommand({ FunctionName: 'CreateOrder', Payload: Buffer.from('{}') }));
      expect(server.containers()).toMatchObject({ 'LambdaContainerExample/CreateOrder': 1 });
    });

    test('Lambda\'s error shapes: a handler\'s error, an unknown function, a payload too large or not JSON', async () => {
      const failed = await client.send(new InvokeCommand({ FunctionName: 'CreateOrder', Payload: Buffer.from('{"body":"not json"}') }));
      expect(failed.FunctionError).toBe('Unhandled');
      expect(payload(failed)).toMatchObject({ errorType: 'JSONDecodeError' });
      await expect(client.send(new InvokeCommand({ FunctionName: 'NoSuchFunction', Payload: Buffer.from('{}') }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
      await expect(client.send(new InvokeCommand({ FunctionName: 'CreateOrder', Payload: Buffer.alloc(6 * 1024 * 1024 + 1, 'a') }))).rejects.toMatchObject({ name: 'RequestEntityTooLargeException' });
      await expect(client.send(new InvokeCommand({ FunctionName: 'CreateOrder', Payload: Buffer.from('not json') }))).rejects.toMatchObject({ name: 'InvalidRequestContentException' });
    });

    test('concurrent invocations get a second container; Event answers 202', async () => {
      const answers = await Promise.all([1, 2, 3].map(() => client.send(new InvokeCommand({ FunctionName: 'ListOrders', Payload: Buffer.from('{}') }))));
      expect(answers.map(a => a.StatusCode)).toEqual([200, 200, 200]);
      expect(server.containers()['LambdaContainerExample/ListOrders']).toBe(2);
      const queued = await client.send(new InvokeCommand({ FunctionName: 'ListOrders', InvocationType: 'Event', Payload: Buffer.from('{}') }));
      expect(queued.StatusCode).toBe(202);
    });
  });

  describe('start-api: an HTTP API and a function URL in front of a container function', () => {
    let server: LocalApiServer;
    let urls: Record<string, string>;
    beforeAll(async () => {
      server = new LocalApiServer(assembly, { port: 0, engine: 'podman', rie: RIE });
      const served = await server.start();
      urls = Object.fromEntries(served.filter(s => s.api.stack === 'Api').map(s => [s.api.kind, s.url]));
      urls.orders = served.find(s => s.api.logicalId.startsWith('OrdersApi'))!.url;
    });
    afterAll(() => server.stop());

    test('a binary body goes through the route base64-encoded and comes back byte for byte, with the route\'s headers and cookies', async () => {
      const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200_000, 0xfe)]);
      const res = await fetch(`${urls['http-api']}/echo/cat.png`, { method: 'PUT', body: png, headers: { 'content-type': 'image/png' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      expect(res.headers.get('x-route')).toBe('ANY /echo/{proxy+}');
      expect(res.headers.get('set-cookie')).toBe('echoed=1');
      expect(Buffer.from(await res.arrayBuffer()).equals(png)).toBe(true);
    });

    test('the example app\'s orders API: POST and GET /orders reach the two functions of one image', async () => {
      const created = await fetch(`${urls.orders}/orders`, { method: 'POST', body: '{"item":"tea"}', headers: { 'content-type': 'application/json' } });
      expect(created.status).toBe(201);
      expect(await created.json()).toMatchObject({ item: 'tea', table: 'orders' });
      expect(await (await fetch(`${urls.orders}/orders`)).json()).toEqual({ orders: [], table: 'orders' });
    });

    test('the function URL answers too; a path without a route is API Gateway\'s 404', async () => {
      const res = await fetch(`${urls['function-url']}/anything`, { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } });
      expect([res.status, res.headers.get('x-route'), await res.text()]).toEqual([200, '$default', '{"a":1}']);
      const missing = await fetch(`${urls['http-api']}/elsewhere`);
      expect([missing.status, await missing.json()]).toEqual([404, { message: 'Not Found' }]);
    });
  });

  test('invoke runs without host networking: its own network, the emulator published on 127.0.0.1 only', async () => {
    const running = await startFunction(assembly, 'ListOrders', { engine: 'podman', rie: RIE, build: false });
    try {
      expect(engine(['inspect', '--format', '{{.HostConfig.NetworkMode}}', running.container!], env).trim()).toBe('slirp4netns');
      const ports = JSON.parse(engine(['inspect', '--format', '{{json .HostConfig.PortBindings}}', running.container!], env));
      expect(ports['8080/tcp']).toEqual([expect.objectContaining({ HostIp: '127.0.0.1' })]);
      expect((await running.invoke(Buffer.from('{}'))).statusCode).toBe(200);
    } finally {
      await running.stop();
    }
  });

  test('a 7 MB payload gets Lambda\'s RequestEntityTooLarge, not the emulator\'s truncation', async () => {
    const big = Buffer.alloc(7 * 1024 * 1024, 'a');
    await expect(invokeFunction(assembly, 'CreateOrder', big, { engine: 'podman', rie: RIE, build: false })).rejects.toBeInstanceOf(RequestEntityTooLargeError);
    await expect(invokeFunction(assembly, 'CreateOrder', Buffer.alloc(1024 * 1024 + 1, 'a'), { engine: 'podman', rie: RIE, build: false, invocationType: 'Event' }))
      .rejects.toThrow(/smaller than 1048576 bytes/);
  });
});
