import { ApiRoute, matchRoute, readApis } from '../../../src/cli/apigw/routes';
import { synthesizedApiApp } from '../../util';

let assembly: string;
beforeAll(() => { assembly = synthesizedApiApp(); });

describe('readApis', () => {
  test('reads the HTTP API\'s routes with their payload formats, the REST API\'s resource tree, and the function URL', () => {
    const apis = readApis(assembly);
    expect(apis.map(a => [a.kind, a.stage, a.timeoutSeconds])).toEqual([['http-api', '$default', 30], ['rest-api', 'prod', 29], ['function-url', '$default', 10]]);
    const [httpApi, rest, url] = apis;
    expect(httpApi.routes.map(r => [r.method, r.path, r.payloadFormat, r.functionPath])).toEqual(expect.arrayContaining([
      ['GET', '/orders/{id}', '2.0', 'TestStack/Orders'],
      ['GET', '/orders/latest', '2.0', 'TestStack/Orders'],
      ['ANY', '/files/{proxy+}', '1.0', 'TestStack/Orders'],
    ]));
    expect(rest.routes.map(r => [r.method, r.path, r.payloadFormat])).toEqual(expect.arrayContaining([['GET', '/orders/{id}', '1.0'], ['ANY', '/{proxy+}', '1.0']]));
    expect(rest.binaryMediaTypes).toEqual(['image/*']);
    // RestApi's root ANY is a MOCK integration: not served, and said so.
    expect(rest.skipped).toEqual(['ANY /: its MOCK integration is not a container-image function of this stack']);
    expect(url.routes).toEqual([{ method: 'ANY', path: '$default', functionPath: 'TestStack/Orders', payloadFormat: '2.0', authorization: { type: 'NONE' } }]);
  });
});

describe('matchRoute', () => {
  const route = (method: string, path: string): ApiRoute => ({ method, path, functionPath: `${method} ${path}`, payloadFormat: '2.0' });
  const routes = [route('GET', '/orders/{id}'), route('GET', '/orders/latest'), route('ANY', '/orders/{id}'), route('ANY', '/files/{proxy+}'), route('ANY', '$default')];
  const picked = (method: string, path: string) => {
    const m = matchRoute(routes, method, path);
    return m && [m.route.functionPath, m.pathParameters];
  };

  test.each([
    ['GET', '/orders/latest', 'GET /orders/latest', {}],
    ['GET', '/orders/42', 'GET /orders/{id}', { id: '42' }],
    ['DELETE', '/orders/42', 'ANY /orders/{id}', { id: '42' }],
    ['GET', '/files/a/b%20c.txt', 'ANY /files/{proxy+}', { proxy: 'a/b c.txt' }],
    ['GET', '/files', 'ANY $default', {}],
    ['POST', '/nowhere/else', 'ANY $default', {}],
  ])('%s %s goes to %s', (method, path, expected, params) => {
    expect(picked(method, path)).toEqual([expected, params]);
  });

  test('without $default, an unknown path matches nothing', () => {
    expect(matchRoute(routes.slice(0, 4), 'GET', '/other')).toBeUndefined();
    expect(matchRoute(routes.slice(0, 2), 'POST', '/orders/42')).toBeUndefined();
  });
});
