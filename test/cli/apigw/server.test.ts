import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { Fn } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { conformanceApp } from '../../../e2e/fixtures/apigw-conformance/app';
import { BaseImage, LambdaContainerFunction } from '../../../src';
import { LocalApiServer, ServedApi, withForwardingHeaders } from '../../../src/cli/apigw/server';
import { ImageFunction } from '../../../src/cli/local/assembly';
import { InvokeOptions, RunningFunction } from '../../../src/cli/local/container';
import { close, listen } from '../../../src/cli/local/http';
import { newStack, synthesizedApiApp, tempTree } from '../../util';

/** Containers whose handler answers `answer(event)` after `delayMs`; the events they got are kept. */
function fakes(answer: (event: any) => unknown, delayMs = 0) {
  const events: any[] = [];
  const starter = async (_fn: ImageFunction, _o: InvokeOptions): Promise<RunningFunction> => ({
    createMs: 0,
    startedAt: 0,
    invoke: async body => {
      const event = JSON.parse(body.toString());
      events.push(event);
      await new Promise(r => setTimeout(r, delayMs));
      const a = answer(event);
      return { statusCode: 200, body: typeof a === 'string' ? a : JSON.stringify(a), roundTripMs: 0, receivedAt: 0, lines: async () => [] };
    },
    stop: async () => undefined,
  });
  return { events, starter };
}

async function serve<T>(assembly: string, f: ReturnType<typeof fakes>, body: (apis: Record<string, ServedApi>) => Promise<T>): Promise<T> {
  const server = new LocalApiServer(assembly, { port: 0, starter: f.starter });
  const served = await server.start();
  try {
    return await body(Object.fromEntries(served.map(s => [s.api.kind, s])));
  } finally {
    await server.stop();
  }
}

let assembly: string;
beforeAll(() => { assembly = synthesizedApiApp(); });

describe('LocalApiServer', () => {
  test('serves each API on its own port, routes by API Gateway\'s rules and maps the answer back', async () => {
    const f = fakes(e => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, cookies: ['seen=1'], body: JSON.stringify({ route: e.routeKey ?? e.resource, id: e.pathParameters?.id }) }));
    await serve(assembly, f, async apis => {
      expect(Object.keys(apis)).toEqual(['http-api', 'rest-api', 'function-url']);
      const res = await fetch(`${apis['http-api'].url}/orders/42?x=1`);
      expect(res.status).toBe(200);
      expect(res.headers.get('set-cookie')).toBe('seen=1');
      expect(await res.json()).toEqual({ route: 'GET /orders/{id}', id: '42' });
      expect(await (await fetch(`${apis['http-api'].url}/orders/latest`)).json()).toEqual({ route: 'GET /orders/latest' });
      expect(await (await fetch(`${apis['rest-api'].url}/orders/7`)).json()).toEqual({ route: '/orders/{id}', id: '7' });
      expect(await (await fetch(`${apis['rest-api'].url}/anything/else`, { method: 'DELETE' })).json()).toEqual({ route: '/{proxy+}' });
      expect(await (await fetch(`${apis['function-url'].url}/whatever`)).json()).toEqual({ route: '$default' });
    });
    expect(f.events.map(e => e.version ?? '1.0')).toEqual(['2.0', '2.0', '1.0', '1.0', '2.0']);
  });

  test('a binary body reaches the function base64-encoded and comes back byte for byte', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]);
    const f = fakes(e => ({ statusCode: 200, headers: { 'content-type': 'image/png' }, body: e.body, isBase64Encoded: e.isBase64Encoded }));
    await serve(assembly, f, async apis => {
      const res = await fetch(`${apis['http-api'].url}/files/cat.png`, { method: 'PUT', body: png, headers: { 'content-type': 'image/png' } });
      expect(Buffer.from(await res.arrayBuffer())).toEqual(png);
    });
    expect(f.events[0]).toMatchObject({ isBase64Encoded: true, body: png.toString('base64'), pathParameters: { proxy: 'cat.png' } });
  });

  test('API Gateway\'s own answers: 404 without a route, 413 over the limits, 502 for a malformed answer', async () => {
    const f = fakes(() => 'not json at all');
    await serve(assembly, f, async apis => {
      const notFound = await fetch(`${apis['http-api'].url}/nowhere`);
      expect([notFound.status, await notFound.json()]).toEqual([404, { message: 'Not Found' }]);
      const malformed = await fetch(`${apis['rest-api'].url}/orders/1`);
      expect([malformed.status, await malformed.json()]).toEqual([502, { message: 'Internal server error' }]);
      // 4.6 MB of binary is over 6 MB once base64-encoded in the event.
      const big = await fetch(`${apis['http-api'].url}/files/big.bin`, { method: 'POST', body: Buffer.alloc(4.6 * 1024 * 1024, 1), headers: { 'content-type': 'application/octet-stream' } });
      expect([big.status, await big.json()]).toEqual([413, { message: 'Request Entity Too Large' }]);
    });
    expect(f.events).toHaveLength(1);
  });

  test('504 when the function does not answer within the timeout', async () => {
    const slow = synthesizedApiApp(1);
    const f = fakes(() => ({ statusCode: 200 }), 1500);
    await serve(slow, f, async apis => {
      const res = await fetch(`${apis['function-url'].url}/`);
      expect([res.status, await res.json()]).toEqual([504, { message: 'Endpoint request timed out' }]);
    });
  });
});

describe('failure paths', () => {
  test('an answer with a header HTTP cannot carry is a 502, and the server keeps serving (D1)', async () => {
    const f = fakes(e => (e.rawPath === '/orders/bad'
      ? { statusCode: 200, headers: { 'X-Price': '5 €', 'Bad Header': 'x' }, cookies: ['a=1'], body: 'hi' }
      : { statusCode: 200, cookies: ['a=1', 'b=2'], headers: { 'Set-Cookie': 'c=3' }, body: 'ok' }));
    await serve(assembly, f, async apis => {
      const bad = await fetch(`${apis['http-api'].url}/orders/bad`);
      expect(bad.status).toBe(502);
      expect(await bad.json()).toEqual({ message: 'Internal Server Error' });
      const good = await fetch(`${apis['http-api'].url}/orders/good`);
      expect(good.status).toBe(200);
      // cookies and a Set-Cookie header of another case are all kept (D11)
      expect(good.headers.getSetCookie().sort()).toEqual(['a=1', 'b=2', 'c=3']);
    });
  });

  test('a malformed %-encoding in a path parameter is 400, not 502 (D11)', async () => {
    await serve(assembly, fakes(() => ({ statusCode: 200, body: 'x' })), async apis => {
      expect((await fetch(`${apis['http-api'].url}/orders/%E0%A4%A`)).status).toBe(400);
    });
  });

  test('when a later API\'s port is busy, start fails naming --port and closes what it opened (D6)', async () => {
    const blocker = http.createServer();
    const port = await listen(blocker, 0, 'blocker');
    await close(blocker);
    // The first API takes port - 1 (free), the second the busy one.
    const busy = http.createServer();
    await listen(busy, port, 'busy');
    const server = new LocalApiServer(assembly, { port: port - 1, starter: fakes(() => ({})).starter });
    try {
      await expect(server.start()).rejects.toThrow(/port \d+ on 127\.0\.0\.1 is in use.*--port/);
      const stillListening = await fetch(`http://127.0.0.1:${port - 1}/orders`).then(() => true, () => false);
      expect(stillListening).toBe(false);
    } finally {
      await close(busy);
    }
  });
});

test('the headers API Gateway adds: X-Forwarded-For/-Port/-Proto and an X-Amzn-Trace-Id (the review\'s 🟡)', () => {
  const headers = withForwardingHeaders([['Host', 'x'], ['x-forwarded-for', '10.1.1.1'], ['X-Forwarded-Proto', 'https']], '127.0.0.1', 3000);
  expect(headers.slice(0, 4)).toEqual([['Host', 'x'], ['X-Forwarded-For', '10.1.1.1, 127.0.0.1'], ['X-Forwarded-Port', '3000'], ['X-Forwarded-Proto', 'http']]);
  expect(headers[4][0]).toBe('X-Amzn-Trace-Id');
  expect(headers[4][1]).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
  expect(withForwardingHeaders([['X-Amzn-Trace-Id', 'Root=1-a-b']], '::1', 1).filter(([k]) => k === 'X-Amzn-Trace-Id')).toEqual([['X-Amzn-Trace-Id', 'Root=1-a-b']]);
});

test('routes are read again when the assembly changes: a route added by a synth is served, one removed is 404, without a restart', async () => {
  const dir = synthesizedApiApp();
  const f = fakes(e => ({ statusCode: 200, body: e.routeKey }));
  const lines: string[] = [];
  const server = new LocalApiServer(dir, { port: 0, starter: f.starter, log: l => lines.push(l) });
  const [http1] = (await server.start()).filter(s => s.api.kind === 'http-api');
  try {
    expect((await fetch(`${http1.url}/orders/7/items`)).status).toBe(404);
    // The same app with one more route, synthesized over the same assembly (as --watch or `cdk synth` does).
    const next = synthesizedApiApp(10, (httpApi, fn) => httpApi.addRoutes({
      path: '/orders/{id}/items', methods: [apigwv2.HttpMethod.GET], integration: new HttpLambdaIntegration('Items', fn),
    }));
    await new Promise(r => setTimeout(r, 20)); // another modification time
    fs.cpSync(next, dir, { recursive: true, force: true });
    const res = await fetch(`${http1.url}/orders/7/items`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('GET /orders/{id}/items');
    expect(lines).toContainEqual(expect.stringMatching(/: its routes changed in the assembly: 4 route\(s\) now$/));
    // And back: the route is gone again.
    fs.cpSync(synthesizedApiApp(), dir, { recursive: true, force: true });
    fs.utimesSync(path.join(dir, 'manifest.json'), new Date(), new Date(Date.now() + 1000));
    expect((await fetch(`${http1.url}/orders/7/items`)).status).toBe(404);
  } finally {
    await server.stop();
  }
});

test('stage variables reach the function as API Gateway sends them: HTTP API 2.0 and REST 1.0; one known only after deployment is left out and said', async () => {
  const { app, stack } = newStack({ 'aws:cdk:enable-path-metadata': true });
  const fn = new LambdaContainerFunction(stack, 'Fn', { baseImage: BaseImage.python('3.13'), entry: tempTree({ 'app.py': '' }), cmd: ['app.handler'] });
  const httpApi = new apigwv2.HttpApi(stack, 'Http');
  httpApi.addRoutes({ path: '/v', methods: [apigwv2.HttpMethod.GET], integration: new HttpLambdaIntegration('V', fn) });
  (httpApi.defaultStage!.node.defaultChild as apigwv2.CfnStage).stageVariables = { color: 'blue' };
  const rest = new apigw.RestApi(stack, 'Rest', { deployOptions: { stageName: 'dev', variables: { color: 'red', table: Fn.ref('AWS::StackName') } } });
  rest.root.addResource('v').addMethod('GET', new apigw.LambdaIntegration(fn));
  const f = fakes(e => ({ statusCode: 200, body: JSON.stringify({ stageVariables: e.stageVariables, stage: e.requestContext.stage }) }));
  const server = new LocalApiServer(app.synth().directory, { port: 0, starter: f.starter });
  const served = Object.fromEntries((await server.start()).map(s => [s.api.kind, s]));
  try {
    expect(await (await fetch(`${served['http-api'].url}/v`)).json()).toEqual({ stageVariables: { color: 'blue' }, stage: '$default' });
    expect(await (await fetch(`${served['rest-api'].url}/v`)).json()).toEqual({ stageVariables: { color: 'red' }, stage: 'dev' });
    expect(served['rest-api'].api.notes).toEqual([expect.stringMatching(/^stage variable table: \{"Ref":"AWS::StackName"\} is known only after deployment: not set$/)]);
  } finally {
    await server.stop();
  }
});

describe('authorizers and CORS (the conformance app, its functions faked)', () => {
  test('an authorizer function runs in the same pool before the integration; preflights are the gateway\'s; REST MOCK OPTIONS answer', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conformance-'));
    const app = conformanceApp(path.join(dir, 'cdk.out'));
    const started: string[] = [];
    const events: any[] = [];
    const starter = async (fn: ImageFunction): Promise<RunningFunction> => {
      started.push(fn.path);
      return {
        createMs: 0,
        startedAt: 0,
        invoke: async body => {
          const event = JSON.parse(body.toString());
          events.push([fn.path, event]);
          const answer = fn.path.endsWith('TokenAuthorizer')
            ? { principalId: 'alice', policyDocument: { Statement: [{ Effect: event.authorizationToken === 'allow' ? 'Allow' : 'Deny', Action: 'execute-api:Invoke', Resource: event.methodArn }] }, context: { n: 1 } }
            : { statusCode: 200, headers: { 'access-control-allow-origin': 'https://backend' }, body: JSON.stringify(event) };
          return { statusCode: 200, body: JSON.stringify(answer), roundTripMs: 0, receivedAt: 0, lines: async () => [] };
        },
        stop: async () => undefined,
      };
    };
    const server = new LocalApiServer(app, { port: 0, starter });
    const urls = Object.fromEntries((await server.start()).map(s => [s.api.kind, s.url]));
    try {
      const allowed = await fetch(`${urls['rest-api']}/token`, { headers: { authorization: 'allow' } });
      expect(allowed.status).toBe(200);
      expect((await allowed.json()).requestContext.authorizer).toEqual({ n: '1', principalId: 'alice', integrationLatency: expect.any(Number) });
      expect((await fetch(`${urls['rest-api']}/token`, { headers: { authorization: 'deny' } })).status).toBe(403);
      expect(events.map(([p, e]) => [p, e.type ?? e.resource])).toEqual([
        ['ApiConformanceRest/TokenAuthorizer', 'TOKEN'], ['ApiConformanceRest/Echo', '/token'], ['ApiConformanceRest/TokenAuthorizer', 'TOKEN'],
      ]);

      const preflight = await fetch(`${urls['http-api']}/jwt`, { method: 'OPTIONS', headers: { 'origin': 'https://app.example.com', 'access-control-request-method': 'GET' } });
      expect([preflight.status, preflight.headers.get('access-control-allow-origin'), preflight.headers.get('access-control-max-age')]).toEqual([204, 'https://app.example.com', '600']);
      const open = await fetch(`${urls['http-api']}/open`, { headers: { origin: 'https://app.example.com' } });
      expect(open.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
      const mock = await fetch(`${urls['rest-api']}/token`, { method: 'OPTIONS', headers: { origin: 'https://app.example.com' } });
      expect([mock.status, mock.headers.get('access-control-allow-methods')]).toEqual([204, 'GET,POST']);
      // Preflights and MOCK methods start no container.
      expect(started).toEqual(['ApiConformanceRest/TokenAuthorizer', 'ApiConformanceRest/Echo', 'ApiConformanceHttp/Echo']);
    } finally {
      await server.stop();
    }
  });
});

test('REST CORS with several origins (CDK\'s response template): an allowed Origin is echoed, another gets the first', async () => {
  const { app, stack } = newStack({ 'aws:cdk:enable-path-metadata': true });
  const fn = new LambdaContainerFunction(stack, 'Fn', { baseImage: BaseImage.python('3.13'), entry: tempTree({ 'app.py': '' }), cmd: ['app.handler'] });
  const rest = new apigw.RestApi(stack, 'Rest', { defaultCorsPreflightOptions: { allowOrigins: ['https://a.example.com', 'https://b.example.com'] } });
  rest.root.addResource('v').addMethod('GET', new apigw.LambdaIntegration(fn));
  const f = fakes(() => ({ statusCode: 200, body: '' }));
  const server = new LocalApiServer(app.synth().directory, { port: 0, starter: f.starter });
  const [served] = await server.start();
  try {
    const preflight = (origin: string) => fetch(`${served.url}/v`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'GET' } });
    expect((await preflight('https://b.example.com')).headers.get('access-control-allow-origin')).toBe('https://b.example.com');
    expect((await preflight('https://c.example.com')).headers.get('access-control-allow-origin')).toBe('https://a.example.com');
    expect((await preflight('https://a.example.com')).headers.get('vary')).toBe('Origin');
    expect(served.api.notes).toEqual([]);
    expect(f.events).toEqual([]);
  } finally {
    await server.stop();
  }
});

test('the events authorizer functions get have the keys of AWS\'s samples (test/fixtures/authorizer-events)', async () => {
  const app = conformanceApp(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'conformance-')), 'cdk.out'));
  const events = new Map<string, any>();
  const starter = async (fn: ImageFunction): Promise<RunningFunction> => ({
    createMs: 0,
    startedAt: 0,
    invoke: async body => {
      const event = JSON.parse(body.toString());
      const name = fn.path.split('/')[1];
      if (name !== 'Echo') events.set(event.version === '2.0' ? 'http-v2' : event.version === '1.0' ? 'http-v1' : event.type === 'TOKEN' ? 'rest-token' : 'rest-request', event);
      const answer = name === 'SimpleAuthorizer' ? { isAuthorized: true }
        : name === 'Echo' ? { statusCode: 200, body: '' }
          : { principalId: 'p', policyDocument: { Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }] } };
      return { statusCode: 200, body: JSON.stringify(answer), roundTripMs: 0, receivedAt: 0, lines: async () => [] };
    },
    stop: async () => undefined,
  });
  const server = new LocalApiServer(app, { port: 0, starter });
  const urls = Object.fromEntries((await server.start()).map(s => [s.api.kind, s.url]));
  try {
    const headers = { 'authorization': 'allow', 'x-user': 'allow', 'cookie': 'a=1; b=2' };
    for (const url of [`${urls['http-api']}/simple/7?p=1&p=2`, `${urls['http-api']}/policy?p=1`, `${urls['rest-api']}/token`, `${urls['rest-api']}/request?tenant=a`]) {
      expect((await fetch(url, { headers })).status).toBe(200);
    }
  } finally {
    await server.stop();
  }
  const fixtures = path.join(__dirname, '..', '..', 'fixtures', 'authorizer-events');
  const missing = (sample: any, ours: any, at = ''): string[] => Object.keys(sample).flatMap(key => {
    if (!(key in (ours ?? {}))) return [`${at}${key}`];
    return ['requestContext', 'identity'].includes(key) ? missing(sample[key], ours[key], `${at}${key}.`) : [];
  });
  for (const kind of ['http-v2', 'http-v1', 'rest-token', 'rest-request']) {
    const sample = JSON.parse(fs.readFileSync(path.join(fixtures, `${kind}.json`), 'utf8'));
    expect([kind, missing(sample, events.get(kind))]).toEqual([kind, []]);
  }
  // TOKEN has exactly its three keys; the others never carry the body.
  expect(Object.keys(events.get('rest-token')).sort()).toEqual(['authorizationToken', 'methodArn', 'type']);
  for (const kind of ['http-v2', 'http-v1', 'rest-request']) expect([kind, 'body' in events.get(kind), 'isBase64Encoded' in events.get(kind)]).toEqual([kind, false, false]);
  expect(events.get('http-v2')).toMatchObject({ identitySource: ['allow'], pathParameters: { id: '7' }, cookies: ['a=1', 'b=2'], queryStringParameters: { p: '1,2' }, stageVariables: { env: 'conformance' } });
  expect(events.get('http-v1')).toMatchObject({ identitySource: 'allow', authorizationToken: 'allow' });
});
