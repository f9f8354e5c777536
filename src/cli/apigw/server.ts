/**
 * `cdk-lambda-container start-api`: the app's API Gateway HTTP APIs, REST APIs and function URLs
 * served on 127.0.0.1, one port each, in front of the functions' containers: API Gateway's
 * routing, the event of the route's payload format, the response mapped back, and API Gateway's
 * own answers (404, 413, 502 for a malformed answer or a function error, 504 at the timeout).
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { Authorizers, Granted } from './authorize';
import { isPreflight, preflightResponse, withCorsHeaders } from './cors';
import { headerValue } from './headers';
import { KeySets } from './jwt';
import { ACCOUNT, localApiId, requestEvent } from './payloads';
import { gatewayError, HttpResponse, httpResponse } from './responses';
import { Api, ApiRoute, MockResponse, PayloadFormat, matchRoute, readApis, RouteMatch } from './routes';
import { LIMITS } from '../../private/limits';
import { findFunction, ImageFunction, readImageFunctions } from '../local/assembly';
import { credentialVariables } from '../local/credentials';
import { FunctionPools, FunctionPoolsOptions } from '../local/function-pool';
import { BodyTooLargeError, close, listen, readBody } from '../local/http';

/** When the assembly was last written: its manifest's modification time and size (a synth rewrites it). */
function assemblyStamp(assemblyDir: string): string {
  try {
    const stat = fs.statSync(path.join(assemblyDir, 'manifest.json'));
    return `${stat.mtimeMs} ${stat.size}`;
  } catch {
    return 'none';
  }
}

/** The APIs and image functions of the assembly, read once, with the stamp of the manifest they were read at. */
function readAssembly(assemblyDir: string): { stamp: string; apis: Api[]; functions: ImageFunction[] } {
  const stamp = assemblyStamp(assemblyDir);
  const functions = readImageFunctions(assemblyDir);
  return { stamp, apis: readApis(assemblyDir, functions), functions };
}

function sameApi(a: Api, b: Api): boolean {
  return a.kind === b.kind && a.stack === b.stack && a.logicalId === b.logicalId;
}

/** API Gateway's payload limit (requests over it never reach the function). */
export const API_PAYLOAD_MAX_BYTES = 10 * 1024 * 1024;

export interface LocalApiOptions extends FunctionPoolsOptions {
  /** Port of the first API on 127.0.0.1; the next ones get the following ports. 0: free ports. @default 3000 */
  readonly port?: number;
  /**
   * JWKS documents (files or http(s) URLs) the JWT and Cognito authorizers check signatures with.
   * @default - each issuer's keys, from its OIDC discovery document (as API Gateway gets them)
   */
  readonly jwks?: readonly string[];
}

/** An API being served. */
export interface ServedApi {
  readonly api: Api;
  readonly url: string;
}

export class LocalApiServer {
  private readonly pools: FunctionPools;
  private readonly servers: http.Server[] = [];
  /** The APIs and image functions as last read, and the assembly's manifest stamp they were read at. */
  private read?: { stamp: string; apis: Api[]; functions: ImageFunction[] };

  private readonly authorizers: Authorizers;

  constructor(private readonly assemblyDir: string, private readonly options: LocalApiOptions = {}) {
    this.pools = new FunctionPools(assemblyDir, options);
    this.authorizers = new Authorizers({
      // Authorizer functions run in the same pool as the integrations.
      invoke: (functionPath, event, timeoutSeconds) => this.invokeWithin(functionPath, event, timeoutSeconds),
      keys: new KeySets(options.jwks),
      secretFor: async accessKeyId => {
        // The credentials the functions get (--no-credentials: none, so no signature can be checked).
        const credentials = typeof options.credentials === 'object' ? options.credentials : await credentialVariables({ none: options.credentials === 'none' });
        return credentials.AWS_ACCESS_KEY_ID === accessKeyId ? credentials.AWS_SECRET_ACCESS_KEY : undefined;
      },
      log: options.log,
    });
  }

  /**
   * Starts serving every API of the assembly that has routes to a container-image function. When
   * one port cannot be had, the servers already listening are closed and the error says which port.
   */
  public async start(): Promise<ServedApi[]> {
    this.read = readAssembly(this.assemblyDir);
    const apis = this.read.apis.filter(api => api.routes.length > 0);
    const served: ServedApi[] = [];
    try {
      for (const [i, api] of apis.entries()) {
        const server = http.createServer((req, res) => { void this.serve(api, req, res); });
        this.servers.push(server);
        const port = this.options.port === 0 ? 0 : (this.options.port ?? 3000) + i;
        served.push({ api, url: `http://127.0.0.1:${await listen(server, port, `start-api (${api.kind} ${api.stack}/${api.logicalId})`)}` });
      }
    } catch (e) {
      await this.stop();
      throw e;
    }
    return served;
  }

  public async stop(): Promise<void> {
    await Promise.all([this.pools.stopAll(), ...this.servers.splice(0).map(close)]);
  }

  /**
   * One request, answered whatever happens: a failure of ours or the function's is API Gateway's
   * 502, an answer that cannot be written (see `write`) too; nothing escapes as an unhandled rejection.
   */
  private async serve(api: Api, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let response: HttpResponse;
    try {
      response = await this.handle(api, req);
    } catch (e) {
      if (e instanceof BodyTooLargeError) {
        response = gatewayError(api, 413);
        res.setHeader('connection', 'close'); // do not read the rest of a body refused
      } else {
        this.options.log?.(`${api.logicalId}: ${(e as Error).message}`);
        response = gatewayError(api, 502);
      }
    }
    try {
      write(res, response);
    } catch (e) {
      this.options.log?.(`${api.logicalId}: the function's answer cannot be sent as HTTP (${(e as Error).message}): 502`);
      if (!res.headersSent) {
        for (const name of res.getHeaderNames()) res.removeHeader(name);
        write(res, gatewayError(api, 502));
      } else {
        res.destroy();
      }
    }
  }

  /** `--reload`: these functions' code changed (see FunctionPools.recycle). */
  public recycle(functions: readonly string[]): void {
    this.pools.recycle(functions);
  }

  /** Containers running per function. */
  public containers(): Record<string, number> {
    return this.pools.containers();
  }

  /**
   * The API as the assembly has it now: after a synth (`--watch`, `--reload`, or your own
   * `cdk synth`) its routes are read again, so a route added, changed or removed is served as the
   * new templates say; undefined when the API is gone. (A new API needs a port: restart.)
   */
  private currentApi(api: Api): Api | undefined {
    if (this.read?.stamp !== assemblyStamp(this.assemblyDir)) {
      let read: NonNullable<LocalApiServer['read']>;
      try {
        read = readAssembly(this.assemblyDir);
      } catch (e) {
        // An assembly being written (a synth of your own meanwhile): the routes as last read.
        this.options.log?.(`start-api: the assembly cannot be read (${(e as Error).message}): the routes as last read`);
        return this.read?.apis.find(a => sameApi(a, api)) ?? api;
      }
      const before = this.read ? this.read.apis : undefined;
      this.read = read;
      this.authorizers.flush();
      for (const now of read.apis) {
        const was = (before ?? []).find(a => sameApi(a, now));
        if (before && was && JSON.stringify(was.routes) !== JSON.stringify(now.routes)) {
          this.options.log?.(`${now.logicalId}: its routes changed in the assembly: ${now.routes.length} route(s) now`);
        }
      }
    }
    return this.read.apis.find(a => sameApi(a, api));
  }

  private async handle(served: Api, req: http.IncomingMessage): Promise<HttpResponse> {
    const body = await readBody(req, API_PAYLOAD_MAX_BYTES);
    await this.options.settled?.();
    const api = this.currentApi(served);
    if (!api) return gatewayError(served, 404);
    const url = req.url ?? '/';
    const method = req.method ?? 'GET';
    const sent: Array<[string, string]> = [];
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) sent.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
    let match: ReturnType<typeof matchRoute>;
    try {
      match = matchRoute(api.routes, method, url.split('?')[0]);
    } catch (e) {
      if (e instanceof URIError) return gatewayError(api, 400); // a malformed %-encoding in a path parameter
      throw e;
    }
    // An HTTP API with CORS answers a preflight no route takes (an OPTIONS, ANY or $default route takes it, authorizer included).
    if (!match && api.cors && isPreflight(method, sent)) return { ...preflightResponse(api.cors, sent), body: Buffer.alloc(0) };
    const response = match ? await this.answer(api, match, method, url, sent, body, req) : gatewayError(api, 404);
    return api.cors ? { ...response, headers: withCorsHeaders(api.cors, sent, response.headers) } : response;
  }

  /** The route's answer: API Gateway's own when it refuses the request, else the mock's or the function's. */
  private async answer(
    api: Api, match: RouteMatch, method: string, url: string, sent: Array<[string, string]>, body: Buffer, req: http.IncomingMessage,
  ): Promise<HttpResponse> {
    const route = match.route;
    const sourceIp = req.socket.remoteAddress ?? '127.0.0.1';
    const request = { method, url, headers: withForwardingHeaders(sent, sourceIp, req.socket.localPort ?? 0), body, sourceIp };
    const region = this.options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
    const now = new Date();
    // The request's event in a payload format: the integration's, and the base of a REQUEST authorizer's (made once each).
    const events = new Map<PayloadFormat, any>();
    const eventOf = (format: PayloadFormat) => {
      if (!events.has(format)) events.set(format, requestEvent(api, { ...route, payloadFormat: format }, match.pathParameters, request, now, region));
      return events.get(format);
    };
    const [requestPath, rawQuery = ''] = url.split('?');
    const decision = await this.authorizers.authorize({
      api,
      authorization: route.authorization,
      headers: sent,
      query: [...new URLSearchParams(rawQuery).entries()],
      method,
      path: requestPath,
      body,
      region,
      accountId: ACCOUNT,
      apiId: localApiId(api),
      eventOf,
      now,
    });
    if (!decision.allowed) return decision.response;
    if (route.mock) return mockAnswer(route.mock, sent);
    const event = Buffer.from(JSON.stringify(granted(eventOf(route.payloadFormat), decision)));
    // Lambda's 6 MB counts the event as sent: a binary body after base64.
    if (event.length > LIMITS.payloadSyncMaxBytes) return gatewayError(api, 413);
    return this.invoke(api, route, event);
  }

  private async invoke(api: Api, route: ApiRoute, event: Buffer): Promise<HttpResponse> {
    const answer = await this.invokeWithin(route.functionPath!, event, api.timeoutSeconds);
    if (answer === 'timeout') return gatewayError(api, 504);
    return httpResponse(api, route, answer.payload, answer.functionError);
  }

  /**
   * A function's answer, or 'timeout' after `seconds` (API Gateway's integration timeout; an
   * authorizer gets no longer). A debugged function may sit at a breakpoint: no timeout (said at start).
   */
  private async invokeWithin(functionPath: string, event: Buffer, seconds: number) {
    // The function as the assembly read with the routes has it (currentApi keeps that read current).
    const fn = this.read?.functions.find(f => f.path === functionPath) ?? findFunction(this.assemblyDir, functionPath);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>(resolve => {
      if (!this.options.debugTargets?.has(fn.path)) timer = setTimeout(() => resolve('timeout'), seconds * 1000);
    });
    try {
      return await Promise.race([this.pools.invoke(fn, event, 'RequestResponse'), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The integration's event with what the authorizer granted: requestContext.authorizer, and an IAM caller's access key. */
function granted(event: any, decision: Granted): any {
  if (decision.authorizer) event.requestContext.authorizer = decision.authorizer;
  if (decision.accessKey && event.requestContext.identity) event.requestContext.identity.accessKey = decision.accessKey;
  return event;
}

/** A MOCK integration's answer (CDK's CORS preflight): its headers, and Access-Control-Allow-Origin set to the request's Origin when the response template allows it. */
function mockAnswer(mock: MockResponse, sent: ReadonlyArray<readonly [string, string]>): HttpResponse {
  const origin = headerValue(sent, 'origin');
  const headers = origin !== undefined && mock.echoOrigins.includes(origin)
    ? [...mock.headers.filter(([n]) => n.toLowerCase() !== 'access-control-allow-origin'), ['Access-Control-Allow-Origin', origin] as const]
    : mock.headers;
  return { statusCode: mock.statusCode, headers: [['content-type', 'application/json'], ...headers], body: Buffer.alloc(0) };
}

/**
 * A request's headers as API Gateway and function URLs pass them on: the client's address
 * appended to `X-Forwarded-For`, the port and protocol it came on (here: the local port, http)
 * set by the gateway, and an X-Ray `X-Amzn-Trace-Id` when the client sent none.
 */
export function withForwardingHeaders(headers: ReadonlyArray<readonly [string, string]>, sourceIp: string, port: number): Array<[string, string]> {
  const named = (name: string) => headers.filter(([k]) => k.toLowerCase() === name).map(([, v]) => v);
  const own = headers.filter(([k]) => !['x-forwarded-for', 'x-forwarded-port', 'x-forwarded-proto'].includes(k.toLowerCase())) as Array<[string, string]>;
  const result: Array<[string, string]> = [
    ...own,
    ['X-Forwarded-For', [...named('x-forwarded-for'), sourceIp].join(', ')],
    ['X-Forwarded-Port', String(port)],
    ['X-Forwarded-Proto', 'http'],
  ];
  if (named('x-amzn-trace-id').length === 0) {
    result.push(['X-Amzn-Trace-Id', `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${crypto.randomBytes(12).toString('hex')}`]);
  }
  return result;
}

/** Writes a response; its headers were checked by `httpResponse`, and Node checks them again (throws). */
function write(res: http.ServerResponse, response: HttpResponse): void {
  res.statusCode = response.statusCode;
  // One name in any case is one header: values of `Set-Cookie` and `set-cookie` are all kept.
  const grouped = new Map<string, string[]>();
  for (const [k, v] of response.headers) grouped.set(k.toLowerCase(), [...(grouped.get(k.toLowerCase()) ?? []), v]);
  for (const [k, vs] of grouped) res.setHeader(k, vs.length === 1 ? vs[0] : vs);
  res.end(response.body);
}
