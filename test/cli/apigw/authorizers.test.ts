import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { conformanceApp, ISSUER, AUDIENCE } from '../../../e2e/fixtures/apigw-conformance/app';
import { AuthorizerReader, identitySource } from '../../../src/cli/apigw/authorizers';
import { Api, readApis } from '../../../src/cli/apigw/routes';

let apis: Api[];
beforeAll(() => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'authorizers-'));
  apis = readApis(conformanceApp(path.join(dir, 'cdk.out')));
});

const route = (kind: string, key: string) => {
  const [method, p] = key.split(' ');
  const found = apis.find(a => a.kind === kind)!.routes.find(r => r.method === method && r.path === p);
  if (!found) throw new Error(`no ${key}`);
  return found;
};

describe('authorizers read from the templates', () => {
  test('HTTP API: JWT with its issuer, audience and the route\'s scopes; Lambda with payload, simple responses and TTL; IAM; none', () => {
    expect(route('http-api', 'GET /open').authorization).toEqual({ type: 'NONE' });
    expect(route('http-api', 'GET /iam').authorization).toEqual({ type: 'AWS_IAM' });
    expect(route('http-api', 'GET /jwt/scoped').authorization).toEqual({
      type: 'JWT',
      scopes: ['orders/read'],
      authorizer: { kind: 'jwt', name: 'Jwt', flavour: 'http-jwt', issuers: [ISSUER], audience: [AUDIENCE], identitySource: { from: 'header', name: 'Authorization', expression: '$request.header.Authorization' } },
    });
    expect(route('http-api', 'GET /simple').authorization).toMatchObject({
      type: 'LAMBDA', authorizer: { type: 'http-request', functionPath: 'ApiConformanceHttp/SimpleAuthorizer', payloadFormat: '2.0', simpleResponses: true, ttlSeconds: 300 },
    });
    expect(route('http-api', 'GET /policy').authorization).toMatchObject({ type: 'LAMBDA', authorizer: { payloadFormat: '1.0', simpleResponses: false, ttlSeconds: 0 } });
  });

  test('REST API: TOKEN with its validation expression, REQUEST with two sources, Cognito with the pool\'s issuer, and CDK\'s CORS preflight as MOCK methods', () => {
    expect(route('rest-api', 'GET /token').authorization).toMatchObject({
      type: 'LAMBDA', authorizer: { type: 'rest-token', validationExpression: '^(allow|deny|wide|other|unauth|boom).*', ttlSeconds: 300, identitySources: [{ from: 'header', name: 'Authorization' }] },
    });
    expect(route('rest-api', 'GET /request').authorization).toMatchObject({
      type: 'LAMBDA', authorizer: { type: 'rest-request', identitySources: [{ from: 'header', name: 'X-User' }, { from: 'query', name: 'tenant' }] },
    });
    expect(route('rest-api', 'GET /cognito/scoped').authorization).toMatchObject({
      type: 'JWT', scopes: ['orders/read'], authorizer: { flavour: 'cognito', issuers: ['https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Conform01'], audience: [] },
    });
    const options = route('rest-api', 'OPTIONS /token');
    expect(options.functionPath).toBeUndefined();
    expect(options.mock).toEqual({
      statusCode: 204,
      echoOrigins: [],
      headers: expect.arrayContaining([['Access-Control-Allow-Origin', 'https://app.example.com'], ['Access-Control-Allow-Methods', 'GET,POST'], ['Access-Control-Max-Age', '600']]),
    });
    expect(apis.find(a => a.kind === 'rest-api')!.skipped).toEqual([]);
    expect(apis.find(a => a.kind === 'rest-api')!.notes).toEqual([]);
  });

  test('HTTP API CorsConfiguration', () => {
    expect(apis.find(a => a.kind === 'http-api')!.cors).toEqual({
      allowOrigins: ['https://app.example.com'], allowMethods: ['GET', 'POST'], allowHeaders: ['authorization', 'content-type'], exposeHeaders: ['x-request-id'], maxAge: 600, allowCredentials: true,
    });
  });

  test('what cannot be emulated is said: an authorizer elsewhere, an issuer from a Ref, an invalid expression (not served); a user pool known only after deployment (a note)', () => {
    const skipped: string[] = [];
    const notes: string[] = [];
    const resources = {
      Pooled: { Type: 'AWS::ApiGateway::Authorizer', Properties: { Type: 'COGNITO_USER_POOLS', Name: 'P', IdentitySource: 'method.request.header.Authorization', ProviderARNs: [{ 'Fn::GetAtt': ['Pool', 'Arn'] }] } },
      BadRegex: { Type: 'AWS::ApiGateway::Authorizer', Properties: { Type: 'TOKEN', Name: 'R', IdentitySource: 'method.request.header.Authorization', IdentityValidationExpression: '(unclosed', AuthorizerUri: {} } },
      Jwt: { Type: 'AWS::ApiGatewayV2::Authorizer', Properties: { AuthorizerType: 'JWT', Name: 'J', IdentitySource: ['$request.header.Authorization'], JwtConfiguration: { Issuer: { Ref: 'X' } } } },
    };
    const reader = new AuthorizerReader(resources, () => undefined, skipped, notes);
    expect(reader.authorization({ AuthorizationType: 'COGNITO_USER_POOLS', AuthorizerId: { Ref: 'Pooled' } }, 'GET /a')).toMatchObject({ authorizer: { issuers: ['https://cognito-idp.*.amazonaws.com/*'] } });
    expect(reader.authorization({ AuthorizationType: 'JWT', AuthorizerId: { Ref: 'Jwt' } }, 'GET /b')).toBeUndefined();
    expect(reader.authorization({ AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: 'Elsewhere' } }, 'GET /c')).toBeUndefined();
    expect(new AuthorizerReader(resources, () => 'S/Fn', skipped, notes).authorization({ AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: 'BadRegex' } }, 'GET /d')).toBeUndefined();
    expect(notes).toEqual([expect.stringMatching(/^authorizer P: the user pool .* is known only after deployment: any https:\/\/cognito-idp\.\*\.amazonaws\.com\/\* issuer is accepted/)]);
    expect(skipped).toEqual([
      'GET /b: authorizer J: its issuer {"Ref":"X"} is known only after deployment',
      'GET /c: its CUSTOM authorizer is not a resource of this stack',
      'GET /d: authorizer R: its identityValidationExpression "(unclosed" is not a valid regular expression',
    ]);
  });

  test.each([
    ['method.request.header.Authorization', { from: 'header', name: 'Authorization' }],
    ['$request.querystring.tenant', { from: 'query', name: 'tenant' }],
    ['stageVariables.key', { from: 'stage', name: 'key' }],
    ['$context.identity.sourceIp', { from: 'context', name: 'identity.sourceIp' }],
    ['route.request.header.X', undefined],
  ])('identity source %s', (expression, expected) => {
    expect(identitySource(expression)).toEqual(expected && { ...expected, expression });
  });
});
