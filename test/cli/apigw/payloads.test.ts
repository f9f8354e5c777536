import * as fs from 'fs';
import * as path from 'path';
import {
  allValues, ApiRequest, apiGatewayId, apiTime, commaJoined, functionUrlEvent, HttpRequest, httpApiEvent, lastValues, requestEvent, restApiEvent,
} from '../../../src/cli/apigw/payloads';
import { Api, ApiRoute } from '../../../src/cli/apigw/routes';
import { shape } from '../../util';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'events');
const fixture = (name: string) => JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8'));

const api = (kind: Api['kind'], over: Partial<Api> = {}): Api => ({ kind, stack: 'S', logicalId: 'Http1234ABCD', stage: kind === 'rest-api' ? 'prod' : '$default', timeoutSeconds: 30, binaryMediaTypes: [], routes: [], skipped: [], ...over });
const route = (payloadFormat: '1.0' | '2.0', p = '/orders/{id}', method = 'GET'): ApiRoute => ({ method, path: p, functionPath: 'S/Fn', payloadFormat });
const request = (over: Partial<HttpRequest> = {}): HttpRequest => ({
  method: 'GET',
  url: '/orders/42?expand=items&tag=a&tag=b',
  headers: [['Host', '127.0.0.1:3000'], ['User-Agent', 'curl/8'], ['X-Multi', 'one'], ['X-Multi', 'two'], ['Cookie', 'a=1; b=2']],
  body: Buffer.alloc(0),
  ...over,
});
const json = (e: unknown) => JSON.parse(JSON.stringify(e));

describe('requestEvent', () => {
  test('payload 2.0 (HTTP API) has the shape API Gateway sends, and the request in it', () => {
    const e = json(requestEvent(api('http-api'), route('2.0'), { id: '42' }, request()));
    const { body: _noBody, ...sample } = fixture('apigateway-http');
    expect(shape(e)).toEqual(shape({ ...sample, cookies: ['x'] }));
    expect(e).toMatchObject({
      routeKey: 'GET /orders/{id}',
      rawPath: '/orders/42',
      rawQueryString: 'expand=items&tag=a&tag=b',
      cookies: ['a=1', 'b=2'],
      pathParameters: { id: '42' },
      queryStringParameters: { expand: 'items', tag: 'a,b' },
      requestContext: { http: { method: 'GET', path: '/orders/42', userAgent: 'curl/8' }, stage: '$default', routeKey: 'GET /orders/{id}' },
      isBase64Encoded: false,
    });
    expect(e.headers).toMatchObject({ 'x-multi': 'one,two', 'user-agent': 'curl/8' });
    expect(e.headers.cookie).toBeUndefined();
  });

  test('payload 1.0 (REST API) has the shape API Gateway sends: last values and multi-value maps, the stage in the path', () => {
    const e = json(requestEvent(api('rest-api'), route('1.0'), { id: '42' }, request({ method: 'POST', body: Buffer.from('{"a":1}'), headers: [['Content-Type', 'application/json'], ['X-Multi', 'one'], ['X-Multi', 'two']] })));
    expect(Object.keys(e).sort()).toEqual(Object.keys(fixture('apigateway-rest')).sort());
    const withAgent = json(requestEvent(api('rest-api'), route('1.0'), { id: '42' }, request({ method: 'POST', body: Buffer.from('{"a":1}') })));
    expect(shape(withAgent)).toEqual(shape(fixture('apigateway-rest'))); // the identity's 11 fields, extendedRequestId, ...
    expect(e).toMatchObject({
      resource: '/orders/{id}',
      path: '/orders/42',
      httpMethod: 'POST',
      body: '{"a":1}',
      isBase64Encoded: false,
      headers: { 'X-Multi': 'two' },
      multiValueHeaders: { 'X-Multi': ['one', 'two'] },
      queryStringParameters: { expand: 'items', tag: 'b' },
      multiValueQueryStringParameters: { tag: ['a', 'b'] },
      requestContext: { path: '/prod/orders/42', resourcePath: '/orders/{id}', stage: 'prod', httpMethod: 'POST' },
    });
  });

  test('a function URL\'s event: routeKey $default, no path parameters, its own domain', () => {
    const e = json(requestEvent(api('function-url', { logicalId: 'OrdersFunctionUrl12AB' }), route('2.0', '$default', 'ANY'), {}, request()));
    expect(e.routeKey).toBe('$default');
    expect(e.pathParameters).toBeUndefined();
    expect(e.requestContext).toMatchObject({ accountId: 'anonymous', domainName: expect.stringMatching(/\.lambda-url\.us-east-1\.on\.aws$/) });
    expect(Object.keys(e).sort()).toEqual(Object.keys({ ...fixture('function-url'), cookies: 1 }).filter(k => k !== 'body').sort());
  });

  test('binary bodies are base64: HTTP APIs for non-text types, REST APIs for their binaryMediaTypes only', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]);
    const binary = request({ method: 'POST', body: png, headers: [['Content-Type', 'image/png']] });
    const v2 = json(requestEvent(api('http-api'), route('2.0'), {}, binary));
    expect(v2).toMatchObject({ isBase64Encoded: true, body: png.toString('base64') });
    const restWithout = json(requestEvent(api('rest-api'), route('1.0'), {}, binary));
    expect(restWithout.isBase64Encoded).toBe(false);
    const restWith = json(requestEvent(api('rest-api', { binaryMediaTypes: ['image/*'] }), route('1.0'), {}, binary));
    expect(restWith).toMatchObject({ isBase64Encoded: true, body: png.toString('base64') });
    const text = json(requestEvent(api('http-api'), route('2.0'), {}, request({ method: 'POST', body: Buffer.from('{"a":1}'), headers: [['content-type', 'application/json; charset=utf-8']] })));
    expect(text).toMatchObject({ isBase64Encoded: false, body: '{"a":1}' });
  });

  test('the region given (us-east-1 by default) is in the domain; the time is `now`', () => {
    const now = new Date('2026-12-02T06:52:40.123Z');
    const v2 = json(requestEvent(api('http-api'), route('2.0'), {}, request(), now, 'eu-west-2'));
    expect(v2.requestContext).toMatchObject({ domainName: 'http1234ab.execute-api.eu-west-2.amazonaws.com', time: '02/Dec/2026:06:52:40 +0000', timeEpoch: now.getTime() });
    const rest = json(requestEvent(api('rest-api'), route('1.0'), {}, request(), now));
    expect(rest.requestContext).toMatchObject({ domainName: 'http1234ab.execute-api.us-east-1.amazonaws.com', requestTime: '02/Dec/2026:06:52:40 +0000' });
    const url = json(requestEvent(api('function-url', { logicalId: 'OrdersFunctionUrl12AB' }), route('2.0', '$default', 'ANY'), {}, request(), now, 'ap-south-1'));
    expect(url.requestContext.domainName).toBe('ordersfunctionurl12ab.lambda-url.ap-south-1.on.aws');
  });

  test('request ids as each API writes them; a resource keeps its id; HTTP APIs\' payload 1.0 path has no stage', () => {
    const v2 = json(requestEvent(api('http-api'), route('2.0'), {}, request()));
    expect(v2.requestContext.requestId).toMatch(/^[A-Za-z0-9+/]{15}=$/);
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const rest = () => json(requestEvent(api('rest-api'), route('1.0'), {}, request()));
    const [a, b] = [rest(), rest()];
    expect(a.requestContext.requestId).toMatch(uuid);
    expect(a.requestContext.requestId).not.toBe(b.requestContext.requestId);
    expect(a.requestContext.extendedRequestId).toMatch(/^[A-Za-z0-9+/]{15}=$/);
    expect(a.requestContext.resourceId).toMatch(/^[a-z0-9]{6}$/);
    expect(b.requestContext.resourceId).toBe(a.requestContext.resourceId);
    expect(json(requestEvent(api('rest-api'), route('1.0', '/other'), {}, request())).requestContext.resourceId).not.toBe(a.requestContext.resourceId);
    expect(json(requestEvent(api('function-url'), route('2.0', '$default', 'ANY'), {}, request())).requestContext.requestId).toMatch(uuid);
    const v1 = json(requestEvent(api('http-api', { stage: 'dev' }), route('1.0'), {}, request()));
    expect(v1.requestContext).toMatchObject({ path: '/orders/42', stage: 'dev' });
    expect(shape(v1.requestContext)).toEqual(shape(fixture('apigateway-rest').requestContext));
  });
});

describe('the builders', () => {
  const req: ApiRequest = {
    method: 'POST',
    path: '/orders/42',
    rawQuery: 'a=1&a=2&b=x%2By',
    query: [['a', '1'], ['a', '2'], ['b', 'x+y']],
    headers: [['Host', 'h'], ['user-agent', 'ua/1'], ['Cookie', 'c=1; d=2']],
    body: '{}',
    isBase64Encoded: false,
    sourceIp: '10.0.0.1',
  };
  const time = new Date('2015-04-09T12:34:56.789Z');
  const context = { accountId: '111122223333', apiId: 'abcdefghij', region: 'eu-west-1', stage: 'prod', requestId: 'rid', time, pathParameters: { id: '42' } };

  test('are pure: the ids, time, region and account are the caller\'s', () => {
    const http = () => httpApiEvent(req, { ...context, routeKey: 'POST /orders/{id}' });
    expect(http()).toEqual(http());
    expect(http()).toMatchObject({
      routeKey: 'POST /orders/{id}',
      cookies: ['c=1', 'd=2'],
      queryStringParameters: { a: '1,2', b: 'x+y' },
      pathParameters: { id: '42' },
      requestContext: {
        accountId: '111122223333',
        domainName: 'abcdefghij.execute-api.eu-west-1.amazonaws.com',
        http: { method: 'POST', path: '/orders/42', sourceIp: '10.0.0.1', userAgent: 'ua/1' },
        requestId: 'rid',
        time: '09/Apr/2015:12:34:56 +0000',
        timeEpoch: time.getTime(),
      },
    });
    const rest = () => restApiEvent(req, { ...context, resource: '/orders/{id}', resourceId: 'r1d2e3', extendedRequestId: 'x' });
    expect(rest()).toEqual(rest());
    expect(shape(json(rest()))).toEqual(shape(fixture('apigateway-rest')));
    expect(rest().requestContext).toMatchObject({
      accountId: '111122223333',
      resourceId: 'r1d2e3',
      requestId: 'rid',
      extendedRequestId: 'x',
      path: '/prod/orders/42',
      requestTimeEpoch: time.getTime(),
      domainName: 'abcdefghij.execute-api.eu-west-1.amazonaws.com',
      identity: { sourceIp: '10.0.0.1', userAgent: 'ua/1' },
    });
    const url = functionUrlEvent(req, { urlId: 'u1', region: 'eu-west-1', requestId: 'rid', time });
    expect(url.requestContext).toMatchObject({ accountId: 'anonymous', apiId: 'u1', domainName: 'u1.lambda-url.eu-west-1.on.aws', routeKey: '$default', stage: '$default' });
    expect(url).not.toHaveProperty('pathParameters');
  });

  test('helpers: API Gateway\'s time and short ids; the maps of repeated names', () => {
    expect(apiTime(new Date('2026-01-05T03:04:05Z'))).toBe('05/Jan/2026:03:04:05 +0000');
    expect(apiGatewayId(Buffer.alloc(32, 0xff))).toBe('//////////////8=');
    const pairs: Array<[string, string]> = [['a', '1'], ['b', '2'], ['a', '3']];
    expect(lastValues(pairs)).toEqual({ a: '3', b: '2' });
    expect(allValues(pairs)).toEqual({ a: ['1', '3'], b: ['2'] });
    expect(commaJoined(pairs)).toEqual({ a: '1,3', b: '2' });
  });
});
