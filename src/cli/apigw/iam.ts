/**
 * IAM for start-api: a Lambda authorizer's policy evaluated against the method ARN as API Gateway
 * evaluates it (an explicit Deny wins, else an Allow is needed; `*` and `?` in actions and
 * resources), and an `AWS_IAM` route's Signature Version 4: its form, and its signature when the
 * secret of the key it names is known (the credentials start-api resolves). Pure.
 */
import * as crypto from 'crypto';
import { headerValue } from './headers';
import { wildcardRegExp } from './wildcards';

type Json = any;

/** arn:aws:execute-api:<region>:<account>:<api-id>/<stage>/<METHOD>/<path without its leading slash>. */
export function executeApiArn(region: string, account: string, apiId: string, stage: string, method: string, path: string): string {
  return `arn:aws:execute-api:${region}:${account}:${apiId}/${stage}/${method}/${path.replace(/^\//, '')}`;
}

/** `Allow`, `Deny` (explicit) or `None` (no statement allows: an implicit deny) for execute-api:Invoke on `arn`. Throws on a policy API Gateway cannot read. */
export function evaluatePolicy(policy: Json, arn: string): 'Allow' | 'Deny' | 'None' {
  if (!policy || typeof policy !== 'object' || !policy.Statement) throw new Error('the policy document has no Statement');
  const statements = [policy.Statement].flat();
  let allowed = false;
  for (const statement of statements) {
    const actions = [statement.Action ?? []].flat().map(String);
    const resources = [statement.Resource ?? []].flat().map(String);
    // Action names are case-insensitive in IAM; resources are matched as written (the ARN's path is case-sensitive).
    const actionMatches = actions.some(a => wildcardRegExp(a, { question: true, flags: 'i' }).test('execute-api:Invoke'));
    const resourceMatches = resources.some(r => wildcardRegExp(r, { question: true }).test(arn));
    if (!actionMatches || !resourceMatches) continue;
    if (statement.Effect === 'Deny') return 'Deny';
    if (statement.Effect === 'Allow') allowed = true;
  }
  return allowed ? 'Allow' : 'None';
}

/** What a SigV4 Authorization header says of its caller. */
export interface SigV4Identity {
  readonly accessKey: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  /** The signature (64 hex digits) and the X-Amz-Date it was made at. */
  readonly signature: string;
  readonly amzDate: string;
}

/**
 * An `AWS_IAM` request's signature, checked as API Gateway checks it before the signature itself:
 * the `Authorization` header `AWS4-HMAC-SHA256 Credential=<key>/<yyyymmdd>/<region>/execute-api/aws4_request,
 * SignedHeaders=…, Signature=<64 hex>`, and `X-Amz-Date` within 15 minutes of now. Returns the
 * identity or API Gateway's message for the request (all answered 403).
 */
export function checkSigV4(headers: ReadonlyArray<readonly [string, string]>, now: Date): SigV4Identity | { readonly refused: string } {
  const authorization = headerValue(headers, 'authorization');
  if (authorization === undefined) return { refused: 'Missing Authentication Token' };
  if (!authorization.startsWith('AWS4-HMAC-SHA256 ')) return { refused: `Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=${authorization}` };
  const fields = new Map(authorization.slice('AWS4-HMAC-SHA256 '.length).split(',').map(f => f.trim().split('=')).map(([k, ...v]) => [k, v.join('=')] as [string, string]));
  const missing = ['Credential', 'Signature', 'SignedHeaders'].filter(f => !fields.get(f));
  if (missing.length > 0) return { refused: missing.map(f => `Authorization header requires '${f}' parameter.`).join(' ') };
  const credential = /^([A-Za-z0-9]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request$/.exec(fields.get('Credential')!);
  if (!credential) return { refused: `Credential should be scoped to a valid region. Credential=${fields.get('Credential')}` };
  if (credential[4] !== 'execute-api') return { refused: 'Credential should be scoped to correct service: \'execute-api\'.' };
  if (!/^[0-9a-f]{64}$/.test(fields.get('Signature')!)) return { refused: 'The request signature we calculated does not match the signature you provided.' };
  const amzDate = headerValue(headers, 'x-amz-date');
  const signed = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate ?? '');
  if (!signed) return { refused: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header." };
  const at = Date.UTC(+signed[1], +signed[2] - 1, +signed[3], +signed[4], +signed[5], +signed[6]);
  if (Math.abs(now.getTime() - at) > 15 * 60 * 1000) return { refused: `Signature expired: ${amzDate} is now earlier than the allowed window.` };
  return {
    accessKey: credential[1],
    date: credential[2],
    region: credential[3],
    service: credential[4],
    signedHeaders: fields.get('SignedHeaders')!.split(';'),
    signature: fields.get('Signature')!,
    amzDate: amzDate!,
  };
}

/** A request as it was signed: the path as sent (not decoded), the query's names and values (decoded), the headers as sent. */
export interface SignedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: ReadonlyArray<readonly [string, string]>;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: Buffer;
}

/** RFC 3986 encoding as SigV4 wants it: everything but A-Z a-z 0-9 - _ . ~ as %XX. */
const encode = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const sha256 = (data: string | Buffer) => crypto.createHash('sha256').update(data).digest('hex');
const hmac = (key: crypto.BinaryLike, data: string) => crypto.createHmac('sha256', key).update(data).digest();

/**
 * The Signature Version 4 signature of a request as its client made it (AWS General Reference,
 * "Create a signed AWS API request"): the canonical request of the headers the client listed in
 * SignedHeaders, its path encoded once more (every service but S3), the query sorted and encoded,
 * the payload's SHA-256 (or X-Amz-Content-Sha256 as sent); then the string to sign and the key
 * derived from the secret, date, region and service. Written with Node's crypto rather than the SDK's
 * signer: verifying needs exactly the client's choice of signed headers, which the SDK's signer makes
 * for itself.
 */
export function sigV4Signature(req: SignedRequest, identity: SigV4Identity, secretAccessKey: string): string {
  const canonicalPath = req.path.split('/').map(segment => encode(segment)).join('/') || '/';
  const canonicalQuery = req.query.map(([k, v]) => [encode(k), encode(v)])
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`).join('&');
  const canonicalHeaders = identity.signedHeaders.map(name => {
    const values = req.headers.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v.trim().replace(/\s+/g, ' '));
    return `${name}:${values.join(',')}\n`;
  }).join('');
  const payloadHash = headerValue(req.headers, 'x-amz-content-sha256') ?? sha256(req.body);
  const canonicalRequest = [req.method, canonicalPath, canonicalQuery, canonicalHeaders, identity.signedHeaders.join(';'), payloadHash].join('\n');
  const scope = `${identity.date}/${identity.region}/${identity.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', identity.amzDate, scope, sha256(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, identity.date), identity.region), identity.service), 'aws4_request');
  return crypto.createHmac('sha256', key).update(stringToSign).digest('hex');
}
