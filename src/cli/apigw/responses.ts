/**
 * API Gateway's answers: its own errors (404, 413, 502, 504 with their `message` bodies) and the
 * HTTP response a function's answer becomes (payload 1.0 or 2.0 rules).
 */
import * as http from 'http';
import { Api, ApiRoute } from './routes';

/** A response to write. */
export interface HttpResponse {
  readonly statusCode: number;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: Buffer;
}

/** API Gateway's own answers (its `message` bodies), per kind of front door. */
export function gatewayError(api: Pick<Api, 'kind'>, status: 400 | 404 | 413 | 502 | 504): HttpResponse {
  const messages: Record<number, string> = {
    400: 'Bad Request',
    404: 'Not Found',
    413: 'Request Entity Too Large',
    502: api.kind === 'rest-api' ? 'Internal server error' : 'Internal Server Error',
    504: 'Endpoint request timed out',
  };
  return gatewayAnswer(status, messages[status], status === 502 ? 'InternalServerErrorException' : status === 400 ? 'BadRequestException' : 'GatewayError');
}

/** An answer of the gateway's own: `{"message": …}` as JSON, its x-amzn-errortype, and any further headers. */
export function gatewayAnswer(
  status: number, message: string | null, errorType: string, headers: ReadonlyArray<readonly [string, string]> = [],
): HttpResponse {
  return {
    statusCode: status,
    headers: [['content-type', 'application/json'], ['x-amzn-errortype', errorType], ...headers],
    body: Buffer.from(JSON.stringify({ message })),
  };
}

/**
 * The HTTP response an answer becomes. Payload 2.0 infers one from anything that is not an object
 * with `statusCode` (200, the JSON as body); payload 1.0 must answer `{statusCode, headers?,
 * multiValueHeaders?, body?, isBase64Encoded?}`, else API Gateway answers 502. A function error
 * is a 502 too.
 */
export function httpResponse(api: Api, route: ApiRoute, payload: string, functionError: string | undefined): HttpResponse {
  if (functionError) return gatewayError(api, 502);
  let answer: unknown;
  try {
    answer = JSON.parse(payload);
  } catch {
    return gatewayError(api, 502);
  }
  const isObject = typeof answer === 'object' && answer !== null && !Array.isArray(answer);
  const structured = isObject && 'statusCode' in (answer as object);
  if (!structured) {
    if (route.payloadFormat === '1.0') return gatewayError(api, 502);
    const body = typeof answer === 'string' ? answer : JSON.stringify(answer);
    return { statusCode: 200, headers: [['content-type', 'application/json']], body: Buffer.from(body) };
  }
  const a = answer as Record<string, unknown>;
  const status = Number(a.statusCode);
  // 1xx are not final answers (HTTP/1.1 would leave the client waiting): a malformed answer.
  if (!Number.isInteger(status) || status < 200 || status > 599) return gatewayError(api, 502);
  if (a.body !== undefined && a.body !== null && typeof a.body !== 'string') {
    if (route.payloadFormat === '1.0') return gatewayError(api, 502);
  }
  const headers: Array<[string, string]> = [];
  for (const [k, v] of Object.entries((a.headers as Record<string, unknown>) ?? {})) headers.push([k, String(v)]);
  // multiValueHeaders belong to payload 1.0; a 2.0 answer has none (API Gateway ignores them).
  if (route.payloadFormat === '1.0') {
    for (const [k, vs] of Object.entries((a.multiValueHeaders as Record<string, unknown[]>) ?? {})) {
      for (const v of Array.isArray(vs) ? vs : [vs]) {
        const known = headers.some(([hk, hv]) => hk.toLowerCase() === k.toLowerCase() && hv === String(v));
        if (!known) headers.push([k, String(v)]);
      }
    }
  }
  if (route.payloadFormat === '2.0') for (const cookie of (a.cookies as unknown[]) ?? []) headers.push(['set-cookie', String(cookie)]);
  // A header HTTP cannot carry (a name with a space, CR/LF or a character past Latin-1 in a value)
  // is a malformed answer: API Gateway's 502, never a crashed server.
  if (headers.some(([k, v]) => !validHeader(k, v))) return gatewayError(api, 502);
  // The framing is the gateway's: the function's Content-Length or Transfer-Encoding would truncate
  // the body or leave the client waiting.
  const framed = headers.filter(([k]) => !HOP_BY_HOP.includes(k.toLowerCase()));
  const raw = a.body === undefined || a.body === null ? '' : typeof a.body === 'string' ? a.body : JSON.stringify(a.body);
  const body = a.isBase64Encoded === true ? Buffer.from(raw, 'base64') : Buffer.from(raw);
  return { statusCode: status, headers: framed, body };
}

/** Headers the gateway sets itself, whatever the function answers. */
const HOP_BY_HOP = ['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade'];

/** Whether Node (and HTTP) can send this header as it is. */
function validHeader(name: string, value: string): boolean {
  try {
    http.validateHeaderName(name);
    http.validateHeaderValue(name, value);
    return true;
  } catch {
    return false;
  }
}
