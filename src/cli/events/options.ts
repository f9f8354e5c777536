/**
 * `generate-event`'s options: the flags each kind takes (the shared ones and their defaults), their
 * values validated, and the ids and times an event derives from them (reproducible given --time).
 */
import * as crypto from 'crypto';
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

/** Option values keyed by flag; a repeatable flag's values as a list. */
export interface EventOptionValues {
  readonly [flag: string]: string | readonly string[] | undefined;
}

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

export interface OptionSpec extends EventOptionInfo {
  /** The default is worked out from other values (or the clock); defaultValue only describes it. */
  readonly computed?: boolean;
  /** A repeatable flag's default values, when there are several. */
  readonly defaultList?: readonly string[];
}

export const REGION: OptionSpec = { flag: 'region', description: 'the AWS Region the event comes from', defaultValue: 'us-east-1' };
export const TIME: OptionSpec = {
  flag: 'time',
  description: 'when it happened, ISO 8601 (2026-11-22T09:30:00Z); also fixes every id, for a reproducible event',
  defaultValue: 'now',
  computed: true,
};
export const ACCOUNT: OptionSpec = { flag: 'account', description: 'the AWS account ID in ARNs and owner fields', defaultValue: '123456789012' };

export const BUCKET: OptionSpec = { flag: 'bucket', description: 'the bucket name', defaultValue: 'example-bucket' };
export const KEY: OptionSpec = {
  flag: 'key',
  description: 'the object key, as stored; the event carries it URL-encoded as S3 sends it (space as +, / kept)',
  defaultValue: 'uploads/example.jpg',
};
export const SIZE: OptionSpec = { flag: 'size', description: 'the object size in bytes', defaultValue: '1024' };

export const METHOD: OptionSpec = { flag: 'method', description: 'the HTTP method', defaultValue: 'POST' };
export const PATH: OptionSpec = { flag: 'path', description: 'the request path', defaultValue: '/orders' };
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
/** The request of the HTTP kinds (API Gateway, function URLs, ALB). */
export const HTTP_REQUEST = [METHOD, PATH, QUERY, HEADER, BODY, BASE64];

/** An option value that could not be used: the kind, the flag, the value, why, and the fix. */
function invalid(kind: string, flag: string, value: string, why: string, fix: string): UsageError {
  return new UsageError(`generate-event ${kind}: invalid --${flag} ${JSON.stringify(value)}: ${why}. Fix: ${fix}.`);
}

/** The options of one event: validated, with defaults, the time and the ids it derives. */
export class Options {
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

export const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
export const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
export const DIGITS = '0123456789';

/** Ids derived from a seed and a label: the same seed and label, the same id. */
export class Ids {
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

/** Two digits: 09. */
export const pad = (n: number) => String(n).padStart(2, '0');

/** EventBridge's time, to the second: 2015-10-08T16:53:06Z. */
export function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** An X-Ray trace header as load balancers and API Gateway add it. */
export function traceId(o: Options): string {
  return `Root=1-${Math.floor(o.time.getTime() / 1000).toString(16)}-${o.ids.hex('trace', 24)}`;
}
