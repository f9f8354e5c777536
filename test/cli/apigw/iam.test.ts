import { checkSigV4, evaluatePolicy, executeApiArn } from '../../../src/cli/apigw/iam';

const ARN = executeApiArn('us-east-1', '123456789012', 'abc', 'prod', 'GET', '/orders/7');
const policy = (...statements: object[]) => ({ Version: '2012-10-17', Statement: statements });

describe('evaluatePolicy', () => {
  test('the method ARN', () => expect(ARN).toBe('arn:aws:execute-api:us-east-1:123456789012:abc/prod/GET/orders/7'));
  test.each<[string, object, string]>([
    ['an Allow of the ARN', policy({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: ARN }), 'Allow'],
    ['an Allow with wildcards', policy({ Effect: 'Allow', Action: 'execute-api:*', Resource: 'arn:aws:execute-api:*:*:abc/*/GET/*' }), 'Allow'],
    ['an Allow with ?', policy({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:us-east-1:123456789012:abc/prod/GET/orders/?' }), 'Allow'],
    ['a lower-case action', policy({ Effect: 'Allow', Action: 'execute-api:invoke', Resource: [ARN] }), 'Allow'],
    ['a single statement, not a list', { Statement: { Effect: 'Allow', Action: '*', Resource: '*' } }, 'Allow'],
    ['an Allow of another method', policy({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:us-east-1:123456789012:abc/prod/POST/*' }), 'None'],
    ['an Allow of another action', policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }), 'None'],
    ['a Deny wins over an Allow', policy({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 'execute-api:Invoke', Resource: ARN }), 'Deny'],
    ['the path is case-sensitive', policy({ Effect: 'Allow', Action: '*', Resource: ARN.toUpperCase() }), 'None'],
  ])('%s', (_, document, effect) => expect(evaluatePolicy(document, ARN)).toBe(effect));

  test('a policy without statements cannot be read', () => expect(() => evaluatePolicy({}, ARN)).toThrow(/no Statement/));
});

describe('checkSigV4', () => {
  const NOW = new Date('2026-12-04T12:00:00Z');
  const signed = (authorization: string, date = '20261204T115500Z') => [['Authorization', authorization], ['X-Amz-Date', date]] as Array<[string, string]>;
  const good = `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261204/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0a'.repeat(32)}`;

  test('a well-formed signature gives the caller\'s key', () => {
    expect(checkSigV4(signed(good), NOW)).toEqual({ accessKey: 'AKIAIOSFODNN7EXAMPLE', date: '20261204', region: 'us-east-1', service: 'execute-api', signedHeaders: ['host', 'x-amz-date'] });
  });
  test.each<[string, Array<[string, string]>, RegExp]>([
    ['none', [], /^Missing Authentication Token$/],
    ['another scheme', signed('Bearer x'), /requires 'Credential' parameter/],
    ['no Signature', signed('AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261204/us-east-1/execute-api/aws4_request, SignedHeaders=host'), /^Authorization header requires 'Signature' parameter\.$/],
    ['another service', signed(good.replace('execute-api', 's3')), /scoped to correct service/],
    ['a signature that is not hex', signed(good.replace('0a'.repeat(32), 'xyz')), /signature we calculated does not match/],
    ['no X-Amz-Date', [['Authorization', good]], /X-Amz-Date/],
    ['signed 20 minutes ago', signed(good, '20261204T114000Z'), /Signature expired/],
  ])('%s is refused', (_, headers, message) => {
    const result = checkSigV4(headers, NOW);
    expect('refused' in result && result.refused).toMatch(message);
  });
});
