/**
 * The event a request becomes for a function behind API Gateway or a function URL: payload format
 * 1.0 for REST APIs and HTTP APIs that ask for it, 2.0 for HTTP APIs and function URLs.
 */
import * as crypto from 'crypto';
import { Api, ApiRoute } from './routes';

/** A request as the local server read it. */
export interface HttpRequest {
  readonly method: string;
  /** Path and query, as sent: `/orders/7?x=1&x=2`. */
  readonly url: string;
  /** Header names as sent; repeated headers are several entries. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: Buffer;
  readonly sourceIp?: string;
}

const ACCOUNT = '123456789012';
const TEXT_TYPES = /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded)|[^;]*\+(json|xml))/i;

/** Whether API Gateway hands the body to the function base64-encoded. */
function isBinary(api: Api, contentType: string | undefined, body: Buffer): boolean {
  if (body.length === 0) return false;
  if (api.kind === 'rest-api') {
    // REST APIs pass text unless the content type is one of the API's binaryMediaTypes.
    return api.binaryMediaTypes.some(t => mediaTypeMatches(t, contentType ?? ''));
  }
  return !contentType || !TEXT_TYPES.test(contentType);
}

function mediaTypeMatches(pattern: string, contentType: string): boolean {
  const type = contentType.split(';')[0].trim().toLowerCase();
  const [pt, ps] = pattern.toLowerCase().split('/');
  const [t, s] = type.split('/');
  return (pt === '*' || pt === t) && (ps === '*' || ps === s);
}

function splitUrl(url: string): { path: string; rawQuery: string; query: Array<[string, string]> } {
  const [p, ...q] = url.split('?');
  const rawQuery = q.join('?');
  const query = rawQuery ? [...new URLSearchParams(rawQuery).entries()] : [];
  return { path: p, rawQuery, query };
}

/** Several values of one name, as API Gateway merges them: one comma-joined value, or the last one. */
function grouped(entries: ReadonlyArray<readonly [string, string]>, lower: boolean): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const [k, v] of entries) {
    const key = lower ? k.toLowerCase() : k;
    map.set(key, [...(map.get(key) ?? []), v]);
  }
  return map;
}

/** The event a request becomes for `route` of `api`. */
export function requestEvent(api: Api, route: ApiRoute, pathParameters: Record<string, string>, req: HttpRequest, now = new Date()): unknown {
  const { path, rawQuery, query } = splitUrl(req.url);
  const contentType = req.headers.find(([k]) => k.toLowerCase() === 'content-type')?.[1];
  const binary = isBinary(api, contentType, req.body);
  const body = req.body.length === 0 ? undefined : binary ? req.body.toString('base64') : req.body.toString('utf8');
  const requestId = crypto.randomUUID();
  const userAgent = req.headers.find(([k]) => k.toLowerCase() === 'user-agent')?.[1] ?? '';
  const sourceIp = req.sourceIp ?? '127.0.0.1';
  const domainPrefix = api.kind === 'function-url' ? api.logicalId.toLowerCase() : api.logicalId.toLowerCase().slice(0, 10);
  const domainName = api.kind === 'function-url' ? `${domainPrefix}.lambda-url.us-east-1.on.aws` : `${domainPrefix}.execute-api.us-east-1.amazonaws.com`;
  if (route.payloadFormat === '2.0') {
    const headers = grouped(req.headers, true);
    const cookies = (headers.get('cookie') ?? []).flatMap(c => c.split(';').map(s => s.trim()).filter(Boolean));
    headers.delete('cookie');
    const routeKey = route.path === '$default' ? '$default' : `${route.method} ${route.path}`;
    return {
      version: '2.0',
      routeKey,
      rawPath: path,
      rawQueryString: rawQuery,
      ...(cookies.length > 0 ? { cookies } : {}),
      headers: Object.fromEntries([...headers].map(([k, v]) => [k, v.join(',')])),
      ...(query.length > 0 ? { queryStringParameters: Object.fromEntries([...grouped(query, false)].map(([k, v]) => [k, v.join(',')])) } : {}),
      ...(Object.keys(pathParameters).length > 0 ? { pathParameters } : {}),
      requestContext: {
        accountId: api.kind === 'function-url' ? 'anonymous' : ACCOUNT,
        apiId: domainPrefix,
        domainName,
        domainPrefix,
        http: { method: req.method, path, protocol: 'HTTP/1.1', sourceIp, userAgent },
        requestId,
        routeKey,
        stage: api.stage,
        time: apiTime(now),
        timeEpoch: now.getTime(),
      },
      ...(body !== undefined ? { body } : {}),
      isBase64Encoded: binary,
    };
  }
  const headers = grouped(req.headers, false);
  const queries = grouped(query, false);
  const resource = route.path === '$default' ? path : route.path;
  return {
    resource,
    path,
    httpMethod: req.method,
    headers: Object.fromEntries([...headers].map(([k, v]) => [k, v[v.length - 1]])),
    multiValueHeaders: Object.fromEntries(headers),
    queryStringParameters: query.length > 0 ? Object.fromEntries([...queries].map(([k, v]) => [k, v[v.length - 1]])) : null,
    multiValueQueryStringParameters: query.length > 0 ? Object.fromEntries(queries) : null,
    pathParameters: Object.keys(pathParameters).length > 0 ? pathParameters : null,
    stageVariables: null,
    requestContext: {
      accountId: ACCOUNT,
      apiId: domainPrefix,
      domainName,
      domainPrefix,
      httpMethod: req.method,
      identity: { sourceIp, userAgent },
      path: api.kind === 'rest-api' ? `/${api.stage}${path}` : path,
      protocol: 'HTTP/1.1',
      requestId,
      requestTime: apiTime(now),
      requestTimeEpoch: now.getTime(),
      resourceId: route.path,
      resourcePath: resource,
      stage: api.stage,
    },
    body: body ?? null,
    isBase64Encoded: binary,
  };
}

/** `02/Dec/2026:06:52:40 +0000`, as API Gateway writes its times. */
function apiTime(d: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}
