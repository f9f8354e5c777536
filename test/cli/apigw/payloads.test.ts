import * as fs from 'fs';
import * as path from 'path';
import { HttpRequest, requestEvent } from '../../../src/cli/apigw/payloads';
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
});
