/**
 * `cdk-lambda-container generate-event <kind>`: sample events in the shapes AWS services send to a
 * function (the kinds `sam local generate-event` has, where they overlap), with the values users
 * change taken from options.
 *
 * Where each shape comes from is written above its generator; test/fixtures/events/<kind>.json
 * holds that sample, and the tests compare every event's keys with it, recursively.
 *
 * Determinism: given --time, an event is a function of its kind and options only: every id,
 * sequence number, hash and timestamp derives from them, so the same command prints the same
 * event. Without --time the event happens now and its ids are random, as two real events' are.
 *
 * One file, on purpose: CONTRIBUTING's layout block (and test/project-layout.test.ts) names each
 * module of cli/.
 */
import * as crypto from 'crypto';
import * as zlib from 'zlib';
import { UsageError } from '../errors';

export interface EventOptionInfo {
  /** Flag name without dashes, kebab-case: 'bucket', 'detail-type'. */
  readonly flag: string;
  readonly description: string;
  /** The value used when the option is absent, as help shows it. */
  readonly defaultValue?: string;
  /** May be given several times (each gives one more record/message, e.g. SQS bodies). */
  readonly repeatable?: boolean;
}

export interface EventKindInfo {
  /** e.g. 's3-put'. */
  readonly kind: string;
  /** One line, e.g. 'S3 ObjectCreated:Put notification'. */
  readonly description: string;
  readonly options: readonly EventOptionInfo[];
}

/** Option values keyed by flag; a repeatable flag's values as a list. */
export interface EventOptionValues {
  readonly [flag: string]: string | readonly string[] | undefined;
}

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

interface OptionSpec extends EventOptionInfo {
  /** The default is worked out from other values (or the clock); defaultValue only describes it. */
  readonly computed?: boolean;
  /** A repeatable flag's default values, when there are several. */
  readonly defaultList?: readonly string[];
}

const REGION: OptionSpec = { flag: 'region', description: 'the AWS Region the event comes from', defaultValue: 'us-east-1' };
const TIME: OptionSpec = {
  flag: 'time',
  description: 'when it happened, ISO 8601 (2026-11-22T09:30:00Z); also fixes every id, for a reproducible event',
  defaultValue: 'now',
  computed: true,
};
const ACCOUNT: OptionSpec = { flag: 'account', description: 'the AWS account ID in ARNs and owner fields', defaultValue: '123456789012' };

const BUCKET: OptionSpec = { flag: 'bucket', description: 'the bucket name', defaultValue: 'example-bucket' };
const KEY: OptionSpec = {
  flag: 'key',
  description: 'the object key, as stored; the event carries it URL-encoded as S3 sends it (space as +, / kept)',
  defaultValue: 'uploads/example.jpg',
};
const SIZE: OptionSpec = { flag: 'size', description: 'the object size in bytes', defaultValue: '1024' };

const METHOD: OptionSpec = { flag: 'method', description: 'the HTTP method', defaultValue: 'POST' };
const PATH: OptionSpec = { flag: 'path', description: 'the request path', defaultValue: '/orders' };
const QUERY: OptionSpec = { flag: 'query', description: 'the query string, as in the URL: a=1&b=2' };
const HEADER: OptionSpec = {
  flag: 'header',
  description: 'a request header, "Name: value"; replaces the sample header of that name',
  repeatable: true,
};
const BODY: OptionSpec = {
  flag: 'body',
  description: 'the request body',
  defaultValue: '{"item":"example"} for POST, PUT and PATCH; none otherwise',
  computed: true,
};
const BASE64: OptionSpec = {
  flag: 'base64',
  description: 'a binary body, already base64-encoded ("$(base64 -w0 cat.png)"), instead of --body; sets isBase64Encoded',
};
const HTTP_REQUEST = [METHOD, PATH, QUERY, HEADER, BODY, BASE64];

/** An option value that could not be used: the kind, the flag, the value, why, and the fix. */
function invalid(kind: string, flag: string, value: string, why: string, fix: string): UsageError {
  return new UsageError(`generate-event ${kind}: invalid --${flag} ${JSON.stringify(value)}: ${why}. Fix: ${fix}.`);
}

/** The options of one event: validated, with defaults, the time and the ids it derives. */
class Options {
  readonly region: string;
  readonly partition: string;
  readonly time: Date;
  readonly ids: Ids;

  constructor(readonly kind: string, private readonly specs: readonly OptionSpec[], private readonly values: EventOptionValues) {
    for (const [flag, value] of Object.entries(values)) {
      if (value === undefined) continue;
      const spec = specs.find(s => s.flag === flag);
      if (!spec) {
        const kebab = flag.replace(/[A-Z]/g, c => `-${c.toLowerCase()}`);
        const fix = specs.some(s => s.flag === kebab) ? `use --${kebab}` : `use one of ${specs.map(s => `--${s.flag}`).join(', ')}`;
        throw new UsageError(`generate-event ${kind}: unknown option --${flag}. Fix: ${fix}.`);
      }
      if (typeof value !== 'string' && value.length > 1 && !spec.repeatable) {
        throw new UsageError(`generate-event ${kind}: --${flag} given ${value.length} times (${value.map(v => JSON.stringify(v)).join(', ')}). Fix: give it once.`);
      }
    }
    this.region = this.string('region');
    if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(this.region)) {
      throw invalid(kind, 'region', this.region, 'not an AWS Region name', 'give one like us-east-1 or eu-west-2');
    }
    this.partition = this.region.startsWith('cn-') ? 'aws-cn' : this.region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
    const time = this.given('time');
    this.time = time === undefined ? new Date() : parseTime(kind, time);
    // The seed: the resolved options when the time is fixed (so giving a default equals leaving it out), random otherwise.
    const resolved = specs.map(s => [s.flag, s.repeatable ? this.list(s.flag) : this.given(s.flag) ?? (s.computed ? null : s.defaultValue ?? null)]);
    this.ids = new Ids(time === undefined ? crypto.randomBytes(32) : crypto.createHash('sha256').update(JSON.stringify([kind, resolved])).digest());
  }

  /** The value given (the last, for a list), or undefined. */
  given(flag: string): string | undefined {
    const value = this.values[this.spec(flag).flag];
    return value === undefined || typeof value === 'string' ? value : value[value.length - 1];
  }

  /** The value given, or the default. */
  string(flag: string): string {
    const value = this.given(flag) ?? this.spec(flag).defaultValue;
    if (value === undefined) throw new Error(`--${flag} has no default`);
    return value;
  }

  /** A repeatable flag's values, or its defaults (none without a default). */
  list(flag: string): string[] {
    const spec = this.spec(flag);
    const value = this.values[flag];
    if (value !== undefined) return typeof value === 'string' ? [value] : [...value];
    if (spec.defaultList) return [...spec.defaultList];
    return spec.defaultValue === undefined || spec.computed ? [] : [spec.defaultValue];
  }

  integer(flag: string): number {
    const value = this.string(flag);
    if (!/^\d+$/.test(value.trim())) throw this.invalid(flag, value, 'not a whole number', `give one like ${this.spec(flag).defaultValue}`);
    return Number(value);
  }

  /** A JSON object (what DynamoDB items and EventBridge details are). */
  jsonObject(flag: string): Record<string, unknown> {
    const value = this.string(flag);
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch (e) {
      throw this.invalid(flag, value, `not JSON (${(e as Error).message})`, `quote it for the shell, e.g. --${flag} '${this.spec(flag).defaultValue ?? '{"id":"1"}'}'`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw this.invalid(flag, value, 'JSON, but not an object', `give an object, e.g. '${this.spec(flag).defaultValue ?? '{"id":"1"}'}'`);
    }
    return parsed as Record<string, unknown>;
  }

  boolean(flag: string): boolean {
    const value = this.string(flag);
    if (value !== 'true' && value !== 'false') throw this.invalid(flag, value, 'neither true nor false', `give --${flag} true or --${flag} false`);
    return value === 'true';
  }

  /** The value given, checked against a pattern. */
  name(flag: string, pattern: RegExp, what: string): string {
    const value = this.string(flag);
    if (!pattern.test(value)) throw this.invalid(flag, value, `not a valid ${what}`, `give one like ${this.spec(flag).defaultValue}`);
    return value;
  }

  invalid(flag: string, value: string, why: string, fix: string): UsageError {
    return invalid(this.kind, flag, value, why, fix);
  }

  arn(service: string, resource: string, account = this.account()): string {
    return `arn:${this.partition}:${service}:${this.region}:${account}:${resource}`;
  }

  account(): string {
    return this.name('account', /^\d{12}$/, 'AWS account ID (12 digits)');
  }

  private spec(flag: string): OptionSpec {
    const spec = this.specs.find(s => s.flag === flag);
    if (!spec) throw new Error(`generate-event ${this.kind} has no --${flag}`);
    return spec;
  }
}

function parseTime(kind: string, value: string): Date {
  const ms = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) || Number.isNaN(ms)) {
    throw invalid(kind, 'time', value, 'not an ISO 8601 time', 'give one like 2026-11-22T09:30:00Z');
  }
  return new Date(ms);
}

// ---------------------------------------------------------------------------------------------
// Ids and times
// ---------------------------------------------------------------------------------------------

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const DIGITS = '0123456789';

/** Ids derived from a seed and a label: the same seed and label, the same id. */
class Ids {
  constructor(private readonly seed: Buffer) {}

  bytes(label: string, length: number): Buffer {
    const blocks: Buffer[] = [];
    for (let i = 0; blocks.length * 32 < length; i++) blocks.push(crypto.createHash('sha256').update(this.seed).update(`${label}#${i}`).digest());
    return Buffer.concat(blocks).subarray(0, length);
  }

  /** A version-4-shaped UUID: version digit 4, variant digit 8, 9, a or b. */
  uuid(label: string): string {
    const hex = this.hex(label, 32);
    const variant = '89ab'[parseInt(hex[16], 16) % 4];
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20)}`;
  }

  hex(label: string, length: number): string {
    return this.bytes(label, Math.ceil(length / 2)).toString('hex').slice(0, length);
  }

  chars(label: string, length: number, alphabet: string): string {
    return [...this.bytes(label, length)].map(b => alphabet[b % alphabet.length]).join('');
  }

  /** The `index`-th of a run of increasing decimal sequence numbers of `length` digits, starting with `prefix`. */
  sequence(label: string, prefix: string, length: number, index: number): string {
    const base = BigInt(prefix + this.chars(label, length - prefix.length, DIGITS));
    return (base + BigInt(index) * 1_000_000_000n).toString();
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** API Gateway's request time: 09/Apr/2015:12:34:56 +0000. */
function clfTime(d: Date): string {
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

/** EventBridge's time, to the second: 2015-10-08T16:53:06Z. */
function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** An X-Ray trace header as load balancers and API Gateway add it. */
function traceId(o: Options): string {
  return `Root=1-${Math.floor(o.time.getTime() / 1000).toString(16)}-${o.ids.hex('trace', 24)}`;
}

// ---------------------------------------------------------------------------------------------
// S3
// ---------------------------------------------------------------------------------------------

/**
 * The key as S3 puts it in a notification: URL-encoded as an HTML form is
 * (application/x-www-form-urlencoded): UTF-8, a space as '+', every byte but A-Z a-z 0-9 - . _ *
 * percent-encoded, '/' kept. S3 User Guide, "Event message structure": "red flower.jpg" becomes
 * "red+flower.jpg"; handlers decode it with unquote_plus / decodeURIComponent after '+' → ' '.
 */
function s3EventKey(key: string): string {
  return new URLSearchParams({ k: key }).toString().slice(2).replace(/%2F/g, '/');
}

/**
 * Shape: SAM's s3/S3Put.json and s3/S3Delete.json, and the S3 User Guide's "Event message structure"
 * (eventVersion 2.1, which S3 uses for these event types; a sequencer that grows with the time).
 */
function s3Event(o: Options, eventName: string, object: Record<string, unknown>): unknown {
  const bucket = o.name('bucket', /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'bucket name (3-63 of a-z 0-9 . -)');
  const key = o.string('key');
  if (key === '' || Buffer.byteLength(key) > 1024) throw o.invalid('key', key, 'S3 keys are 1 to 1024 bytes', 'give a key like uploads/cat.jpg');
  return {
    Records: [{
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: o.region,
      eventTime: o.time.toISOString(),
      eventName,
      userIdentity: { principalId: `AWS:AIDA${o.ids.chars('principal', 17, UPPER_ALNUM)}` },
      requestParameters: { sourceIPAddress: '127.0.0.1' },
      responseElements: {
        'x-amz-request-id': o.ids.hex('request-id', 16).toUpperCase(),
        'x-amz-id-2': o.ids.bytes('id-2', 57).toString('base64'),
      },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'example-notification',
        bucket: { name: bucket, ownerIdentity: { principalId: `A${o.ids.chars('owner', 13, UPPER_ALNUM)}` }, arn: `arn:${o.partition}:s3:::${bucket}` },
        object: {
          key: s3EventKey(key),
          ...object,
          sequencer: o.time.getTime().toString(16).toUpperCase().padStart(16, '0') + o.ids.hex('sequencer', 2).toUpperCase(),
        },
      },
    }],
  };
}

function s3Put(o: Options): unknown {
  return s3Event(o, 'ObjectCreated:Put', { size: o.integer('size'), eTag: o.ids.hex('etag', 32) });
}

function s3Delete(o: Options): unknown {
  return s3Event(o, 'ObjectRemoved:Delete', {});
}

// ---------------------------------------------------------------------------------------------
// HTTP: API Gateway (HTTP and REST APIs), function URLs, ALB
// ---------------------------------------------------------------------------------------------

type Pairs = Array<[string, string]>;

interface HttpRequest {
  readonly method: string;
  readonly path: string;
  /** As in the URL, without '?'. */
  readonly rawQuery: string;
  /** Name and value, as in the URL (not decoded). */
  readonly rawQueryPairs: Pairs;
  /** Name and value, URL-decoded. */
  readonly queryPairs: Pairs;
  /** The sample headers, less those given, then the headers given. */
  readonly headers: Pairs;
  readonly body?: string;
  readonly isBase64Encoded: boolean;
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

function decodeQueryPart(o: Options, query: string, part: string): string {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    throw o.invalid('query', query, `"${part}" is not URL-encoded`, 'percent-encode %, as %25');
  }
}

/** The request the options describe, with the kind's sample headers (names in the case its service sends). */
function httpRequest(o: Options, sampleHeaders: Pairs): HttpRequest {
  const method = o.string('method').toUpperCase();
  if (!METHODS.includes(method)) throw o.invalid('method', o.string('method'), 'not an HTTP method', `use one of ${METHODS.join(', ')}`);
  let path = o.string('path');
  if (path.includes('?')) throw o.invalid('path', path, 'has a query string', 'give the query with --query');
  if (!path.startsWith('/')) path = `/${path}`;
  const rawQuery = (o.given('query') ?? '').replace(/^\?/, '');
  const rawQueryPairs: Pairs = rawQuery.split('&').filter(p => p !== '').map(p => {
    const eq = p.indexOf('=');
    return eq < 0 ? [p, ''] : [p.slice(0, eq), p.slice(eq + 1)];
  });
  const queryPairs: Pairs = rawQueryPairs.map(([k, v]) => [decodeQueryPart(o, rawQuery, k), decodeQueryPart(o, rawQuery, v)]);
  const given: Pairs = o.list('header').map(h => {
    const m = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):\s*(.*)$/.exec(h);
    if (!m) throw o.invalid('header', h, 'not "Name: value"', 'give it as --header "Content-Type: text/plain"');
    return [m[1], m[2]];
  });
  const base64 = o.given('base64');
  let body = o.given('body');
  if (base64 !== undefined) {
    if (body !== undefined) throw o.invalid('base64', base64, 'given with --body', 'give the body once: --body for text, --base64 for binary');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 !== 0) throw o.invalid('base64', base64, 'not base64', 'encode the file: --base64 "$(base64 -w0 file)"');
    body = base64;
  } else if (body === undefined && ['POST', 'PUT', 'PATCH'].includes(method)) {
    body = '{"item":"example"}';
  }
  const has = (name: string) => given.some(([n]) => n.toLowerCase() === name);
  // A body comes with its type, named in the case of the service's other headers.
  const typeName = sampleHeaders.some(([n]) => n !== n.toLowerCase()) ? 'Content-Type' : 'content-type';
  const contentType: Pairs = body !== undefined && !has('content-type')
    ? [[typeName, base64 !== undefined ? 'application/octet-stream' : isJson(body) ? 'application/json' : 'text/plain']]
    : [];
  const headers: Pairs = [...sampleHeaders.filter(([n]) => !has(n.toLowerCase())), ...contentType, ...given];
  return { method, path, rawQuery, rawQueryPairs, queryPairs, headers, body, isBase64Encoded: base64 !== undefined };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Values by name, in first-seen order. */
function grouped(pairs: Pairs): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const [k, v] of pairs) map.set(k, [...(map.get(k) ?? []), v]);
  return map;
}

const lastValues = (pairs: Pairs) => Object.fromEntries([...grouped(pairs)].map(([k, v]) => [k, v[v.length - 1]]));
const allValues = (pairs: Pairs) => Object.fromEntries(grouped(pairs));
const commaJoined = (pairs: Pairs) => Object.fromEntries([...grouped(pairs)].map(([k, v]) => [k, v.join(',')]));

/** Path parameters of a resource or route template ('/orders/{id}', '/{proxy+}') for a path; null without parameters. */
function pathParameters(o: Options, templateFlag: string, template: string, path: string): Record<string, string> | null {
  const names = [...template.matchAll(/\{([^}]+)\}/g)];
  if (names.length === 0) return null;
  const pattern = template.split(/(\{[^}]+\})/).map(part => {
    const m = /^\{([^}+]+)(\+)?\}$/.exec(part);
    return m ? `(?<${m[1].replace(/\W/g, '_')}>${m[2] ? '.+' : '[^/]+'})` : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }).join('');
  const match = new RegExp(`^${pattern}$`).exec(path);
  if (!match) throw o.invalid(templateFlag, template, `does not match --path ${path}`, `give a --path the ${templateFlag} matches, or a ${templateFlag} like /{proxy+}`);
  return Object.fromEntries(names.map(([, name]) => {
    const bare = name.replace(/\+$/, '');
    return [bare, match.groups![bare.replace(/\W/g, '_')]];
  }));
}

const SAMPLE_USER_AGENT = 'curl/8.7.1';

/** HTTP API and function URL sample headers: lower-case names, as both send them. */
function v2SampleHeaders(o: Options, host: string): Pairs {
  return [
    ['accept', '*/*'],
    ['host', host],
    ['user-agent', SAMPLE_USER_AGENT],
    ['x-amzn-trace-id', traceId(o)],
    ['x-forwarded-for', '127.0.0.1'],
    ['x-forwarded-port', '443'],
    ['x-forwarded-proto', 'https'],
  ];
}

/**
 * Payload format 2.0, shared by HTTP APIs and function URLs: header names lower-cased and repeated
 * values comma-joined, cookies in their own list, fields without a value left out (API Gateway
 * Developer Guide, "Create AWS Lambda proxy integrations for HTTP APIs").
 */
interface V2Context {
  readonly routeKey: string;
  readonly stage: string;
  readonly accountId: string;
  readonly apiId: string;
  readonly domainName: string;
  readonly requestId: string;
  readonly pathParameters: Record<string, string> | null;
}

function payloadV2(o: Options, req: HttpRequest, c: V2Context): unknown {
  const headers: Pairs = req.headers.map(([n, v]) => [n.toLowerCase(), v]);
  const cookies = headers.filter(([n]) => n === 'cookie').flatMap(([, v]) => v.split(/;\s*/)).filter(cookie => cookie !== '');
  return {
    version: '2.0',
    routeKey: c.routeKey,
    rawPath: req.path,
    rawQueryString: req.rawQuery,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers: commaJoined(headers.filter(([n]) => n !== 'cookie')),
    ...(req.queryPairs.length > 0 ? { queryStringParameters: commaJoined(req.queryPairs) } : {}),
    requestContext: {
      accountId: c.accountId,
      apiId: c.apiId,
      domainName: c.domainName,
      domainPrefix: c.apiId,
      http: {
        method: req.method,
        path: req.path,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: lastValues(headers)['user-agent'] ?? '',
      },
      requestId: c.requestId,
      routeKey: c.routeKey,
      stage: c.stage,
      time: clfTime(o.time),
      timeEpoch: o.time.getTime(),
    },
    ...(c.pathParameters ? { pathParameters: c.pathParameters } : {}),
    ...(req.body !== undefined ? { body: req.body } : {}),
    isBase64Encoded: req.isBase64Encoded,
  };
}

/** Shape: SAM's apigateway/HttpApi.json, less the authorizer, client certificate and stage variables an API without them leaves out. */
function apiGatewayHttp(o: Options): unknown {
  const apiId = o.ids.chars('api-id', 10, LOWER_ALNUM);
  const domainName = `${apiId}.execute-api.${o.region}.amazonaws.com`;
  const req = httpRequest(o, v2SampleHeaders(o, domainName));
  const routeKey = o.given('route') ?? `${req.method} ${req.path}`;
  const route = /^(ANY|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (\/\S*)$/.exec(routeKey);
  if (routeKey !== '$default' && !route) throw o.invalid('route', routeKey, 'not "METHOD /path" nor $default', 'give one like "GET /orders/{id}"');
  return payloadV2(o, req, {
    routeKey,
    stage: o.name('stage', /^(\$default|[A-Za-z0-9_-]{1,128})$/, 'stage name'),
    accountId: o.account(),
    apiId,
    domainName,
    requestId: o.ids.bytes('request-id', 11).toString('base64'), // as HTTP APIs write it: JKJaXmPLvHcESHA=
    pathParameters: route ? pathParameters(o, 'route', route[2], req.path) : null,
  });
}

/**
 * Shape: the Lambda Developer Guide's "Invoking Lambda function URLs" (request payload) and a
 * recorded one (aws-powertools tests/events/lambdaFunctionUrlEvent.json): auth type NONE, so no
 * authorizer and accountId "anonymous"; routeKey and stage "$default".
 */
function functionUrl(o: Options): unknown {
  const urlId = o.given('url-id') ?? o.ids.chars('url-id', 32, LOWER_ALNUM);
  if (!/^[a-z0-9]{1,63}$/.test(urlId)) throw o.invalid('url-id', urlId, 'not a URL id (lower-case letters and digits)', 'leave it out, or give one like abcdefghij0123456789klmnopqrstuv');
  const domainName = `${urlId}.lambda-url.${o.region}.on.aws`;
  const req = httpRequest(o, v2SampleHeaders(o, domainName));
  return payloadV2(o, req, {
    routeKey: '$default',
    stage: '$default',
    accountId: 'anonymous',
    apiId: urlId,
    domainName,
    requestId: o.ids.uuid('request-id'),
    pathParameters: null,
  });
}

/**
 * Shape: SAM's apigateway/AwsProxy.json and the API Gateway Developer Guide's "Input format of a
 * Lambda function for proxy integration" (payload 1.0), with the domainName, domainPrefix and
 * extendedRequestId API Gateway now adds to requestContext (recorded in aws-powertools
 * tests/events/apiGatewayProxyEvent.json). Single-value fields keep the last value.
 */
function apiGatewayRest(o: Options): unknown {
  const apiId = o.ids.chars('api-id', 10, LOWER_ALNUM);
  const domainName = `${apiId}.execute-api.${o.region}.amazonaws.com`;
  const req = httpRequest(o, [
    ['Accept', '*/*'],
    ['Host', domainName],
    ['User-Agent', SAMPLE_USER_AGENT],
    ['X-Amzn-Trace-Id', traceId(o)],
    ['X-Forwarded-For', '127.0.0.1'],
    ['X-Forwarded-Port', '443'],
    ['X-Forwarded-Proto', 'https'],
  ]);
  const resource = o.string('resource');
  const stage = o.name('stage', /^[A-Za-z0-9_-]{1,128}$/, 'stage name');
  const hasQuery = req.queryPairs.length > 0;
  return {
    resource,
    path: req.path,
    httpMethod: req.method,
    headers: lastValues(req.headers),
    multiValueHeaders: allValues(req.headers),
    queryStringParameters: hasQuery ? lastValues(req.queryPairs) : null,
    multiValueQueryStringParameters: hasQuery ? allValues(req.queryPairs) : null,
    pathParameters: pathParameters(o, 'resource', resource, req.path),
    stageVariables: null,
    requestContext: {
      accountId: o.account(),
      resourceId: o.ids.chars('resource-id', 6, LOWER_ALNUM),
      stage,
      requestId: o.ids.uuid('request-id'),
      requestTime: clfTime(o.time),
      requestTimeEpoch: o.time.getTime(),
      identity: {
        cognitoIdentityPoolId: null,
        accountId: null,
        cognitoIdentityId: null,
        caller: null,
        accessKey: null,
        sourceIp: '127.0.0.1',
        cognitoAuthenticationType: null,
        cognitoAuthenticationProvider: null,
        userArn: null,
        userAgent: lastValues(req.headers)['User-Agent'] ?? null,
        user: null,
      },
      path: `/${stage}${req.path}`,
      resourcePath: resource,
      httpMethod: req.method,
      apiId,
      protocol: 'HTTP/1.1',
      domainName,
      domainPrefix: apiId,
      extendedRequestId: o.ids.bytes('extended-request-id', 11).toString('base64'),
    },
    body: req.body ?? null,
    isBase64Encoded: req.isBase64Encoded,
  };
}

/**
 * Shape: SAM's alb/ALBRequest.json and the Lambda Developer Guide's "Using Lambda with an Application
 * Load Balancer"; with multi-value headers on, multiValueHeaders and multiValueQueryStringParameters
 * replace headers and queryStringParameters (Elastic Load Balancing User Guide, "Multi-value
 * headers"; recorded in aws-powertools tests/events/albMultiValueHeadersEvent.json). Header names
 * lower-case, as in both samples; query parameters as in the URL ("If the query parameters are
 * URL-encoded, the load balancer does not decode them", same guide, "Lambda functions as targets");
 * without multi-value headers, the last value of each.
 */
function alb(o: Options): unknown {
  const host = `example-alb-${o.ids.chars('alb', 9, DIGITS)}.${o.region}.elb.amazonaws.com`;
  const req = httpRequest(o, [
    ['accept', '*/*'],
    ['host', host],
    ['user-agent', SAMPLE_USER_AGENT],
    ['x-amzn-trace-id', traceId(o)],
    ['x-forwarded-for', '127.0.0.1'],
    ['x-forwarded-port', '80'],
    ['x-forwarded-proto', 'http'],
  ]);
  const targetGroup = o.name('target-group', /^[A-Za-z0-9-]{1,32}$/, 'target group name (1-32 of A-Z a-z 0-9 -)');
  const headers: Pairs = req.headers.map(([n, v]) => [n.toLowerCase(), v]);
  const multi = o.boolean('multi-value');
  return {
    requestContext: { elb: { targetGroupArn: o.arn('elasticloadbalancing', `targetgroup/${targetGroup}/${o.ids.hex('target-group', 16)}`) } },
    httpMethod: req.method,
    path: req.path,
    ...(multi
      ? { multiValueQueryStringParameters: allValues(req.rawQueryPairs), multiValueHeaders: allValues(headers) }
      : { queryStringParameters: lastValues(req.rawQueryPairs), headers: lastValues(headers) }),
    body: req.body ?? '',
    isBase64Encoded: req.isBase64Encoded,
  };
}

// ---------------------------------------------------------------------------------------------
// Messaging: SNS, SQS
// ---------------------------------------------------------------------------------------------

function attributePairs(o: Options): Pairs {
  return o.list('attribute').map(a => {
    const eq = a.indexOf('=');
    if (eq < 1) throw o.invalid('attribute', a, 'not "Name=value"', 'give it as --attribute "Color=blue"');
    return [a.slice(0, eq), a.slice(eq + 1)];
  });
}

/**
 * Shape: SAM's sns/Sns.json and the Lambda Developer Guide's "Using Lambda with Amazon SNS" (one
 * record per invocation). Subject is null when the message was published without one.
 */
function sns(o: Options): unknown {
  const topicArn = o.arn('sns', o.name('topic', /^[A-Za-z0-9_-]{1,256}(\.fifo)?$/, 'topic name (A-Z a-z 0-9 _ -)'));
  const subscriptionArn = `${topicArn}:${o.ids.uuid('subscription')}`;
  const subject = o.string('subject');
  const endpoint = `https://sns.${o.region}.amazonaws.com`;
  return {
    Records: [{
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: subscriptionArn,
      Sns: {
        Type: 'Notification',
        MessageId: o.ids.uuid('message-id'),
        TopicArn: topicArn,
        Subject: subject === '' ? null : subject,
        Message: o.string('message'),
        Timestamp: o.time.toISOString(),
        SignatureVersion: '1',
        Signature: o.ids.bytes('signature', 256).toString('base64'),
        SigningCertUrl: `${endpoint}/SimpleNotificationService-${o.ids.hex('certificate', 32)}.pem`,
        UnsubscribeUrl: `${endpoint}/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn}`,
        MessageAttributes: Object.fromEntries(attributePairs(o).map(([name, value]) => [name, { Type: 'String', Value: value }])),
      },
    }],
  };
}

/**
 * Shape: SAM's sqs/Sqs.json and the Lambda Developer Guide's "Using Lambda with Amazon SQS" (a batch
 * of two). One record per --body, sent a millisecond apart; md5OfBody is the MD5 of the body's UTF-8.
 */
function sqs(o: Options): unknown {
  const queueArn = o.arn('sqs', o.name('queue', /^[A-Za-z0-9_-]{1,80}(\.fifo)?$/, 'queue name (1-80 of A-Z a-z 0-9 _ -)'));
  const senderId = `AIDA${o.ids.chars('sender', 17, UPPER_ALNUM)}`;
  return {
    Records: o.list('body').map((body, i) => ({
      messageId: o.ids.uuid(`message-id-${i}`),
      receiptHandle: `AQEB${o.ids.bytes(`receipt-${i}`, 96).toString('base64')}`,
      body,
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: String(o.time.getTime() + i),
        SenderId: senderId,
        ApproximateFirstReceiveTimestamp: String(o.time.getTime() + i + 2),
      },
      messageAttributes: {},
      md5OfBody: crypto.createHash('md5').update(body, 'utf8').digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: queueArn,
      awsRegion: o.region,
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// Streams: DynamoDB, Kinesis
// ---------------------------------------------------------------------------------------------

/** A JSON value in DynamoDB's attribute-value JSON: {"S": ...}, {"N": "1"}, {"M": {...}}. */
function marshall(value: unknown): Record<string, unknown> {
  if (value === null) return { NULL: true };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (Array.isArray(value)) return { L: value.map(marshall) };
  return { M: marshallItem(value as Record<string, unknown>) };
}

const marshallItem = (item: Record<string, unknown>) => Object.fromEntries(Object.entries(item).map(([k, v]) => [k, marshall(v)]));

const STREAM_EVENTS = ['INSERT', 'MODIFY', 'REMOVE'];

/**
 * Shape: SAM's dynamodb/DynamoDBUpdate.json (INSERT, MODIFY, REMOVE; view type NEW_AND_OLD_IMAGES).
 * INSERT carries the new image, MODIFY both, REMOVE the old one; images hold the keys too. SizeBytes
 * is the size of the record's attribute JSON, an approximation of DynamoDB's.
 */
function dynamodbStream(o: Options): unknown {
  const table = o.name('table', /^[A-Za-z0-9_.-]{3,255}$/, 'table name (3-255 of A-Z a-z 0-9 _ . -)');
  const keys = o.jsonObject('keys');
  if (Object.keys(keys).length === 0) throw o.invalid('keys', o.string('keys'), 'no key attribute', 'give the partition key (and sort key), e.g. \'{"Id":101}\'');
  const newImage = marshallItem({ ...o.jsonObject('new-image'), ...keys });
  const oldImage = marshallItem({ ...o.jsonObject('old-image'), ...keys });
  const label = new Date(o.time.getTime() - 86_400_000).toISOString().replace(/Z$/, '');
  return {
    Records: o.list('event-name').map((given, i) => {
      const eventName = given.toUpperCase();
      if (!STREAM_EVENTS.includes(eventName)) throw o.invalid('event-name', given, 'not a stream event name', `use ${STREAM_EVENTS.join(', ')}`);
      const images = {
        Keys: marshallItem(keys),
        ...(eventName !== 'REMOVE' ? { NewImage: newImage } : {}),
        ...(eventName !== 'INSERT' ? { OldImage: oldImage } : {}),
      };
      return {
        eventID: o.ids.hex(`event-id-${i}`, 32),
        eventName,
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb',
        awsRegion: o.region,
        dynamodb: {
          ...images,
          ApproximateCreationDateTime: Math.floor(o.time.getTime() / 1000),
          SequenceNumber: o.ids.sequence('sequence', '4', 28, i),
          SizeBytes: Buffer.byteLength(JSON.stringify(images)),
          StreamViewType: 'NEW_AND_OLD_IMAGES',
        },
        eventSourceARN: o.arn('dynamodb', `table/${table}/stream/${label}`),
      };
    }),
  };
}

/**
 * Shape: SAM's kinesis/Kinesis.json and the Lambda Developer Guide's "Using Lambda with Amazon
 * Kinesis" (a batch of two). One record per --data, base64-encoded as Kinesis sends it, with
 * increasing sequence numbers and arrival times (seconds, to the millisecond).
 */
function kinesis(o: Options): unknown {
  const stream = o.name('stream', /^[A-Za-z0-9_.-]{1,128}$/, 'stream name (1-128 of A-Z a-z 0-9 _ . -)');
  const account = o.account();
  return {
    Records: o.list('data').map((data, i) => {
      const sequenceNumber = o.ids.sequence('sequence', '49', 56, i);
      return {
        kinesis: {
          kinesisSchemaVersion: '1.0',
          partitionKey: o.string('partition-key'),
          sequenceNumber,
          data: Buffer.from(data, 'utf8').toString('base64'),
          approximateArrivalTimestamp: (o.time.getTime() + i) / 1000,
        },
        eventSource: 'aws:kinesis',
        eventVersion: '1.0',
        eventID: `shardId-000000000000:${sequenceNumber}`,
        eventName: 'aws:kinesis:record',
        invokeIdentityArn: `arn:${o.partition}:iam::${account}:role/lambda-role`,
        awsRegion: o.region,
        eventSourceARN: o.arn('kinesis', `stream/${stream}`, account),
      };
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// EventBridge, CloudWatch Logs
// ---------------------------------------------------------------------------------------------

/**
 * Shape: the EventBridge User Guide's "Amazon EventBridge events" (version, id, detail-type, source,
 * account, time to the second, region, resources, detail); recorded in aws-powertools
 * tests/events/eventBridgeEvent.json.
 */
function eventBridge(o: Options): unknown {
  return {
    'version': '0',
    'id': o.ids.uuid('id'),
    'detail-type': o.string('detail-type'),
    'source': o.string('source'),
    'account': o.account(),
    'time': isoSeconds(o.time),
    'region': o.region,
    'resources': o.list('resource'),
    'detail': o.jsonObject('detail'),
  };
}

/** Shape: SAM's cloudwatch/ScheduledEvent.json, with the version "0" every EventBridge event has. */
function eventBridgeSchedule(o: Options): unknown {
  const rule = o.name('rule', /^[A-Za-z0-9_.-]{1,64}$/, 'rule name (1-64 of A-Z a-z 0-9 _ . -)');
  return {
    'version': '0',
    'id': o.ids.uuid('id'),
    'detail-type': 'Scheduled Event',
    'source': 'aws.events',
    'account': o.account(),
    'time': isoSeconds(o.time),
    'region': o.region,
    'resources': [o.arn('events', `rule/${rule}`)],
    'detail': {},
  };
}

/**
 * Shape: SAM's cloudwatch/CloudwatchLogs.json (awslogs.data) and, decoded, the Lambda Developer
 * Guide's "Using Lambda with CloudWatch Logs": base64(gzip(JSON)) of a DATA_MESSAGE with one log
 * event per --message, a millisecond apart.
 */
function cloudWatchLogs(o: Options): unknown {
  const t = o.time;
  const logStream = o.given('log-stream') ?? `${t.getUTCFullYear()}/${pad(t.getUTCMonth() + 1)}/${pad(t.getUTCDate())}/[$LATEST]${o.ids.hex('log-stream', 32)}`;
  const data = {
    messageType: 'DATA_MESSAGE',
    owner: o.account(),
    logGroup: o.string('log-group'),
    logStream,
    subscriptionFilters: [o.string('filter')],
    logEvents: o.list('message').map((message, i) => ({ id: o.ids.sequence('event-id', '3', 56, i), timestamp: t.getTime() + i, message })),
  };
  return { awslogs: { data: zlib.gzipSync(Buffer.from(JSON.stringify(data), 'utf8')).toString('base64') } };
}

// ---------------------------------------------------------------------------------------------
// The kinds
// ---------------------------------------------------------------------------------------------

interface KindSpec {
  readonly kind: string;
  readonly description: string;
  readonly options: readonly OptionSpec[];
  readonly generate: (o: Options) => unknown;
}

/** Options common to all kinds (region, time) come last in each kind's list. */
const defineKind = (name: string, description: string, generate: (o: Options) => unknown, options: OptionSpec[]): KindSpec =>
  ({ kind: name, description, generate, options: [...options, REGION, TIME] });

const KINDS: readonly KindSpec[] = [
  defineKind('s3-put', 'S3 ObjectCreated:Put notification', s3Put, [BUCKET, KEY, SIZE]),
  defineKind('s3-delete', 'S3 ObjectRemoved:Delete notification', s3Delete, [BUCKET, KEY]),
  defineKind('apigateway-http', 'API Gateway HTTP API request (payload format 2.0)', apiGatewayHttp, [
    ...HTTP_REQUEST,
    { flag: 'route', description: 'the route key that matched, "METHOD /path" or $default; {name} parts give pathParameters', defaultValue: 'METHOD PATH', computed: true },
    { flag: 'stage', description: 'the stage', defaultValue: '$default' },
    ACCOUNT,
  ]),
  defineKind('apigateway-rest', 'API Gateway REST API request (Lambda proxy, payload format 1.0)', apiGatewayRest, [
    ...HTTP_REQUEST,
    { flag: 'resource', description: 'the resource that matched; {name} and {proxy+} parts give pathParameters', defaultValue: '/{proxy+}' },
    { flag: 'stage', description: 'the stage', defaultValue: 'prod' },
    ACCOUNT,
  ]),
  defineKind('function-url', 'Lambda function URL request (payload format 2.0, auth type NONE)', functionUrl, [
    ...HTTP_REQUEST,
    { flag: 'url-id', description: 'the <url-id> of https://<url-id>.lambda-url.<region>.on.aws', defaultValue: '32 letters and digits', computed: true },
  ]),
  defineKind('alb', 'Application Load Balancer request to a Lambda target group', alb, [
    ...HTTP_REQUEST,
    { flag: 'multi-value', description: 'true: the target group has multi-value headers on (multiValueHeaders, multiValueQueryStringParameters)', defaultValue: 'false' },
    { flag: 'target-group', description: 'the target group name', defaultValue: 'example-targets' },
    ACCOUNT,
  ]),
  defineKind('sns', 'SNS notification (one message)', sns, [
    { flag: 'topic', description: 'the topic name', defaultValue: 'example-topic' },
    { flag: 'subject', description: 'the subject; empty: none (null)', defaultValue: 'example subject' },
    { flag: 'message', description: 'the message', defaultValue: 'example message' },
    { flag: 'attribute', description: 'a String message attribute, "Name=value"', repeatable: true },
    ACCOUNT,
  ]),
  defineKind('sqs', 'SQS batch, one record per --body', sqs, [
    { flag: 'queue', description: 'the queue name', defaultValue: 'example-queue' },
    { flag: 'body', description: 'a message body; each one more record', defaultValue: '{"hello":"world"}', repeatable: true },
    ACCOUNT,
  ]),
  defineKind('dynamodb-stream', 'DynamoDB Streams batch (INSERT, MODIFY, REMOVE records; new and old images)', dynamodbStream, [
    { flag: 'table', description: 'the table name', defaultValue: 'example-table' },
    { flag: 'keys', description: 'the item\'s key attributes, plain JSON (sent as DynamoDB JSON)', defaultValue: '{"Id":101}' },
    { flag: 'new-image', description: 'the item after the change, plain JSON, keys added', defaultValue: '{"Message":"new value"}' },
    { flag: 'old-image', description: 'the item before the change, plain JSON, keys added', defaultValue: '{"Message":"old value"}' },
    { flag: 'event-name', description: 'INSERT, MODIFY or REMOVE; each one more record', defaultValue: 'INSERT, MODIFY, REMOVE', defaultList: STREAM_EVENTS, repeatable: true },
    ACCOUNT,
  ]),
  defineKind('kinesis', 'Kinesis Data Streams batch, one record per --data', kinesis, [
    { flag: 'stream', description: 'the stream name', defaultValue: 'example-stream' },
    { flag: 'data', description: 'a record\'s data, as text (sent base64-encoded); each one more record', defaultValue: 'Hello, this is a test 123.', repeatable: true },
    { flag: 'partition-key', description: 'the partition key', defaultValue: 'partition-key-1' },
    ACCOUNT,
  ]),
  defineKind('eventbridge', 'EventBridge event (custom or from an AWS service)', eventBridge, [
    { flag: 'source', description: 'the source', defaultValue: 'com.example.orders' },
    { flag: 'detail-type', description: 'the detail type', defaultValue: 'Order Placed' },
    { flag: 'detail', description: 'the detail, a JSON object', defaultValue: '{"orderId":"1234"}' },
    { flag: 'resource', description: 'an ARN in resources', repeatable: true },
    ACCOUNT,
  ]),
  defineKind('eventbridge-schedule', 'EventBridge scheduled rule event ("Scheduled Event" from aws.events)', eventBridgeSchedule, [
    { flag: 'rule', description: 'the rule name', defaultValue: 'example-schedule' },
    ACCOUNT,
  ]),
  defineKind('cloudwatch-logs', 'CloudWatch Logs subscription batch (awslogs.data: base64 of gzip of JSON)', cloudWatchLogs, [
    { flag: 'log-group', description: 'the log group', defaultValue: '/aws/lambda/example-function' },
    { flag: 'log-stream', description: 'the log stream', defaultValue: 'YYYY/MM/DD/[$LATEST]<32 hex digits>, from --time', computed: true },
    { flag: 'message', description: 'a log event\'s message; each one more log event', defaultValue: 'example log message', repeatable: true },
    { flag: 'filter', description: 'the subscription filter name', defaultValue: 'example-filter' },
    ACCOUNT,
  ]),
];

/** Every kind, in the order help lists them. Options common to all kinds (region, time) are included in each kind's list. */
export const EVENT_KINDS: readonly EventKindInfo[] = KINDS.map(k => ({
  kind: k.kind,
  description: k.description,
  options: k.options.map(({ flag, description, defaultValue, repeatable }) => ({
    flag,
    description,
    ...(defaultValue !== undefined ? { defaultValue } : {}),
    ...(repeatable ? { repeatable } : {}),
  })),
}));

/**
 * A sample event. Options keyed by flag (repeatable flags: string[]); undefined values count as
 * absent. Unknown kind, an option the kind does not take, or a bad value (invalid JSON, not a
 * number): UsageError naming the kind, the flag, the value and the fix.
 */
export function generateEvent(kind: string, options: EventOptionValues = {}): unknown {
  const spec = KINDS.find(k => k.kind === kind);
  if (!spec) throw new UsageError(`generate-event: unknown event kind "${kind}". Fix: use one of ${KINDS.map(k => k.kind).join(', ')}.`);
  return spec.generate(new Options(kind, spec.options, options));
}
