/**
 * The event a request becomes for a function behind API Gateway or a function URL: payload format
 * 1.0 for REST APIs and HTTP APIs that ask for it, 2.0 for HTTP APIs and function URLs. The builders
 * are pure (ids, time, region and account come from the caller) and shared: `start-api` calls them
 * through requestEvent (random ids, the time now), `generate-event` with ids derived from its options.
 */
import * as crypto from 'crypto';
import type {
  APIGatewayEventIdentity, APIGatewayEventRequestContext, APIGatewayProxyEvent, APIGatewayProxyEventV2,
  APIGatewayTokenAuthorizerEvent, LambdaFunctionURLEvent,
} from 'aws-lambda';
import { headerValue } from './headers';
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

/** Names and values in order; a name may come several times. */
export type Pairs = ReadonlyArray<readonly [string, string]>;

/** A request as API Gateway (or a function URL) passes it on. */
export interface ApiRequest {
  /** Upper-case: GET. */
  readonly method: string;
  /** As in the URL, not decoded. */
  readonly path: string;
  /** As in the URL, without '?'. */
  readonly rawQuery: string;
  /** The query's names and values, URL-decoded. */
  readonly query: Pairs;
  /** Header names as sent; a repeated header is several entries. */
  readonly headers: Pairs;
  /** As the function gets it: text, or base64 when isBase64Encoded; undefined without a body. */
  readonly body?: string;
  readonly isBase64Encoded: boolean;
  readonly sourceIp: string;
}

/** Which API took the request, and the ids and time it gave it (the caller's: random and now, or reproducible). */
export interface ApiContext {
  readonly accountId: string;
  readonly apiId: string;
  readonly region: string;
  readonly stage: string;
  readonly requestId: string;
  readonly time: Date;
  /** The route's or resource's {name} parts; null when it has none. */
  readonly pathParameters: Readonly<Record<string, string>> | null;
  /** The stage's variables; none: left out (2.0) or null (1.0), as API Gateway sends a stage without them. */
  readonly stageVariables?: Readonly<Record<string, string>>;
}

/** An HTTP API's request (payload format 2.0). */
export interface HttpApiContext extends ApiContext {
  /** "GET /orders/{id}", or $default. */
  readonly routeKey: string;
}

/** A REST API's request (payload format 1.0, also what HTTP APIs send to 1.0 integrations). */
export interface RestApiContext extends ApiContext {
  /** The resource that matched: /orders/{id}, /{proxy+}. */
  readonly resource: string;
  /** The resource's id: 6 characters. */
  readonly resourceId: string;
  /** See apiGatewayId. */
  readonly extendedRequestId: string;
  /** requestContext.path. @default the stage, then the path: /prod/orders/7 */
  readonly contextPath?: string;
}

/** A function URL's request (payload format 2.0, auth type NONE). */
export interface FunctionUrlContext {
  /** The <url-id> of https://<url-id>.lambda-url.<region>.on.aws. */
  readonly urlId: string;
  readonly region: string;
  readonly requestId: string;
  readonly time: Date;
}

/** The identity a REST API sends for a caller it did not authenticate: the 11 fields of AWS's sample (no API key, client certificate or organization). */
export type RestApiIdentity = Omit<APIGatewayEventIdentity, 'apiKey' | 'apiKeyId' | 'clientCert' | 'principalOrgId' | 'vpcId' | 'vpceId'>;

/** APIGatewayProxyEvent as an API without an authorizer sends it: no requestContext.authorizer, and RestApiIdentity. */
export type RestApiEvent = Omit<APIGatewayProxyEvent, 'requestContext'> & {
  requestContext: Omit<APIGatewayEventRequestContext, 'authorizer' | 'identity'> & { identity: RestApiIdentity };
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** API Gateway's request time: 09/Apr/2015:12:34:56 +0000. */
export function apiTime(d: Date): string {
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

/** API Gateway's short ids (an HTTP API's requestId, a REST API's extendedRequestId): 11 bytes in base64, JKJaXmPLvHcESHA=. */
export function apiGatewayId(bytes: Buffer): string {
  return bytes.subarray(0, 11).toString('base64');
}

/** An API's domain: <api-id>.execute-api.<region>.amazonaws.com. */
export function executeApiDomain(apiId: string, region: string): string {
  return `${apiId}.execute-api.${region}.amazonaws.com`;
}

/** A function URL's domain: <url-id>.lambda-url.<region>.on.aws. */
export function functionUrlDomain(urlId: string, region: string): string {
  return `${urlId}.lambda-url.${region}.on.aws`;
}

/** Values by name, in first-seen order. */
export function grouped(pairs: Pairs): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const [k, v] of pairs) map.set(k, [...(map.get(k) ?? []), v]);
  return map;
}

/** The last value of each name (payload 1.0's single-value maps). */
export const lastValues = (pairs: Pairs): Record<string, string> => Object.fromEntries([...grouped(pairs)].map(([k, v]) => [k, v[v.length - 1]]));
/** Every value of each name (payload 1.0's multi-value maps). */
export const allValues = (pairs: Pairs): Record<string, string[]> => Object.fromEntries(grouped(pairs));
/** The values of each name, comma-joined (payload 2.0's maps). */
export const commaJoined = (pairs: Pairs): Record<string, string> => Object.fromEntries([...grouped(pairs)].map(([k, v]) => [k, v.join(',')]));


/**
 * Payload format 2.0, shared by HTTP APIs and function URLs: header names lower-cased and repeated
 * values comma-joined, cookies in their own list, fields without a value left out (API Gateway
 * Developer Guide, "Create AWS Lambda proxy integrations for HTTP APIs").
 */
function payloadV2(req: ApiRequest, c: HttpApiContext & { readonly domainName: string }): APIGatewayProxyEventV2 {
  const headers: Pairs = req.headers.map(([n, v]) => [n.toLowerCase(), v]);
  const cookies = headers.filter(([n]) => n === 'cookie').flatMap(([, v]) => v.split(/;\s*/)).filter(cookie => cookie !== '');
  return {
    version: '2.0',
    routeKey: c.routeKey,
    rawPath: req.path,
    rawQueryString: req.rawQuery,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers: commaJoined(headers.filter(([n]) => n !== 'cookie')),
    ...(req.query.length > 0 ? { queryStringParameters: commaJoined(req.query) } : {}),
    requestContext: {
      accountId: c.accountId,
      apiId: c.apiId,
      domainName: c.domainName,
      domainPrefix: c.apiId,
      http: {
        method: req.method,
        path: req.path,
        protocol: 'HTTP/1.1',
        sourceIp: req.sourceIp,
        userAgent: headerValue(headers, 'user-agent') ?? '',
      },
      requestId: c.requestId,
      routeKey: c.routeKey,
      stage: c.stage,
      time: apiTime(c.time),
      timeEpoch: c.time.getTime(),
    },
    ...(c.pathParameters ? { pathParameters: c.pathParameters } : {}),
    ...(c.stageVariables && Object.keys(c.stageVariables).length > 0 ? { stageVariables: { ...c.stageVariables } } : {}),
    ...(req.body !== undefined ? { body: req.body } : {}),
    isBase64Encoded: req.isBase64Encoded,
  };
}

/** An HTTP API's event, payload format 2.0 (SAM's apigateway/HttpApi.json, less the authorizer, client certificate and stage variables an API without them leaves out). */
export function httpApiEvent(req: ApiRequest, c: HttpApiContext): APIGatewayProxyEventV2 {
  return payloadV2(req, { ...c, domainName: executeApiDomain(c.apiId, c.region) });
}

/**
 * A function URL's event (Lambda Developer Guide, "Invoking Lambda function URLs"): payload format
 * 2.0 with auth type NONE, so no authorizer and accountId "anonymous"; routeKey and stage $default.
 */
export function functionUrlEvent(req: ApiRequest, c: FunctionUrlContext): LambdaFunctionURLEvent {
  return payloadV2(req, {
    routeKey: '$default',
    stage: '$default',
    accountId: 'anonymous',
    apiId: c.urlId,
    region: c.region,
    domainName: functionUrlDomain(c.urlId, c.region),
    requestId: c.requestId,
    time: c.time,
    pathParameters: null,
  });
}

/**
 * Payload format 1.0 (SAM's apigateway/AwsProxy.json and the API Gateway Developer Guide's "Input
 * format of a Lambda function for proxy integration"), with the domainName, domainPrefix and
 * extendedRequestId API Gateway now adds to requestContext (recorded in aws-powertools
 * tests/events/apiGatewayProxyEvent.json). Single-value maps keep the last value; no query is null.
 */
export function restApiEvent(req: ApiRequest, c: RestApiContext): RestApiEvent {
  const hasQuery = req.query.length > 0;
  return {
    resource: c.resource,
    path: req.path,
    httpMethod: req.method,
    headers: lastValues(req.headers),
    multiValueHeaders: allValues(req.headers),
    queryStringParameters: hasQuery ? lastValues(req.query) : null,
    multiValueQueryStringParameters: hasQuery ? allValues(req.query) : null,
    pathParameters: c.pathParameters,
    stageVariables: c.stageVariables && Object.keys(c.stageVariables).length > 0 ? { ...c.stageVariables } : null,
    requestContext: {
      accountId: c.accountId,
      resourceId: c.resourceId,
      stage: c.stage,
      requestId: c.requestId,
      requestTime: apiTime(c.time),
      requestTimeEpoch: c.time.getTime(),
      identity: {
        cognitoIdentityPoolId: null,
        accountId: null,
        cognitoIdentityId: null,
        caller: null,
        accessKey: null,
        sourceIp: req.sourceIp,
        cognitoAuthenticationType: null,
        cognitoAuthenticationProvider: null,
        userArn: null,
        userAgent: headerValue(req.headers, 'user-agent') ?? null,
        user: null,
      },
      path: c.contextPath ?? `/${c.stage}${req.path}`,
      resourcePath: c.resource,
      httpMethod: req.method,
      apiId: c.apiId,
      protocol: 'HTTP/1.1',
      domainName: executeApiDomain(c.apiId, c.region),
      domainPrefix: c.apiId,
      extendedRequestId: c.extendedRequestId,
    },
    body: req.body ?? null,
    isBase64Encoded: req.isBase64Encoded,
  };
}

/**
 * A TOKEN authorizer's event (API Gateway Developer Guide, "Input to an API Gateway Lambda
 * authorizer"): the token and the method's ARN, nothing else.
 */
export function tokenAuthorizerEvent(token: string, methodArn: string): APIGatewayTokenAuthorizerEvent {
  return { type: 'TOKEN', authorizationToken: token, methodArn };
}

/**
 * A REQUEST authorizer's event: the request as the integration would get it, without its body, with
 * the authorizer's fields (same guide; "Control access to HTTP APIs with AWS Lambda authorizers"):
 * a REST API's `type` and `methodArn`; an HTTP API's payload 2.0 `routeArn` and the identity
 * sources' values as a list, its payload 1.0 `methodArn` and the values comma-joined as
 * `identitySource` and `authorizationToken`.
 */
export function requestAuthorizerEvent(
  api: 'rest-api' | 'http-api', request: RestApiEvent | APIGatewayProxyEventV2, arn: string, identitySource: readonly string[],
): Record<string, unknown> {
  const { body, isBase64Encoded, ...rest } = request as Record<string, unknown>;
  void body; void isBase64Encoded;
  if (api === 'rest-api') return { type: 'REQUEST', methodArn: arn, ...rest };
  if (rest.version === '2.0') {
    const { version, ...v2 } = rest;
    return { version, type: 'REQUEST', routeArn: arn, identitySource: [...identitySource], ...v2 };
  }
  return { version: '1.0', type: 'REQUEST', methodArn: arn, identitySource: identitySource.join(','), authorizationToken: identitySource.join(','), ...rest };
}

/** The account start-api's events name. */
export const ACCOUNT = '123456789012';
const TEXT_TYPES = /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded)|[^;]*\+(json|xml))/i;
const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

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

/** A resource's id, the same for every request to it (as API Gateway's are): 6 characters from its API and path. */
function resourceId(api: Api, resource: string): string {
  return [...crypto.createHash('sha256').update(`${api.stack}/${api.logicalId} ${resource}`).digest().subarray(0, 6)]
    .map(b => LOWER_ALNUM[b % LOWER_ALNUM.length]).join('');
}

/** The id an API has in start-api's events and ARNs: its logical ID in lower case (10 characters, as API Gateway's ids are; a function URL's whole). */
export function localApiId(api: Pick<Api, 'kind' | 'logicalId'>): string {
  return api.kind === 'function-url' ? api.logicalId.toLowerCase() : api.logicalId.toLowerCase().slice(0, 10);
}

/**
 * The event a request becomes for `route` of `api` (start-api): the builders above with random ids,
 * the time `now`, the account 123456789012 and `region`.
 */
export function requestEvent(
  api: Api, route: ApiRoute, pathParameters: Record<string, string>, req: HttpRequest, now = new Date(), region = 'us-east-1',
): APIGatewayProxyEventV2 | RestApiEvent {
  const { path, rawQuery, query } = splitUrl(req.url);
  const contentType = req.headers.find(([k]) => k.toLowerCase() === 'content-type')?.[1];
  const binary = isBinary(api, contentType, req.body);
  const request: ApiRequest = {
    method: req.method,
    path,
    rawQuery,
    query,
    headers: req.headers,
    body: req.body.length === 0 ? undefined : binary ? req.body.toString('base64') : req.body.toString('utf8'),
    isBase64Encoded: binary,
    sourceIp: req.sourceIp ?? '127.0.0.1',
  };
  const apiId = localApiId(api);
  if (api.kind === 'function-url') return functionUrlEvent(request, { urlId: apiId, region, requestId: crypto.randomUUID(), time: now });
  const context = {
    accountId: ACCOUNT,
    apiId,
    region,
    stage: api.stage,
    time: now,
    pathParameters: Object.keys(pathParameters).length > 0 ? pathParameters : null,
    stageVariables: api.stageVariables,
  };
  if (route.payloadFormat === '2.0') {
    const routeKey = route.path === '$default' ? '$default' : `${route.method} ${route.path}`;
    return httpApiEvent(request, { ...context, routeKey, requestId: apiGatewayId(crypto.randomBytes(11)) });
  }
  const resource = route.path === '$default' ? path : route.path;
  return restApiEvent(request, {
    ...context,
    resource,
    resourceId: resourceId(api, resource),
    requestId: api.kind === 'rest-api' ? crypto.randomUUID() : apiGatewayId(crypto.randomBytes(11)),
    extendedRequestId: apiGatewayId(crypto.randomBytes(11)),
    // HTTP APIs' payload 1.0 keeps the path as sent; REST APIs put the stage first.
    ...(api.kind === 'rest-api' ? {} : { contextPath: path }),
  });
}
