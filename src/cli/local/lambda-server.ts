/**
 * `cdk-lambda-container start-lambda`: Lambda's Invoke API on 127.0.0.1 for the app's
 * container-image functions, so `aws lambda invoke --endpoint-url` and AWS SDK clients call them
 * locally. Each function's image is built on its first invocation and runs under the RIE; warm
 * containers are reused, and concurrent requests get more containers, up to a limit per function.
 * Answers and errors have Lambda's shapes (status, `x-amzn-ErrorType`, `X-Amz-Function-Error`).
 */
import * as http from 'http';
import { AddressInfo } from 'net';
import { findFunction, ImageFunction } from './assembly';
import { CliError } from '../errors';
import { FunctionPools, FunctionPoolsOptions } from './function-pool';
import { checkRequest, InvalidRequestContentError, InvocationType, RequestEntityTooLargeError } from './container';
import { readBody } from './http';

export interface LocalLambdaOptions extends FunctionPoolsOptions {
  /** Port on 127.0.0.1; 0 picks a free one. @default 3001 */
  readonly port?: number;
}

/** An error answer of the Invoke API, as Lambda shapes it. */
class ApiError extends Error {
  constructor(public readonly status: number, public readonly type: string, message: string) {
    super(message);
  }
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/** The function a FunctionName names: a logical ID, a construct path (URL-encoded), its last part, or an ARN with one of those. */
export function functionNameOf(raw: string): string {
  const name = decodeURIComponent(raw);
  const arn = /^arn:aws[a-z-]*:lambda:[^:]*:[^:]*:function:([^:]+)(:[^:]+)?$/.exec(name);
  return arn ? arn[1] : name;
}

export class LocalLambdaServer {
  private readonly pools: FunctionPools;
  private server?: http.Server;

  constructor(private readonly assemblyDir: string, private readonly options: LocalLambdaOptions = {}) {
    this.pools = new FunctionPools(assemblyDir, options);
  }

  /** Listens on 127.0.0.1; resolves to the endpoint URL. */
  public async start(): Promise<string> {
    const server = http.createServer((req, res) => {
      this.handle(req, res).catch(e => this.sendError(res, e));
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 3001, '127.0.0.1', () => resolve());
    });
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** Stops listening and removes every container. */
  public async stop(): Promise<void> {
    this.pools.stopAll();
    const server = this.server;
    if (server) await new Promise<void>(resolve => server.close(() => resolve()));
  }

  /** Containers running per function (construct path). */
  public containers(): Record<string, number> {
    return this.pools.containers();
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const match = INVOKE_PATH.exec((req.url ?? '').split('?')[0]);
    if (req.method !== 'POST' || !match) {
      throw new ApiError(404, 'UnknownOperationException', `${req.method} ${req.url}: this endpoint serves Lambda's Invoke API only (POST /2015-03-31/functions/<name>/invocations)`);
    }
    const body = await readBody(req);
    const invocationType = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse');
    if (!['RequestResponse', 'Event', 'DryRun'].includes(invocationType)) {
      throw new ApiError(400, 'InvalidParameterValueException', `X-Amz-Invocation-Type must be RequestResponse, Event or DryRun, not ${invocationType}`);
    }
    const fn = this.functionNamed(functionNameOf(match[1]));
    if (invocationType === 'DryRun') {
      res.writeHead(204, { 'X-Amz-Executed-Version': '$LATEST' }).end();
      return;
    }
    checkRequest(body, invocationType as InvocationType);
    if (invocationType === 'Event') {
      // Lambda queues the event and answers at once; the invocation runs after.
      res.writeHead(202, { 'X-Amz-Executed-Version': '$LATEST' }).end();
      this.pools.invoke(fn, body, 'Event').catch(e => this.options.log?.(`${fn.path}: asynchronous invocation failed: ${(e as Error).message}`));
      return;
    }
    const tail = String(req.headers['x-amz-log-type'] ?? '') === 'Tail';
    const answer = await this.pools.invoke(fn, body, 'RequestResponse', tail);
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'X-Amz-Executed-Version': '$LATEST' };
    if (answer.functionError) headers['X-Amz-Function-Error'] = answer.functionError;
    if (tail) headers['X-Amz-Log-Result'] = Buffer.from((answer.logs ?? '').slice(-4096)).toString('base64');
    res.writeHead(200, headers).end(answer.payload);
  }

  private functionNamed(name: string): ImageFunction {
    try {
      return findFunction(this.assemblyDir, name);
    } catch (e) {
      throw new ApiError(404, 'ResourceNotFoundException', `Function not found: ${name} (${(e as Error).message})`);
    }
  }

  private sendError(res: http.ServerResponse, e: unknown): void {
    const error = e instanceof ApiError ? e
      : e instanceof RequestEntityTooLargeError ? new ApiError(413, 'RequestEntityTooLargeException', e.message.replace(/^RequestEntityTooLargeException: /, ''))
        : e instanceof InvalidRequestContentError ? new ApiError(400, 'InvalidRequestContentException', e.message.replace(/^InvalidRequestContentException: /, ''))
          : new ApiError(500, 'ServiceException', `${e instanceof CliError ? '' : 'the local endpoint failed: '}${(e as Error).message}`);
    if (res.headersSent) {
      res.end();
      return;
    }
    res.writeHead(error.status, { 'Content-Type': 'application/json', 'x-amzn-ErrorType': error.type })
      .end(JSON.stringify({ Type: error.status < 500 ? 'User' : 'Service', message: error.message }));
  }
}
