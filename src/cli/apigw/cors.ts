/**
 * An HTTP API's CORS configuration as API Gateway applies it (API Gateway Developer Guide,
 * "Configure CORS for HTTP APIs"): the gateway answers a preflight (OPTIONS with `Origin` and
 * `Access-Control-Request-Method`) itself, whatever the routes; it adds the configured headers to
 * the integration's answer to a request with an allowed `Origin`, and drops the CORS headers the
 * integration set. Pure.
 */
import { HeaderPairs, headerValue } from './headers';
import { wildcardRegExp } from './wildcards';

type Json = any;

export interface CorsConfiguration {
  readonly allowOrigins: readonly string[];
  readonly allowMethods: readonly string[];
  readonly allowHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly maxAge?: number;
  readonly allowCredentials: boolean;
}


/** The CorsConfiguration of an `AWS::ApiGatewayV2::Api`; undefined without one. */
export function readCorsConfiguration(cors: Json, notes: string[]): CorsConfiguration | undefined {
  if (!cors || typeof cors !== 'object') return undefined;
  const list = (name: string): string[] => {
    const value = cors[name] ?? [];
    if (!Array.isArray(value) || value.some(v => typeof v !== 'string')) {
      notes.push(`CORS ${name}: ${JSON.stringify(value)} is known only after deployment: none`);
      return [];
    }
    return value;
  };
  return {
    allowOrigins: list('AllowOrigins'),
    allowMethods: list('AllowMethods'),
    allowHeaders: list('AllowHeaders'),
    exposeHeaders: list('ExposeHeaders'),
    maxAge: typeof cors.MaxAge === 'number' ? cors.MaxAge : undefined,
    allowCredentials: cors.AllowCredentials === true,
  };
}


/** Whether an origin is allowed: exactly (case aside), or by a pattern with `*` (`*`, `https://*`, `https://*.example.com`). */
function originAllowed(cors: CorsConfiguration, origin: string): boolean {
  return cors.allowOrigins.some(allowed => wildcardRegExp(allowed, { flags: 'i' }).test(origin));
}

/** Access-Control-Allow-Origin for an allowed origin: `*` when every origin is and no credentials are, else the origin itself. */
function allowOrigin(cors: CorsConfiguration, origin: string): Array<[string, string]> {
  const value = cors.allowOrigins.includes('*') && !cors.allowCredentials ? '*' : origin;
  return [['access-control-allow-origin', value], ...(cors.allowCredentials ? [['access-control-allow-credentials', 'true'] as [string, string]] : [])];
}

/** A preflight: OPTIONS with `Origin` and `Access-Control-Request-Method`. */
export function isPreflight(method: string, headers: HeaderPairs): boolean {
  return method === 'OPTIONS' && headerValue(headers, 'origin') !== undefined && headerValue(headers, 'access-control-request-method') !== undefined;
}

/** The gateway's answer to a preflight: 204, with the CORS headers when the origin is allowed (none otherwise). */
export function preflightResponse(cors: CorsConfiguration, headers: HeaderPairs): { statusCode: number; headers: Array<[string, string]> } {
  const origin = headerValue(headers, 'origin')!;
  if (!originAllowed(cors, origin)) return { statusCode: 204, headers: [] };
  const requested = headerValue(headers, 'access-control-request-headers');
  const out: Array<[string, string]> = allowOrigin(cors, origin);
  if (cors.allowMethods.length > 0) out.push(['access-control-allow-methods', cors.allowMethods.join(',')]);
  // `*` allows the headers asked for; a listed set is sent as configured.
  const allowHeaders = cors.allowHeaders.includes('*') && requested ? requested : cors.allowHeaders.join(',');
  if (allowHeaders) out.push(['access-control-allow-headers', allowHeaders]);
  if (cors.maxAge !== undefined) out.push(['access-control-max-age', String(cors.maxAge)]);
  return { statusCode: 204, headers: out };
}

/**
 * An answer as it leaves an API with CORS: the integration's `Access-Control-*` headers dropped, and
 * for a request with an allowed Origin, the configured ones added.
 */
export function withCorsHeaders(cors: CorsConfiguration, requestHeaders: HeaderPairs, responseHeaders: HeaderPairs): Array<[string, string]> {
  const own = responseHeaders.filter(([n]) => !n.toLowerCase().startsWith('access-control-')) as Array<[string, string]>;
  const origin = headerValue(requestHeaders, 'origin');
  if (origin === undefined || !originAllowed(cors, origin)) return own;
  const added = allowOrigin(cors, origin);
  if (cors.exposeHeaders.length > 0) added.push(['access-control-expose-headers', cors.exposeHeaders.join(',')]);
  return [...own, ...added];
}
