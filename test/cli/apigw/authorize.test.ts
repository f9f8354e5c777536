import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Authorizers, AuthorizationRequest } from '../../../src/cli/apigw/authorize';
import { LambdaAuthorizer, RouteAuthorization } from '../../../src/cli/apigw/authorizers';
import { sigV4Signature } from '../../../src/cli/apigw/iam';
import { KeySets } from '../../../src/cli/apigw/jwt';
import { Api } from '../../../src/cli/apigw/routes';

const header = (name: string) => ({ from: 'header' as const, name, expression: `method.request.header.${name}` });
const lambda = (over: Partial<LambdaAuthorizer> = {}): RouteAuthorization => ({
  type: 'LAMBDA',
  authorizer: { kind: 'lambda', name: 'Auth', type: 'rest-token', functionPath: 'S/Auth', identitySources: [header('Authorization')], ttlSeconds: 300, payloadFormat: '1.0', simpleResponses: false, ...over },
});
const api = (kind: Api['kind'] = 'rest-api'): Api => ({ kind, stack: 'S', logicalId: 'Api', stage: 'prod', timeoutSeconds: 29, binaryMediaTypes: [], routes: [], skipped: [], stageVariables: { v: '1' } });
const allow = (resource = '*', context: object = { user: 'alice', n: 1, ok: true }) => ({
  principalId: 'alice', policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: resource }] }, context,
});

/** An Authorizers whose function answers `answer(event)` (or fails with `error`); the events it got are kept. */
function authorizers(answer: (event: any) => unknown, error?: string) {
  const events: any[] = [];
  const log: string[] = [];
  const a = new Authorizers({
    invoke: async (functionPath, event) => {
      events.push({ functionPath, ...JSON.parse(event.toString()) });
      return error ? { payload: JSON.stringify({ errorMessage: error, errorType: 'Exception' }), functionError: 'Unhandled' } : { payload: JSON.stringify(answer(JSON.parse(event.toString()))) };
    },
    keys: new KeySets(),
    log: line => log.push(line),
  });
  return { a, events, log };
}

function request(authorization: RouteAuthorization, over: Partial<AuthorizationRequest> = {}): AuthorizationRequest {
  return {
    api: api(),
    authorization,
    headers: [['Authorization', 'tok']],
    query: [],
    method: 'GET',
    path: '/orders/7',
    region: 'us-east-1',
    accountId: '123456789012',
    apiId: 'api',
    eventOf: format => ({ version: format, headers: { Authorization: 'tok' }, requestContext: { stage: 'prod', identity: { sourceIp: '10.0.0.1' } }, body: 'secret', isBase64Encoded: false }),
    now: new Date('2026-12-04T12:00:00Z'),
    ...over,
  };
}

const status = async (p: Promise<any>) => { const d = await p; return d.allowed ? 'allowed' : `${d.response.statusCode} ${d.response.body.toString()}`; };

describe('Lambda authorizers', () => {
  test('TOKEN: the event is type, token and method ARN; Allow passes principalId and the context as strings', async () => {
    const { a, events } = authorizers(() => allow());
    expect(await a.authorize(request(lambda()))).toEqual({ allowed: true, authorizer: { user: 'alice', n: '1', ok: 'true', principalId: 'alice', integrationLatency: expect.any(Number) } });
    expect(events).toEqual([{ functionPath: 'S/Auth', type: 'TOKEN', authorizationToken: 'tok', methodArn: 'arn:aws:execute-api:us-east-1:123456789012:api/prod/GET/orders/7' }]);
  });

  test('the cache: keyed by the identity, for the TTL, the cached policy evaluated again for each method', async () => {
    const { a, events } = authorizers(e => allow(e.methodArn));
    const at = (ms: number, over: Partial<AuthorizationRequest> = {}) => status(a.authorize(request(lambda(), { now: new Date(Date.parse('2026-12-04T12:00:00Z') + ms), ...over })));
    expect(await at(0)).toBe('allowed');
    expect(await at(299_000)).toBe('allowed');
    // The policy allowed GET /orders/7 only: from the cache, POST is denied (API Gateway's known behaviour).
    expect(await at(1000, { method: 'POST' })).toBe('403 {"message":"User is not authorized to access this resource"}');
    expect(events).toHaveLength(1);
    expect(await at(1000, { headers: [['authorization', 'other']] })).toBe('allowed');
    expect(await at(300_000)).toBe('allowed');
    expect(events).toHaveLength(3);
  });

  test('flush forgets the cached decisions (a new assembly)', async () => {
    const { a, events } = authorizers(() => allow());
    await a.authorize(request(lambda()));
    a.flush();
    await a.authorize(request(lambda()));
    expect(events).toHaveLength(2);
  });

  test('TTL 0: every request calls the authorizer', async () => {
    const { a, events } = authorizers(() => allow());
    await a.authorize(request(lambda({ ttlSeconds: 0 })));
    await a.authorize(request(lambda({ ttlSeconds: 0 })));
    expect(events).toHaveLength(2);
  });

  test.each<[string, Partial<LambdaAuthorizer>, Partial<AuthorizationRequest>, string]>([
    ['no token', {}, { headers: [] }, '401 {"message":"Unauthorized"}'],
    ['an empty token', {}, { headers: [['Authorization', '']] }, '401 {"message":"Unauthorized"}'],
    ['a token failing the validation expression', { validationExpression: 'Bearer .+' }, {}, '401 {"message":"Unauthorized"}'],
    ['a REQUEST source missing', { type: 'rest-request', identitySources: [header('Authorization'), { from: 'query', name: 'tenant', expression: 'method.request.querystring.tenant' }] }, {}, '401 {"message":"Unauthorized"}'],
  ])('%s: refused without calling the function', async (_, over, req, expected) => {
    const { a, events } = authorizers(() => allow());
    expect(await status(a.authorize(request(lambda(over), req)))).toBe(expected);
    expect(events).toHaveLength(0);
  });

  test.each<[string, unknown, string | undefined, string]>([
    ['an explicit Deny', { ...allow(), policyDocument: { Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] } }, undefined, '403 {"message":"User is not authorized to access this resource with an explicit deny"}'],
    ['"Unauthorized"', undefined, 'Unauthorized', '401 {"message":"Unauthorized"}'],
    ['another error', undefined, 'boom', '500 {"message":null}'],
    ['no principalId', { policyDocument: allow().policyDocument }, undefined, '500 {"message":null}'],
    ['no policy', { principalId: 'a' }, undefined, '500 {"message":null}'],
    ['a context with an object', allow('*', { nested: { a: 1 } }), undefined, '500 {"message":null}'],
  ])('REST: %s', async (_, answer, error, expected) => {
    const { a, log } = authorizers(() => answer, error);
    expect(await status(a.authorize(request(lambda())))).toBe(expected);
    if (expected.startsWith('500')) expect(log.join('\n')).toMatch(/^Api: authorizer Auth (failed|answered what API Gateway cannot use)/);
  });

  test('an authorizer that cannot run (its image, the engine) is a 500, said', async () => {
    const log: string[] = [];
    const a = new Authorizers({ invoke: async () => { throw new Error('image missing'); }, keys: new KeySets(), log: l => log.push(l) });
    expect(await status(a.authorize(request(lambda())))).toBe('500 {"message":null}');
    expect(log).toEqual(['Api: authorizer Auth could not run (image missing): 500']);
  });

  test('an authorizer that does not answer within the API\'s timeout is a 500, said', async () => {
    const log: string[] = [];
    const timeouts: number[] = [];
    const a = new Authorizers({ invoke: async (_f, _e, seconds) => { timeouts.push(seconds); return 'timeout'; }, keys: new KeySets(), log: l => log.push(l) });
    expect(await status(a.authorize(request(lambda())))).toBe('500 {"message":null}');
    expect(timeouts).toEqual([29]);
    expect(log).toEqual(['Api: authorizer Auth could not run (no answer within 29 s): 500']);
  });

  test('REST REQUEST: the request without its body, with type and methodArn', async () => {
    const { a, events } = authorizers(() => allow());
    await a.authorize(request(lambda({ type: 'rest-request', identitySources: [header('Authorization')] })));
    expect(events[0]).toEqual({ functionPath: 'S/Auth', type: 'REQUEST', methodArn: expect.stringMatching(/GET\/orders\/7$/), version: '1.0', headers: { Authorization: 'tok' }, requestContext: expect.any(Object) });
  });

  test('HTTP API, payload 2.0 with simple responses: routeArn and identitySource list; isAuthorized; context under lambda; errors 500', async () => {
    const http = (answer: unknown, error?: string) => {
      const t = authorizers(() => answer, error);
      return { ...t, decision: t.a.authorize(request(lambda({ type: 'http-request', payloadFormat: '2.0', simpleResponses: true, ttlSeconds: 0, identitySources: [header('Authorization')] }), { api: api('http-api') })) };
    };
    const ok = http({ isAuthorized: true, context: { user: 'alice', n: 1 } });
    expect(await ok.decision).toEqual({ allowed: true, authorizer: { lambda: { user: 'alice', n: 1 } } });
    expect(ok.events[0]).toMatchObject({ version: '2.0', type: 'REQUEST', routeArn: expect.stringMatching(/^arn:aws:execute-api:/), identitySource: ['tok'] });
    expect(ok.events[0].body).toBeUndefined();
    expect(await status(http({ isAuthorized: false }).decision)).toBe('403 {"message":"Forbidden"}');
    expect(await status(http({ isAuthorized: 'yes' }).decision)).toBe('500 {"message":"Internal Server Error"}');
    expect(await status(http(undefined, 'Unauthorized').decision)).toBe('500 {"message":"Internal Server Error"}');
  });

  test('HTTP API, payload 1.0 with policies: methodArn, identitySource and authorizationToken as strings; Deny is 403 Forbidden', async () => {
    const t = authorizers(e => (e.authorizationToken === 'tok' ? allow() : allow()));
    const auth = lambda({ type: 'http-request', payloadFormat: '1.0', ttlSeconds: 0 });
    expect(await t.a.authorize(request(auth, { api: api('http-api') }))).toEqual({ allowed: true, authorizer: { lambda: { user: 'alice', n: 1, ok: true } } });
    expect(t.events[0]).toMatchObject({ version: '1.0', type: 'REQUEST', methodArn: expect.any(String), identitySource: 'tok', authorizationToken: 'tok' });
    const denied = authorizers(() => ({ ...allow(), policyDocument: { Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] } }));
    expect(await status(denied.a.authorize(request(auth, { api: api('http-api') })))).toBe('403 {"message":"Forbidden"}');
  });

  test('identity sources from a stage variable and a context variable', async () => {
    const { a, events } = authorizers(() => allow());
    const sources = [{ from: 'stage' as const, name: 'v', expression: 'stageVariables.v' }, { from: 'context' as const, name: 'identity.sourceIp', expression: 'context.identity.sourceIp' }];
    expect(await status(a.authorize(request(lambda({ type: 'rest-request', identitySources: sources }), { headers: [] })))).toBe('allowed');
    expect(events).toHaveLength(1);
  });
});

describe('IAM', () => {
  test('REST: unsigned is "Missing Authentication Token"; signed passes the access key; HTTP: Forbidden, and the key under iam', async () => {
    const { a } = authorizers(() => undefined);
    const now = new Date('2026-12-04T12:00:00Z');
    const signed: Array<[string, string]> = [['authorization', `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE0000000/20261204/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=${'1'.repeat(64)}`], ['x-amz-date', '20261204T120000Z']];
    const unsigned = await a.authorize(request({ type: 'AWS_IAM' }, { headers: [], now }));
    expect(unsigned.allowed === false && [unsigned.response.statusCode, unsigned.response.body.toString(), unsigned.response.headers]).toEqual([
      403, '{"message":"Missing Authentication Token"}', expect.arrayContaining([['x-amzn-errortype', 'MissingAuthenticationTokenException']]),
    ]);
    expect(await a.authorize(request({ type: 'AWS_IAM' }, { headers: signed, now }))).toEqual({ allowed: true, accessKey: 'AKIDEXAMPLE0000000' });
    expect(await status(a.authorize(request({ type: 'AWS_IAM' }, { headers: [], now, api: api('http-api') })))).toBe('403 {"message":"Forbidden"}');
    expect(await a.authorize(request({ type: 'AWS_IAM' }, { headers: signed, now, api: api('http-api') }))).toEqual({ allowed: true, authorizer: { iam: { accessKey: 'AKIDEXAMPLE0000000' } } });
  });
});

describe('JWT and Cognito', () => {
  const key = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jwks-')), 'jwks.json');
  fs.writeFileSync(file, JSON.stringify({ keys: [{ ...key.publicKey.export({ format: 'jwk' }), kid: 'k' }] }));
  const now = new Date();
  const sign = (claims: object) => {
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const body = `${b64({ alg: 'RS256', kid: 'k' })}.${b64({ iss: 'https://i', aud: 'a', exp: Math.floor(now.getTime() / 1000) + 60, ...claims })}`;
    return `${body}.${crypto.sign('sha256', Buffer.from(body), key.privateKey).toString('base64url')}`;
  };
  const jwt = (flavour: 'cognito' | 'http-jwt', scopes: string[] = []): RouteAuthorization => ({
    type: 'JWT', scopes, authorizer: { kind: 'jwt', name: 'J', flavour, issuers: ['https://i'], audience: flavour === 'cognito' ? [] : ['a'], identitySource: header('Authorization') },
  });
  const withKeys = (sources: string[]) => new Authorizers({ invoke: async () => ({ payload: '' }), keys: new KeySets(sources), log: () => undefined });

  test('HTTP API: claims as strings under jwt, scopes null without route scopes; a missing scope is 403 with the challenge', async () => {
    const a = withKeys([file]);
    const token = sign({ sub: 'alice', groups: ['x', 'y'], scope: 'r w' });
    expect(await a.authorize(request(jwt('http-jwt'), { headers: [['Authorization', token]], now, api: api('http-api') }))).toEqual({
      allowed: true, authorizer: { jwt: { claims: { iss: 'https://i', aud: 'a', exp: expect.stringMatching(/^\d+$/), sub: 'alice', groups: '[x y]', scope: 'r w' }, scopes: null } },
    });
    const denied = await a.authorize(request(jwt('http-jwt', ['admin']), { headers: [['Authorization', token]], now, api: api('http-api') }));
    expect(!denied.allowed && [denied.response.statusCode, denied.response.headers.find(([n]) => n === 'www-authenticate')?.[1]]).toEqual([
      403, 'Bearer scope="admin" error="insufficient_scope" error_description="the token does not have the required scope"',
    ]);
  });

  test('Cognito: claims under claims; every refusal is 401 Unauthorized; keys that cannot be had are a 401 and said', async () => {
    const a = withKeys([file]);
    expect(await a.authorize(request(jwt('cognito'), { headers: [['Authorization', sign({ sub: 'alice' })]], now }))).toMatchObject({ allowed: true, authorizer: { claims: { sub: 'alice' } } });
    expect(await status(a.authorize(request(jwt('cognito', ['admin']), { headers: [['Authorization', sign({})]], now })))).toBe('401 {"message":"Unauthorized"}');
    const log: string[] = [];
    const offline = new Authorizers({ invoke: async () => ({ payload: '' }), keys: new KeySets([path.join(path.dirname(file), 'missing.json')]), log: l => log.push(l) });
    expect(await status(offline.authorize(request(jwt('http-jwt'), { headers: [['Authorization', sign({})]], now, api: api('http-api') })))).toBe('401 {"message":"Unauthorized"}');
    expect(log).toEqual([expect.stringMatching(/^Api: authorizer J: the issuer's keys cannot be had \(ENOENT.*\): 401$/)]);
  });
});

describe('IAM signatures', () => {
  const now = new Date('2026-12-04T12:00:00Z');
  const identity = { accessKey: 'AKIDLOCAL', date: '20261204', region: 'us-east-1', service: 'execute-api', signedHeaders: ['host', 'x-amz-date'], amzDate: '20261204T120000Z', signature: '' };
  const headersSignedWith = (secret: string, accessKey = 'AKIDLOCAL'): Array<[string, string]> => {
    const base: Array<[string, string]> = [['host', '127.0.0.1:3000'], ['x-amz-date', identity.amzDate]];
    const signature = sigV4Signature({ method: 'GET', path: '/orders/7', query: [], headers: base, body: Buffer.alloc(0) }, identity, secret);
    return [...base, ['authorization', `AWS4-HMAC-SHA256 Credential=${accessKey}/20261204/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=${signature}`]];
  };
  const withSecret = (log: string[] = []) => new Authorizers({
    invoke: async () => ({ payload: '' }),
    keys: new KeySets(),
    log: l => log.push(l),
    secretFor: async key => (key === 'AKIDLOCAL' ? 'local-secret' : undefined),
  });
  const iam = (headers: Array<[string, string]>, kind: Api['kind'] = 'rest-api') => request({ type: 'AWS_IAM' }, { headers, now, api: api(kind), body: Buffer.alloc(0) });

  test('signed with the secret start-api has: allowed; with another secret: 403 InvalidSignatureException (REST), Forbidden (HTTP)', async () => {
    const a = withSecret();
    expect(await a.authorize(iam(headersSignedWith('local-secret')))).toEqual({ allowed: true, accessKey: 'AKIDLOCAL' });
    const wrong = await a.authorize(iam(headersSignedWith('wrong-secret')));
    expect(!wrong.allowed && [wrong.response.statusCode, JSON.parse(wrong.response.body.toString()).message, wrong.response.headers.find(([n]) => n === 'x-amzn-errortype')?.[1]]).toEqual([
      403, expect.stringMatching(/^The request signature we calculated does not match the signature you provided/), 'InvalidSignatureException',
    ]);
    expect(await status(a.authorize(iam(headersSignedWith('wrong-secret'), 'http-api')))).toBe('403 {"message":"Forbidden"}');
  });

  test('another key: checked for form only, said once', async () => {
    const log: string[] = [];
    const a = withSecret(log);
    expect(await status(a.authorize(iam(headersSignedWith('whatever', 'AKIDOTHER'))))).toBe('allowed');
    expect(await status(a.authorize(iam(headersSignedWith('whatever', 'AKIDOTHER'))))).toBe('allowed');
    expect(log).toEqual(['Api: IAM: requests signed with AKIDOTHER are checked for form only (start-api has the secret of the credentials it resolves, not this key\'s)']);
  });
});
