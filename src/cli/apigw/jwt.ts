/**
 * JWTs checked as an HTTP API's JWT authorizer checks them (API Gateway Developer Guide, "Control
 * access to HTTP APIs with JWT authorizers": the token, or `Bearer <token>`; an RSA signature by a
 * key of the issuer's JWKS named by `kid`; `iss`; `aud`, or `client_id` when there is no `aud`;
 * `exp`, `nbf`, `iat`; and at least one of the route's scopes in `scope` or `scp`). Signatures are
 * checked with Node's crypto (RS256/384/512 from a JWK): no dependency for three calls.
 * The keys come from files or URLs given with --jwks, else from the issuer's OIDC discovery
 * document, as API Gateway gets them.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import { wildcardRegExp } from './wildcards';

type Json = any;

/** A JSON Web Key Set: `{ keys: [...] }`. */
export interface Jwks {
  readonly keys: ReadonlyArray<crypto.JsonWebKey & { kid?: string }>;
}

/** Why a token is refused, as API Gateway's www-authenticate header words it. */
export class TokenRefused extends Error {
  constructor(message: string, public readonly error: 'invalid_token' | 'insufficient_scope' = 'invalid_token') {
    super(message);
  }
}

const ALGORITHMS: Record<string, string> = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512' };

/** A token's claims when every check passes; throws TokenRefused with the reason. */
export function verifyJwt(
  token: string,
  keys: Jwks,
  expected: { issuers: readonly string[]; audience: readonly string[]; scopes: readonly string[]; now: Date },
): Record<string, Json> {
  const jwt = token.replace(/^Bearer\s+/i, '').trim();
  const parts = jwt.split('.');
  if (parts.length !== 3) throw new TokenRefused('the token is not a valid JWT');
  let header: Json;
  let claims: Json;
  try {
    header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    throw new TokenRefused('the token is not a valid JWT');
  }
  if (!claims || typeof claims !== 'object' || Array.isArray(claims)) throw new TokenRefused('the token is not a valid JWT');
  const hash = ALGORITHMS[header?.alg];
  if (!hash) throw new TokenRefused(`the token's algorithm ${JSON.stringify(header?.alg)} is not supported (RSA only)`);
  const jwk = keys.keys.find(k => k.kid === header.kid);
  if (!jwk) throw new TokenRefused(`the token's key id ${JSON.stringify(header.kid)} is not in the issuer's keys`);
  let valid: boolean;
  try {
    valid = crypto.verify(hash, Buffer.from(`${parts[0]}.${parts[1]}`), crypto.createPublicKey({ key: jwk, format: 'jwk' }), Buffer.from(parts[2], 'base64url'));
  } catch {
    valid = false;
  }
  if (!valid) throw new TokenRefused('the token signature is invalid');
  // `*` in an issuer (a user pool known only after deployment) stands for one path segment or less.
  const issuerMatches = (issuer: string) => wildcardRegExp(issuer, { star: '[^/]*' }).test(claims.iss);
  if (typeof claims.iss !== 'string' || !expected.issuers.some(issuerMatches)) throw new TokenRefused('the token does not have a valid issuer');
  if (expected.audience.length > 0) {
    // client_id counts only when there is no aud (the Developer Guide's troubleshooting page).
    const audiences = claims.aud !== undefined ? [claims.aud].flat() : [claims.client_id];
    if (!audiences.some(a => expected.audience.includes(a))) throw new TokenRefused('the token does not have a valid audience');
  }
  const seconds = Math.floor(expected.now.getTime() / 1000);
  if (typeof claims.exp !== 'number' || claims.exp <= seconds) throw new TokenRefused('the token has expired');
  if (typeof claims.nbf === 'number' && claims.nbf > seconds) throw new TokenRefused('the token is not valid yet');
  if (typeof claims.iat === 'number' && claims.iat > seconds) throw new TokenRefused('the token was issued in the future');
  if (expected.scopes.length > 0) {
    const scopes = tokenScopes(claims);
    if (!expected.scopes.some(s => scopes.includes(s))) throw new TokenRefused('the token does not have the required scope', 'insufficient_scope');
  }
  return claims;
}

/** A token's scopes: `scope` (space-separated) or `scp` (a list or a string). */
export function tokenScopes(claims: Record<string, Json>): string[] {
  const value = claims.scope ?? claims.scp;
  if (Array.isArray(value)) return value.map(String);
  return typeof value === 'string' ? value.split(' ').filter(Boolean) : [];
}

/** The keys for the authorizers: from the files and URLs given (--jwks), else from each issuer's OIDC discovery document. */
export class KeySets {
  private readonly cache = new Map<string, { keys: Promise<Jwks>; at: number }>();

  /**
   * @param sources files or http(s) URLs of JWKS documents; when given, they are the only keys used.
   * @param refreshAfterMs a token's kid not in the keys reloads them when they are older than this (the issuer rotated its keys).
   */
  constructor(private readonly sources: readonly string[] = [], private readonly fetchTimeoutMs = 5_000, private readonly refreshAfterMs = 30_000) {}

  /**
   * The keys to check a token from `issuer` with, reloaded when they lack the token's `kid` and were
   * loaded more than `refreshAfterMs` ago. Rejects with a message when they cannot be had.
   */
  public async keysFor(issuer: string, kid?: string): Promise<Jwks> {
    const key = this.sources.length > 0 ? '--jwks' : issuer;
    const cached = this.cache.get(key);
    if (cached) {
      const keys = await cached.keys;
      if (kid === undefined || keys.keys.some(k => k.kid === kid) || Date.now() - cached.at < this.refreshAfterMs) return keys;
    }
    const loading = this.sources.length > 0 ? this.loadGiven() : this.discover(issuer);
    // A failure is not kept: the next request tries again (the issuer may be reachable by then).
    loading.catch(() => this.cache.delete(key));
    this.cache.set(key, { keys: loading, at: Date.now() });
    return loading;
  }

  private async loadGiven(): Promise<Jwks> {
    const sets = await Promise.all(this.sources.map(source => this.load(source)));
    return { keys: sets.flatMap(s => s.keys) };
  }

  private async discover(issuer: string): Promise<Jwks> {
    if (issuer.includes('*')) throw new Error('the issuer is known only after deployment: give its keys with --jwks <file or URL>');
    const configuration = await this.getJson(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
    if (typeof configuration.jwks_uri !== 'string') throw new Error(`${issuer}'s OpenID configuration has no jwks_uri`);
    return this.load(configuration.jwks_uri);
  }

  private async load(source: string): Promise<Jwks> {
    const document = /^https?:\/\//.test(source) ? await this.getJson(source) : JSON.parse(await fs.promises.readFile(source, 'utf8'));
    if (!document || !Array.isArray(document.keys)) throw new Error(`${source} is not a JWKS document ({"keys": [...]})`);
    return document;
  }

  private async getJson(url: string): Promise<Json> {
    const response = await fetch(url, { signal: AbortSignal.timeout(this.fetchTimeoutMs) });
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    return response.json();
  }
}
