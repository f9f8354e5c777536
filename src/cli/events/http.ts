/**
 * `generate-event` apigateway-http, apigateway-rest, function-url and alb: the request the options
 * describe, as API Gateway (through apigw/payloads, the builders start-api uses), a function URL or
 * an Application Load Balancer sends it; and the apigateway-authorizer-* kinds, the input of a Lambda
 * authorizer for that request (the builders start-api's authorizers use).
 */
import type { ALBEvent, APIGatewayProxyEventV2, APIGatewayTokenAuthorizerEvent, LambdaFunctionURLEvent } from 'aws-lambda';
import { DIGITS, LOWER_ALNUM, Options, traceId } from './options';
import { identitySource } from '../apigw/authorizers';
import {
  allValues, apiGatewayId, ApiRequest, executeApiDomain, functionUrlDomain, functionUrlEvent,
  httpApiEvent, lastValues, Pairs, requestAuthorizerEvent, RestApiEvent, restApiEvent, tokenAuthorizerEvent,
} from '../apigw/payloads';

/** The request the options describe. */
interface SampleRequest extends ApiRequest {
  /** Name and value, as in the URL (not decoded). */
  readonly rawQueryPairs: Pairs;
  /** The sample headers, less those given, then the headers given. */
  readonly headers: Pairs;
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
function httpRequest(o: Options, sampleHeaders: Pairs): SampleRequest {
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
  const query: Pairs = rawQueryPairs.map(([k, v]) => [decodeQueryPart(o, rawQuery, k), decodeQueryPart(o, rawQuery, v)]);
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
  return { method, path, rawQuery, rawQueryPairs, query, headers, body, isBase64Encoded: base64 !== undefined, sourceIp: '127.0.0.1' };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

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

/** Shape: SAM's apigateway/HttpApi.json, less the authorizer, client certificate and stage variables an API without them leaves out. */
export function apiGatewayHttp(o: Options, extraSampleHeaders: Pairs = []): APIGatewayProxyEventV2 {
  const apiId = o.ids.chars('api-id', 10, LOWER_ALNUM);
  const req = httpRequest(o, [...v2SampleHeaders(o, executeApiDomain(apiId, o.region)), ...extraSampleHeaders]);
  const routeKey = o.given('route') ?? `${req.method} ${req.path}`;
  const route = /^(ANY|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (\/\S*)$/.exec(routeKey);
  if (routeKey !== '$default' && !route) throw o.invalid('route', routeKey, 'not "METHOD /path" nor $default', 'give one like "GET /orders/{id}"');
  return httpApiEvent(req, {
    routeKey,
    stage: o.name('stage', /^(\$default|[A-Za-z0-9_-]{1,128})$/, 'stage name'),
    accountId: o.account(),
    apiId,
    region: o.region,
    requestId: apiGatewayId(o.ids.bytes('request-id', 11)),
    time: o.time,
    pathParameters: route ? pathParameters(o, 'route', route[2], req.path) : null,
  });
}

/**
 * Shape: the Lambda Developer Guide's "Invoking Lambda function URLs" (request payload) and a
 * recorded one (aws-powertools tests/events/lambdaFunctionUrlEvent.json): auth type NONE, so no
 * authorizer and accountId "anonymous"; routeKey and stage "$default".
 */
export function functionUrl(o: Options): LambdaFunctionURLEvent {
  const urlId = o.given('url-id') ?? o.ids.chars('url-id', 32, LOWER_ALNUM);
  if (!/^[a-z0-9]{1,63}$/.test(urlId)) throw o.invalid('url-id', urlId, 'not a URL id (lower-case letters and digits)', 'leave it out, or give one like abcdefghij0123456789klmnopqrstuv');
  const req = httpRequest(o, v2SampleHeaders(o, functionUrlDomain(urlId, o.region)));
  return functionUrlEvent(req, { urlId, region: o.region, requestId: o.ids.uuid('request-id'), time: o.time });
}

/**
 * Shape: SAM's apigateway/AwsProxy.json and the API Gateway Developer Guide's "Input format of a
 * Lambda function for proxy integration" (payload 1.0), with the domainName, domainPrefix and
 * extendedRequestId API Gateway now adds to requestContext (recorded in aws-powertools
 * tests/events/apiGatewayProxyEvent.json). Single-value fields keep the last value.
 */
export function apiGatewayRest(o: Options): RestApiEvent {
  const apiId = o.ids.chars('api-id', 10, LOWER_ALNUM);
  const req = httpRequest(o, [
    ['Accept', '*/*'],
    ['Host', executeApiDomain(apiId, o.region)],
    ['User-Agent', SAMPLE_USER_AGENT],
    ['X-Amzn-Trace-Id', traceId(o)],
    ['X-Forwarded-For', '127.0.0.1'],
    ['X-Forwarded-Port', '443'],
    ['X-Forwarded-Proto', 'https'],
  ]);
  const resource = o.string('resource');
  const stage = o.name('stage', /^[A-Za-z0-9_-]{1,128}$/, 'stage name');
  return restApiEvent(req, {
    resource,
    pathParameters: pathParameters(o, 'resource', resource, req.path),
    accountId: o.account(),
    apiId,
    region: o.region,
    stage,
    resourceId: o.ids.chars('resource-id', 6, LOWER_ALNUM),
    requestId: o.ids.uuid('request-id'),
    extendedRequestId: apiGatewayId(o.ids.bytes('extended-request-id', 11)),
    time: o.time,
  });
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
export function alb(o: Options): ALBEvent {
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

/** The method's ARN of an event's request: arn:aws:execute-api:<region>:<account>:<api-id>/<stage>/<METHOD>/<path>. */
function executeApiArnOf(o: Options, apiId: string, stage: string, method: string, requestPath: string): string {
  return o.arn('execute-api', `${apiId}/${stage}/${method}/${requestPath.replace(/^\//, '')}`);
}

/** Shape: the API Gateway Developer Guide's TOKEN input, "Input to an API Gateway Lambda authorizer" (SAM's apigateway/ApiGatewayAuthorizer.json). */
export function apiGatewayTokenAuthorizer(o: Options): APIGatewayTokenAuthorizerEvent {
  const method = o.string('method').toUpperCase();
  if (!METHODS.includes(method)) throw o.invalid('method', o.string('method'), 'not an HTTP method', `use one of ${METHODS.join(', ')}`);
  const requestPath = o.string('path');
  if (!requestPath.startsWith('/') || requestPath.includes('?')) throw o.invalid('path', requestPath, 'not a path', 'give one like /orders/7');
  const stage = o.name('stage', /^[A-Za-z0-9_-]{1,128}$/, 'stage name');
  return tokenAuthorizerEvent(o.string('token'), executeApiArnOf(o, o.ids.chars('api-id', 10, LOWER_ALNUM), stage, method, requestPath));
}

/**
 * Shape: SAM's apigateway/ApiGatewayRestRequestAuthorizer.json (the Developer Guide's REQUEST
 * sample) with the request context and multi-value maps the integration gets, as recorded in
 * aws-powertools tests/events/apiGatewayAuthorizerRequestEvent.json: apigateway-rest's event without
 * its body, with type and methodArn.
 */
export function apiGatewayRequestAuthorizer(o: Options): Record<string, unknown> {
  const event = apiGatewayRest(o);
  return requestAuthorizerEvent('rest-api', event, executeApiArnOf(o, event.requestContext.apiId, event.requestContext.stage, event.httpMethod, event.path), []);
}

/**
 * Shape: the Developer Guide's payload 2.0 sample, "Control access to HTTP APIs with AWS Lambda
 * authorizers" (recorded in aws-powertools tests/events/apiGatewayAuthorizerV2Event.json), less the
 * client certificate: apigateway-http's event without its body, with type, routeArn and the values of
 * the identity sources. The sample request carries `authorization: allow` for the default source.
 */
export function apiGatewayHttpAuthorizer(o: Options): Record<string, unknown> {
  const event = apiGatewayHttp(o, [['authorization', 'allow']]);
  const values = o.list('identity-source').map(expression => {
    const source = identitySource(expression);
    if (!source || source.from === 'stage') throw o.invalid('identity-source', expression, 'not a request header, query string or context variable', 'give one like $request.header.Authorization');
    const value = source.from === 'header' ? event.headers[source.name.toLowerCase()]
      : source.from === 'query' ? event.queryStringParameters?.[source.name]
        : source.name.split('.').reduce<any>((at, key) => at?.[key], event.requestContext);
    if (value === undefined) {
      throw o.invalid('identity-source', expression, 'not in the request (API Gateway would answer 401 without calling the authorizer)', 'give it, e.g. --header "Authorization: allow" or --query');
    }
    return String(value);
  });
  const { http } = event.requestContext;
  return requestAuthorizerEvent('http-api', event, executeApiArnOf(o, event.requestContext.apiId, event.requestContext.stage, http.method, http.path), values);
}
