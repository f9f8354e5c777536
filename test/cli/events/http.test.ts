import { event, failure, TIME } from './generated';
import { EventOptionValues } from '../../../src/cli/events';

describe('http', () => {
  test('apigateway-rest carries the method, path, resource, path and query parameters, headers and body', () => {
    const e = event('apigateway-rest', {
      method: 'put',
      path: '/orders/42',
      resource: '/orders/{id}',
      query: 'tag=a&tag=b%20c&x=1',
      header: ['X-Trace: 1', 'X-Trace: 2', 'User-Agent: test-agent'],
      body: 'hello',
      stage: 'dev',
      account: '111122223333',
    });
    expect(e).toMatchObject({ httpMethod: 'PUT', path: '/orders/42', resource: '/orders/{id}', pathParameters: { id: '42' }, body: 'hello', isBase64Encoded: false });
    expect(e.queryStringParameters).toEqual({ tag: 'b c', x: '1' });
    expect(e.multiValueQueryStringParameters).toEqual({ tag: ['a', 'b c'], x: ['1'] });
    expect(e.headers).toMatchObject({ 'X-Trace': '2', 'User-Agent': 'test-agent', 'Content-Type': 'text/plain' });
    expect(e.multiValueHeaders['X-Trace']).toEqual(['1', '2']);
    expect(e.multiValueHeaders['User-Agent']).toEqual(['test-agent']);
    expect(e.requestContext).toMatchObject({ accountId: '111122223333', stage: 'dev', path: '/dev/orders/42', resourcePath: '/orders/{id}', httpMethod: 'PUT' });
    expect(e.requestContext.identity.userAgent).toBe('test-agent');
    expect(e.requestContext.requestTime).toBe('22/Nov/2026:09:30:00 +0000');
    expect(e.requestContext.requestTimeEpoch).toBe(Date.parse(TIME));
    expect(e.headers.Host).toBe(e.requestContext.domainName);
    expect(e.requestContext.domainName).toBe(`${e.requestContext.apiId}.execute-api.us-east-1.amazonaws.com`);
  });

  test('apigateway-rest\'s default resource, /{proxy+}, takes the whole path; no query is null', () => {
    const e = event('apigateway-rest', { path: '/a/b/c' });
    expect(e.pathParameters).toEqual({ proxy: 'a/b/c' });
    expect(e.queryStringParameters).toBeNull();
    expect(e.multiValueQueryStringParameters).toBeNull();
    expect(event('apigateway-rest', { resource: '/health', path: '/health' }).pathParameters).toBeNull();
  });

  test('--base64 sends a binary body as given, with isBase64Encoded', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]).toString('base64');
    for (const kind of ['apigateway-rest', 'apigateway-http', 'function-url', 'alb']) {
      const e = event(kind, { base64: png });
      expect([kind, e.body, e.isBase64Encoded]).toEqual([kind, png, true]);
      expect(JSON.stringify(e.headers)).toMatch(/"content-type":"application\/octet-stream"/i);
    }
  });

  test('apigateway-http lower-cases header names, comma-joins repeats, moves cookies out and keeps the raw query', () => {
    const e = event('apigateway-http', {
      method: 'GET',
      path: '/orders/42',
      route: 'GET /orders/{id}',
      query: 'a=1&a=2&b=x%2By',
      header: ['X-Multi: 1', 'x-multi: 2', 'Cookie: s=1; t=2'],
      stage: 'prod',
    });
    expect(e).toMatchObject({ routeKey: 'GET /orders/{id}', rawPath: '/orders/42', rawQueryString: 'a=1&a=2&b=x%2By', cookies: ['s=1', 't=2'] });
    expect(e.queryStringParameters).toEqual({ a: '1,2', b: 'x+y' });
    expect(e.pathParameters).toEqual({ id: '42' });
    expect(e.headers['x-multi']).toBe('1,2');
    expect(e.headers).not.toHaveProperty('cookie');
    expect(e.requestContext).toMatchObject({ routeKey: 'GET /orders/{id}', stage: 'prod', http: { method: 'GET', path: '/orders/42' }, timeEpoch: Date.parse(TIME) });
  });

  test('apigateway-http\'s route is "METHOD PATH" by default, or $default', () => {
    expect(event('apigateway-http', { method: 'DELETE', path: '/x' }).routeKey).toBe('DELETE /x');
    expect(event('apigateway-http', { route: '$default' })).not.toHaveProperty('pathParameters');
  });

  test('function-url is payload 2.0 as function URLs send it: $default route and stage, the URL\'s domain, an anonymous caller', () => {
    const e = event('function-url', { 'url-id': 'abcdefghij0123456789klmnopqrstuv', 'region': 'eu-central-1', 'path': 'hook', 'body': '{"a":1}' });
    expect(e).toMatchObject({ version: '2.0', routeKey: '$default', rawPath: '/hook', body: '{"a":1}', isBase64Encoded: false });
    expect(e.requestContext).toMatchObject({
      accountId: 'anonymous',
      apiId: 'abcdefghij0123456789klmnopqrstuv',
      routeKey: '$default',
      stage: '$default',
      domainName: 'abcdefghij0123456789klmnopqrstuv.lambda-url.eu-central-1.on.aws',
      domainPrefix: 'abcdefghij0123456789klmnopqrstuv',
    });
    expect(e.headers.host).toBe(e.requestContext.domainName);
    expect(e.headers['content-type']).toBe('application/json');
    expect(e.requestContext.domainName).toMatch(/^[a-z0-9]{32}\.lambda-url\.eu-central-1\.on\.aws$/);
    expect(event('function-url').requestContext.apiId).toMatch(/^[a-z0-9]{32}$/);
  });

  test('alb sends the last value of a header or parameter, the query undecoded; with multi-value headers, every value', () => {
    const options = { query: 'q=a%20b&q=c', header: ['X-Multi: 1', 'X-Multi: 2'], account: '111122223333', region: 'eu-west-1', method: 'GET' };
    const single = event('alb', options);
    expect(single.queryStringParameters).toEqual({ q: 'c' });
    expect(single.headers['x-multi']).toBe('2');
    expect(single).not.toHaveProperty('multiValueHeaders');
    expect(single.requestContext.elb.targetGroupArn).toMatch(/^arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup\/example-targets\/[0-9a-f]{16}$/);
    const multi = event('alb', { ...options, 'multi-value': 'true' });
    expect(multi.multiValueQueryStringParameters).toEqual({ q: ['a%20b', 'c'] });
    expect(multi.multiValueHeaders['x-multi']).toEqual(['1', '2']);
    expect(multi).not.toHaveProperty('headers');
    expect(multi).not.toHaveProperty('queryStringParameters');
  });

  test('the user agent reaches requestContext whatever the case of its header name', () => {
    expect(event('apigateway-rest', { header: ['user-agent: lower/1'] }).requestContext.identity.userAgent).toBe('lower/1');
    expect(event('apigateway-http', { header: ['User-Agent: Upper/1'] }).requestContext.http.userAgent).toBe('Upper/1');
  });

  test('a header given replaces the sample header of that name, whatever its case', () => {
    const e = event('apigateway-rest', { header: ['host: example.com'] });
    expect(e.headers).not.toHaveProperty('Host');
    expect(e.headers.host).toBe('example.com');
  });

  test('a GET to an HTTP API or a function URL has no body, a REST API\'s is null and an ALB\'s empty', () => {
    expect(event('apigateway-http', { method: 'GET' })).not.toHaveProperty('body');
    expect(event('function-url', { method: 'GET' })).not.toHaveProperty('body');
    expect(event('apigateway-rest', { method: 'GET' }).body).toBeNull();
    expect(event('alb', { method: 'GET' }).body).toBe('');
  });
});

describe('http errors are usage errors that name the kind, the flag, the value and the fix', () => {
  test.each([
    ['apigateway-rest', { method: 'FETCH' }, /invalid --method "FETCH": not an HTTP method\. Fix: use one of GET, POST/],
    ['apigateway-rest', { header: ['NoColon'] }, /invalid --header "NoColon": not "Name: value"/],
    ['apigateway-rest', { path: '/a?b=1' }, /invalid --path "\/a\?b=1": has a query string\. Fix: give the query with --query\./],
    ['apigateway-rest', { query: 'a=%zz' }, /invalid --query "a=%zz": "%zz" is not URL-encoded/],
    ['apigateway-rest', { resource: '/orders/{id}', path: '/users/1' }, /invalid --resource "\/orders\/\{id\}": does not match --path \/users\/1/],
    ['apigateway-http', { route: 'orders' }, /invalid --route "orders": not "METHOD \/path" nor \$default/],
    ['apigateway-http', { body: 'x', base64: 'eA==' }, /invalid --base64 "eA==": given with --body/],
    ['function-url', { base64: 'not base64!' }, /invalid --base64 "not base64!": not base64/],
    ['alb', { 'multi-value': 'yes' }, /invalid --multi-value "yes": neither true nor false\. Fix: give --multi-value true or --multi-value false\./],
  ] as Array<[string, EventOptionValues, RegExp]>)('%s %j', (kind, options, message) => {
    expect(failure(kind, options).message).toMatch(message);
  });
});

describe('authorizer inputs', () => {
  test('apigateway-authorizer-token: the token and the method ARN of --method, --path and --stage', () => {
    const e = event('apigateway-authorizer-token', { token: 'Bearer abc', method: 'get', path: '/orders/7', stage: 'dev', account: '111122223333', region: 'eu-west-1' });
    expect(e).toEqual({ type: 'TOKEN', authorizationToken: 'Bearer abc', methodArn: expect.stringMatching(/^arn:aws:execute-api:eu-west-1:111122223333:[a-z0-9]{10}\/dev\/GET\/orders\/7$/) });
    expect(failure('apigateway-authorizer-token', { method: 'FETCH' }).message).toMatch(/^generate-event apigateway-authorizer-token: invalid --method "FETCH": not an HTTP method\. Fix: use one of GET, /);
    expect(failure('apigateway-authorizer-token', { path: 'orders' }).message).toMatch(/invalid --path "orders": not a path\. Fix: give one like \/orders\/7\.$/);
  });

  test('apigateway-authorizer-request: apigateway-rest\'s request without its body, with type and the method ARN', () => {
    const options = { method: 'POST', path: '/orders/42', resource: '/orders/{id}', header: ['X-User: alice'], stage: 'dev' };
    const request = event('apigateway-rest', options);
    const e = event('apigateway-authorizer-request', options);
    expect(e.type).toBe('REQUEST');
    expect(e.methodArn).toBe(`arn:aws:execute-api:us-east-1:123456789012:${e.requestContext.apiId}/dev/POST/orders/42`);
    // The request's fields but its body (its ids are the kind's own).
    expect(Object.keys(e).sort()).toEqual([...Object.keys(request).filter(k => !['body', 'isBase64Encoded'].includes(k)), 'methodArn', 'type'].sort());
    expect(e).toMatchObject({ resource: '/orders/{id}', path: '/orders/42', httpMethod: 'POST', pathParameters: { id: '42' }, headers: { 'X-User': 'alice' } });
  });

  test('apigateway-authorizer-http: routeArn and identitySource from --identity-source; a source not in the request is an error', () => {
    const e = event('apigateway-authorizer-http', { 'method': 'GET', 'path': '/orders/7', 'route': 'GET /orders/{id}', 'query': 'tenant=a', 'identity-source': ['$request.header.Authorization', '$request.querystring.tenant', '$context.http.method'] });
    expect(e).toMatchObject({ version: '2.0', type: 'REQUEST', identitySource: ['allow', 'a', 'GET'], routeKey: 'GET /orders/{id}', pathParameters: { id: '7' } });
    expect(e.routeArn).toBe(`arn:aws:execute-api:us-east-1:123456789012:${e.requestContext.apiId}/$default/GET/orders/7`);
    expect(e.headers.authorization).toBe('allow');
    expect(event('apigateway-authorizer-http', { header: ['Authorization: Bearer xyz'] }).identitySource).toEqual(['Bearer xyz']);
    expect(failure('apigateway-authorizer-http', { 'identity-source': ['$request.header.X-Tenant'] }).message)
      .toMatch(/invalid --identity-source "\$request\.header\.X-Tenant": not in the request \(API Gateway would answer 401 without calling the authorizer\)\. Fix: give it/);
    expect(failure('apigateway-authorizer-http', { 'identity-source': ['$stageVariables.x'] }).message).toMatch(/not a request header, query string or context variable/);
  });
});
