import { CorsConfiguration, isPreflight, preflightResponse, readCorsConfiguration, withCorsHeaders } from '../../../src/cli/apigw/cors';

const cors: CorsConfiguration = { allowOrigins: ['https://app.example.com', 'https://*.dev.example.com'], allowMethods: ['GET', 'POST'], allowHeaders: ['authorization'], exposeHeaders: ['x-id'], maxAge: 300, allowCredentials: true };
const preflight = (origin: string): Array<[string, string]> => [['Origin', origin], ['Access-Control-Request-Method', 'POST'], ['Access-Control-Request-Headers', 'authorization,x-custom']];

describe('HTTP API CORS', () => {
  test('a preflight needs OPTIONS, Origin and Access-Control-Request-Method', () => {
    expect(isPreflight('OPTIONS', preflight('https://a'))).toBe(true);
    expect(isPreflight('OPTIONS', [['Origin', 'https://a']])).toBe(false);
    expect(isPreflight('GET', preflight('https://a'))).toBe(false);
  });

  test('an allowed origin gets the configuration, a wildcard origin too, another none', () => {
    expect(preflightResponse(cors, preflight('https://app.example.com'))).toEqual({
      statusCode: 204,
      headers: [
        ['access-control-allow-origin', 'https://app.example.com'], ['access-control-allow-credentials', 'true'], ['access-control-allow-methods', 'GET,POST'],
        ['access-control-allow-headers', 'authorization'], ['access-control-max-age', '300'],
      ],
    });
    expect(preflightResponse(cors, preflight('https://x.dev.example.com')).headers[0]).toEqual(['access-control-allow-origin', 'https://x.dev.example.com']);
    expect(preflightResponse(cors, preflight('https://evil.example.com'))).toEqual({ statusCode: 204, headers: [] });
  });

  test('* without credentials answers *; * in allowHeaders allows what was asked', () => {
    const open = { ...cors, allowOrigins: ['*'], allowHeaders: ['*'], allowCredentials: false };
    expect(preflightResponse(open, preflight('https://anyone'))).toEqual({
      statusCode: 204,
      headers: [['access-control-allow-origin', '*'], ['access-control-allow-methods', 'GET,POST'], ['access-control-allow-headers', 'authorization,x-custom'], ['access-control-max-age', '300']],
    });
  });

  test('responses: the backend\'s CORS headers are dropped, the configured ones added for an allowed origin only', () => {
    const backend: Array<[string, string]> = [['Access-Control-Allow-Origin', '*'], ['x-id', '1']];
    expect(withCorsHeaders(cors, [['origin', 'https://app.example.com']], backend)).toEqual([
      ['x-id', '1'], ['access-control-allow-origin', 'https://app.example.com'], ['access-control-allow-credentials', 'true'], ['access-control-expose-headers', 'x-id'],
    ]);
    expect(withCorsHeaders(cors, [['origin', 'https://evil']], backend)).toEqual([['x-id', '1']]);
    expect(withCorsHeaders(cors, [], backend)).toEqual([['x-id', '1']]);
  });

  test('read from the template; a list known only after deployment is said', () => {
    const notes: string[] = [];
    expect(readCorsConfiguration(undefined, notes)).toBeUndefined();
    expect(readCorsConfiguration({ AllowOrigins: [{ 'Fn::GetAtt': ['Site', 'Url'] }], AllowMethods: ['GET'] }, notes)).toEqual({
      allowOrigins: [], allowMethods: ['GET'], allowHeaders: [], exposeHeaders: [], maxAge: undefined, allowCredentials: false,
    });
    expect(notes).toEqual(['CORS AllowOrigins: [{"Fn::GetAtt":["Site","Url"]}] is known only after deployment: none']);
  });
});
