import { execFile } from 'child_process';
import * as http from 'http';
import { promisify } from 'util';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../../../e2e/fixtures/apigw-conformance/conformance';
import { checkSigV4, evaluatePolicy, executeApiArn, sigV4Signature } from '../../../src/cli/apigw/iam';
import { close, listen } from '../../../src/cli/local/http';

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
    expect(checkSigV4(signed(good), NOW)).toEqual({
      accessKey: 'AKIAIOSFODNN7EXAMPLE', date: '20261204', region: 'us-east-1', service: 'execute-api', signedHeaders: ['host', 'x-amz-date'], signature: '0a'.repeat(32), amzDate: '20261204T115500Z',
    });
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

describe('sigV4Signature', () => {
  const get = (headers: Array<[string, string]>, now: Date) => {
    const identity = checkSigV4(headers, now);
    if ('refused' in identity) throw new Error(identity.refused);
    return identity;
  };

  test('AWS\'s get-vanilla test vector', () => {
    const headers: Array<[string, string]> = [
      ['Host', 'example.amazonaws.com'], ['X-Amz-Date', '20150830T123600Z'],
      ['Authorization', 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=' + '0'.repeat(64)],
    ];
    const identity = { ...get(headers, new Date('2015-08-30T12:36:00Z')), service: 'service' };
    expect(sigV4Signature({ method: 'GET', path: '/', query: [], headers, body: Buffer.alloc(0) }, identity, 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'))
      .toBe('5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31');
  });

  /** Requests as a local server received them, signed by a client: checked as start-api checks them. */
  interface Received { method: string; url: string; headers: Array<[string, string]>; body: Buffer }
  async function received(send: (url: string) => Promise<void>): Promise<Received> {
    let got: any;
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', c => chunks.push(c)).on('end', () => {
        const headers: Array<[string, string]> = [];
        for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
        got = { method: req.method, url: req.url, headers, body: Buffer.concat(chunks) };
        res.end('ok');
      });
    });
    const port = await listen(server, 0, 'sigv4');
    try {
      await send(`http://127.0.0.1:${port}`);
    } finally {
      await close(server);
    }
    return got;
  }
  const verify = (r: Received, secret: string) => {
    const [p, q = ''] = r.url.split('?');
    const identity = get(r.headers, new Date());
    const signed = { method: r.method, path: p, query: [...new URLSearchParams(q)], headers: r.headers, body: r.body };
    return sigV4Signature(signed, identity, secret) === identity.signature;
  };

  test('a request curl signed (--aws-sigv4), with a query and a body: the same signature; another secret: not', async () => {
    const r = await received(async url => {
      // Not execFileSync: the server answering curl runs in this process. The query is in order:
      // curl 7.88 (Debian 12's) signs it unsorted, a bug of its own fixed in later releases.
      await promisify(execFile)('curl', ['-sS', '-o', '/dev/null', '--aws-sigv4', 'aws:amz:us-east-1:execute-api', '--user', 'AKIDCURL:curl-secret', '-X', 'POST', '-H', 'content-type: application/json', '-d', '{"a":1}', `${url}/orders/7?a=0&a=1&b=2`]);
    });
    expect(r.headers.find(([n]) => n.toLowerCase() === 'authorization')?.[1]).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDCURL\//);
    expect(verify(r, 'curl-secret')).toBe(true);
    expect(verify(r, 'another-secret')).toBe(false);
    expect(verify({ ...r, body: Buffer.from('{"a":2}') }, 'curl-secret')).toBe(false);
  });

  test('a request the AWS SDK\'s signer signed, with an encoded path segment, an unsorted query and a session token', async () => {
    const r = await received(async url => {
      const { hostname, port } = new URL(url);
      const signer = new SignatureV4({ service: 'execute-api', region: 'eu-west-1', sha256: NodeSha256, credentials: { accessKeyId: 'AKIDSDK', secretAccessKey: 'sdk-secret', sessionToken: 'token' } });
      const signed = await signer.sign({ method: 'GET', protocol: 'http:', hostname, port: Number(port), path: '/files/a%20b', query: { x: 'y z', a: ['1', '0'] }, headers: { host: `${hostname}:${port}` } });
      await fetch(`${url}/files/a%20b?x=y%20z&a=1&a=0`, { headers: signed.headers });
    });
    expect(verify(r, 'sdk-secret')).toBe(true);
    expect(verify({ ...r, url: '/files/a%20c?x=y%20z&a=1&a=0' }, 'sdk-secret')).toBe(false);
  });
});
