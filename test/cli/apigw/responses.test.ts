import { httpResponse, gatewayError } from '../../../src/cli/apigw/responses';
import { Api, ApiRoute } from '../../../src/cli/apigw/routes';

const api = (kind: Api['kind'], over: Partial<Api> = {}): Api => ({ kind, stack: 'S', logicalId: 'Http1234ABCD', stage: kind === 'rest-api' ? 'prod' : '$default', timeoutSeconds: 30, binaryMediaTypes: [], routes: [], skipped: [], ...over });
const route = (payloadFormat: '1.0' | '2.0', p = '/orders/{id}', method = 'GET'): ApiRoute => ({ method, path: p, functionPath: 'S/Fn', payloadFormat });

describe('httpResponse', () => {
  const http = api('http-api');
  const rest = api('rest-api');

  test('maps status, headers, cookies and a base64 body back; multi-value headers in payload 1.0 only (D11)', () => {
    const answer = { statusCode: 201, headers: { 'content-type': 'image/png' }, multiValueHeaders: { 'x-m': ['1', '2'] }, cookies: ['a=1', 'b=2'], body: Buffer.from([1, 2, 255]).toString('base64'), isBase64Encoded: true };
    const res = httpResponse(http, route('2.0'), JSON.stringify(answer), undefined);
    expect(res.statusCode).toBe(201);
    expect(res.headers).toEqual([['content-type', 'image/png'], ['set-cookie', 'a=1'], ['set-cookie', 'b=2']]);
    expect([...res.body]).toEqual([1, 2, 255]);
    expect(httpResponse(rest, route('1.0'), JSON.stringify(answer), undefined).headers).toEqual([['content-type', 'image/png'], ['x-m', '1'], ['x-m', '2']]);
  });

  test('a header HTTP cannot carry is a malformed answer: 502, not a thrown error (D1)', () => {
    for (const headers of [{ 'X-Price': '5 €' }, { 'X-Inj': 'a\r\nb' }, { 'Bad Header': 'x' }]) {
      const res = httpResponse(http, route('2.0'), JSON.stringify({ statusCode: 200, headers, body: 'hi' }), undefined);
      expect(res.statusCode).toBe(502);
    }
    expect(httpResponse(http, route('2.0'), JSON.stringify({ statusCode: 200, headers: { 'X-Latin': 'caf\u00e9' }, body: 'hi' }), undefined).statusCode).toBe(200);
  });

  test('the gateway frames the body: the function\'s Content-Length and Transfer-Encoding are dropped; a 1xx is a 502 (D11)', () => {
    const res = httpResponse(http, route('2.0'), JSON.stringify({ statusCode: 200, headers: { 'Content-Length': '2', 'transfer-encoding': 'chunked', 'x-a': '1' }, body: 'hello' }), undefined);
    expect(res.headers).toEqual([['x-a', '1']]);
    expect(res.body.toString()).toBe('hello');
    expect(httpResponse(http, route('2.0'), '{"statusCode":100}', undefined).statusCode).toBe(502);
    expect(httpResponse(http, route('2.0'), '{"statusCode":101}', undefined).statusCode).toBe(502);
  });

  test('payload 2.0 infers a 200 JSON response from any other answer', () => {
    const res = httpResponse(http, route('2.0'), '{"orders":[]}', undefined);
    expect([res.statusCode, res.body.toString(), res.headers]).toEqual([200, '{"orders":[]}', [['content-type', 'application/json']]]);
    expect(httpResponse(http, route('2.0'), '"plain"', undefined).body.toString()).toBe('plain');
  });

  test.each([
    ['payload 1.0 without statusCode', rest, '1.0', '{"orders":[]}'],
    ['a body that is not a string (1.0)', rest, '1.0', '{"statusCode":200,"body":{"a":1}}'],
    ['a status that is no HTTP status', http, '2.0', '{"statusCode":"abc"}'],
    ['an answer that is not JSON', http, '2.0', 'oops'],
  ])('%s is API Gateway\'s 502', (_, a, format, payload) => {
    const res = httpResponse(a as Api, route(format as '1.0' | '2.0'), payload as string, undefined);
    expect(res.statusCode).toBe(502);
    expect(JSON.parse(res.body.toString())).toEqual({ message: (a as Api).kind === 'rest-api' ? 'Internal server error' : 'Internal Server Error' });
  });

  test('a function error is a 502 too', () => {
    expect(httpResponse(http, route('2.0'), '{"errorMessage":"x","errorType":"E"}', 'Unhandled').statusCode).toBe(502);
  });
});

test('gatewayError gives API Gateway\'s own message bodies', () => {
  expect(JSON.parse(gatewayError(api('http-api'), 404).body.toString())).toEqual({ message: 'Not Found' });
  expect(JSON.parse(gatewayError(api('rest-api'), 504).body.toString())).toEqual({ message: 'Endpoint request timed out' });
  expect(gatewayError(api('http-api'), 413).statusCode).toBe(413);
});
