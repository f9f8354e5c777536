import * as crypto from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { KeySets, TokenRefused, verifyJwt } from '../../../src/cli/apigw/jwt';
import { close, listen } from '../../../src/cli/local/http';

const key = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwks = { keys: [{ ...key.publicKey.export({ format: 'jwk' }), kid: 'k1' }] };
const NOW = new Date('2026-12-04T12:00:00Z');
const seconds = NOW.getTime() / 1000;

function token(claims: Record<string, unknown>, header: Record<string, unknown> = { alg: 'RS256', kid: 'k1' }, signer = key.privateKey): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${b64(header)}.${b64(claims)}`;
  return `${body}.${crypto.sign('sha256', Buffer.from(body), signer).toString('base64url')}`;
}
const good = { iss: 'https://i', aud: 'a', exp: seconds + 60, iat: seconds - 1, scope: 'r w' };
const expected = { issuers: ['https://i'], audience: ['a'], scopes: [] as string[], now: NOW };
const refusal = (t: string, e = expected) => {
  try {
    verifyJwt(t, jwks, e);
  } catch (error) {
    if (error instanceof TokenRefused) return `${error.error}: ${error.message}`;
    throw error;
  }
  return 'accepted';
};

describe('verifyJwt', () => {
  test('a valid token, bare or as Bearer, gives its claims', () => {
    expect(verifyJwt(token(good), jwks, expected)).toEqual(good);
    expect(verifyJwt(`Bearer ${token(good)}`, jwks, expected)).toEqual(good);
  });

  test.each<[string, () => string, Partial<typeof expected>?]>([
    ['invalid_token: the token is not a valid JWT', () => 'a.b'],
    ['invalid_token: the token is not a valid JWT', () => 'e30.bm90IGpzb24.x'],
    ['invalid_token: the token\'s algorithm "HS256" is not supported (RSA only)', () => token(good, { alg: 'HS256', kid: 'k1' })],
    ['invalid_token: the token\'s key id "k2" is not in the issuer\'s keys', () => token(good, { alg: 'RS256', kid: 'k2' })],
    ['invalid_token: the token signature is invalid', () => token(good, undefined, crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey)],
    ['invalid_token: the token signature is invalid', () => `${token(good).slice(0, -4)}AAAA`],
    ['invalid_token: the token does not have a valid issuer', () => token({ ...good, iss: 'https://other' })],
    ['invalid_token: the token does not have a valid audience', () => token({ ...good, aud: 'b' })],
    ['invalid_token: the token does not have a valid audience', () => token({ ...good, aud: 'b', client_id: 'a' })],
    ['accepted', () => token({ ...good, aud: undefined, client_id: 'a' })],
    ['accepted', () => token({ ...good, aud: ['x', 'a'] })],
    ['invalid_token: the token has expired', () => token({ ...good, exp: seconds })],
    ['invalid_token: the token has expired', () => token({ ...good, exp: undefined })],
    ['invalid_token: the token is not valid yet', () => token({ ...good, nbf: seconds + 1 })],
    ['invalid_token: the token was issued in the future', () => token({ ...good, iat: seconds + 1 })],
    ['insufficient_scope: the token does not have the required scope', () => token(good), { scopes: ['admin'] }],
    ['accepted', () => token(good), { scopes: ['admin', 'w'] }],
    ['accepted', () => token({ ...good, scope: undefined, scp: ['admin'] }), { scopes: ['admin'] }],
    ['accepted', () => token({ ...good, iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_X' }), { issuers: ['https://cognito-idp.*.amazonaws.com/*'] }],
    ['invalid_token: the token does not have a valid issuer', () => token({ ...good, iss: 'https://cognito-idp.eu-west-1.amazonaws.com/a/b' }), { issuers: ['https://cognito-idp.*.amazonaws.com/*'] }],
    ['accepted', () => token({ ...good, aud: 'anything' }), { audience: [] }],
  ])('%s', (outcome, make, change = {}) => {
    expect(refusal(make(), { ...expected, ...change })).toBe(outcome);
  });
});

describe('KeySets', () => {
  test('the files given are the keys, loaded once', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jwks-'));
    const file = path.join(dir, 'jwks.json');
    fs.writeFileSync(file, JSON.stringify(jwks));
    const keys = new KeySets([file]);
    expect((await keys.keysFor('https://any')).keys.map(k => k.kid)).toEqual(['k1']);
    fs.rmSync(file);
    expect((await keys.keysFor('https://other')).keys).toHaveLength(1);
  });

  test('a kid not in the keys reloads them once they are older than the refresh interval (a rotation at the issuer)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jwks-'));
    const file = path.join(dir, 'jwks.json');
    fs.writeFileSync(file, JSON.stringify(jwks));
    const rotated = { keys: [{ ...jwks.keys[0], kid: 'k2' }] };
    const fresh = new KeySets([file], 5_000, 60_000);
    expect((await fresh.keysFor('https://i', 'k1')).keys.map(k => k.kid)).toEqual(['k1']);
    fs.writeFileSync(file, JSON.stringify(rotated));
    expect((await fresh.keysFor('https://i', 'k2')).keys.map(k => k.kid)).toEqual(['k1']); // loaded a moment ago: kept
    const old = new KeySets([file], 5_000, 0);
    fs.writeFileSync(file, JSON.stringify(jwks));
    expect((await old.keysFor('https://i', 'k1')).keys.map(k => k.kid)).toEqual(['k1']);
    fs.writeFileSync(file, JSON.stringify(rotated));
    expect((await old.keysFor('https://i', 'k1')).keys.map(k => k.kid)).toEqual(['k1']); // the kid is there: no reload
    expect((await old.keysFor('https://i', 'k2')).keys.map(k => k.kid)).toEqual(['k2']);
  });

  test('without files: the issuer\'s OIDC discovery document, then its jwks_uri; a failure is not kept', async () => {
    let up = false;
    const server = http.createServer((req, res) => {
      if (!up) { res.statusCode = 503; res.end(); return; }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(req.url === '/.well-known/openid-configuration' ? { jwks_uri: `http://127.0.0.1:${port}/keys` } : jwks));
    });
    const port = await listen(server, 0, 'oidc');
    try {
      const keys = new KeySets();
      await expect(keys.keysFor(`http://127.0.0.1:${port}`)).rejects.toThrow(/openid-configuration answered 503/);
      up = true;
      expect((await keys.keysFor(`http://127.0.0.1:${port}`)).keys.map(k => k.kid)).toEqual(['k1']);
      await expect(keys.keysFor('https://cognito-idp.*.amazonaws.com/*')).rejects.toThrow(/known only after deployment: give its keys with --jwks/);
    } finally {
      await close(server);
    }
  });
});
