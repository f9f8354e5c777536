/**
 * The local Invoke API behind `start-lambda`: Lambda's `POST /2015-03-31/functions/<name>/invocations`
 * on 127.0.0.1 for the app's container-image functions, so `aws lambda invoke --endpoint-url` and
 * AWS SDK clients call them locally. Names as Lambda takes them (name, `name:qualifier`, ARN, partial
 * ARN; only `$LATEST` runs), its checks (payload, invocation type, client context) and its answers
 * (status, `x-amzn-ErrorType`, `X-Amz-Function-Error`, `X-Amz-Log-Result`).
 */
import * as http from 'http';
import { findFunction, ImageFunction } from './assembly';
import { FunctionPools, FunctionPoolsOptions } from './function-pool';
import { BodyTooLargeError, close, listen, readBody } from './http';
import { checkClientContext, checkRequest, InvocationType, LambdaRequestError } from './lambda-semantics';
import { logResult } from './logs';
import { LIMITS } from '../../private/limits';
import { CliError } from '../errors';

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

/** A FunctionName and its qualifier, as Lambda reads them. */
export interface FunctionReference {
  readonly name: string;
  readonly qualifier?: string;
}

/**
 * What a FunctionName names (Lambda's forms: `my-function`, `my-function:v1`, the ARN
 * `arn:aws:lambda:us-west-2:123456789012:function:my-function[:v1]`, the partial ARN
 * `123456789012:function:my-function[:v1]`); the name may be a logical ID, a construct path
 * (URL-encoded) or its last part. A malformed percent-encoding is Lambda's 400, not a crash.
 */
export function functionNameOf(raw: string, queryQualifier?: string): FunctionReference {
  let name: string;
  try {
    name = decodeURIComponent(raw);
  } catch {
    throw new ApiError(400, 'InvalidParameterValueException', `FunctionName ${raw} is not valid URL encoding`);
  }
  const arn = /^(?:arn:aws[a-z-]*:lambda:[^:]*:)?\d{12}:function:([^:]+)(?::([^:]+))?$/.exec(name);
  const short = /^([^:]+):([^:]+)$/.exec(name);
  const [fn, qualifier] = arn ? [arn[1], arn[2]] : short ? [short[1], short[2]] : [name, undefined];
  if (qualifier && queryQualifier && qualifier !== queryQualifier) {
    throw new ApiError(400, 'InvalidParameterValueException', `The derived qualifier from the function name (${qualifier}) does not match the specified qualifier (${queryQualifier})`);
  }
  return { name: fn, qualifier: qualifier ?? queryQualifier };
}

export class LocalLambdaServer {
  private readonly pools: FunctionPools;
  private server?: http.Server;

  constructor(private readonly assemblyDir: string, private readonly options: LocalLambdaOptions = {}) {
    this.pools = new FunctionPools(assemblyDir, options);
  }

  /** Listens on 127.0.0.1; resolves to the endpoint URL. A busy port is a UsageError naming --port. */
  public async start(): Promise<string> {
    const server = http.createServer((req, res) => {
      this.handle(req, res).catch(e => this.sendError(res, e));
    });
    this.server = server;
    const port = await listen(server, this.options.port ?? 3001, 'start-lambda');
    return `http://127.0.0.1:${port}`;
  }

  /** Stops listening and removes every container. */
  public async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    await Promise.all([this.pools.stopAll(), server ? close(server) : undefined]);
  }

  /** `--reload`: these functions' code changed (see FunctionPools.recycle). */
  public recycle(functions: readonly string[]): void {
    this.pools.recycle(functions);
  }

  /** Containers running per function (construct path). */
  public containers(): Record<string, number> {
    return this.pools.containers();
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const [pathname, query] = (req.url ?? '').split('?');
    const match = INVOKE_PATH.exec(pathname);
    if (req.method !== 'POST' || !match) {
      throw new ApiError(404, 'UnknownOperationException', `${req.method} ${req.url}: this endpoint serves Lambda's Invoke API only (POST /2015-03-31/functions/<name>/invocations)`);
    }
    const invocationType = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse');
    if (!['RequestResponse', 'Event', 'DryRun'].includes(invocationType)) {
      throw new ApiError(400, 'InvalidParameterValueException', `X-Amz-Invocation-Type must be RequestResponse, Event or DryRun, not ${invocationType}`);
    }
    const body = await readBody(req, invocationType === 'Event' ? LIMITS.payloadAsyncMaxBytes : LIMITS.payloadSyncMaxBytes);
    await this.options.settled?.();
    const fn = this.functionNamed(functionNameOf(match[1], new URLSearchParams(query ?? '').get('Qualifier') ?? undefined));
    const clientContext = req.headers['x-amz-client-context'] as string | undefined;
    checkClientContext(clientContext);
    if (invocationType === 'DryRun') {
      res.writeHead(204, { 'X-Amz-Executed-Version': '$LATEST' }).end();
      return;
    }
    const payload = checkRequest(body, invocationType as InvocationType);
    if (invocationType === 'Event') {
      // Lambda queues the event and answers at once; the invocation runs after.
      res.writeHead(202, { 'X-Amz-Executed-Version': '$LATEST' }).end();
      this.pools.invoke(fn, payload, 'Event', false, clientContext).catch(e => this.options.log?.(`${fn.path}: asynchronous invocation failed: ${(e as Error).message}`));
      return;
    }
    const tail = String(req.headers['x-amz-log-type'] ?? '') === 'Tail';
    const answer = await this.pools.invoke(fn, payload, 'RequestResponse', tail, clientContext);
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'X-Amz-Executed-Version': '$LATEST' };
    if (answer.functionError) headers['X-Amz-Function-Error'] = answer.functionError;
    if (tail) headers['X-Amz-Log-Result'] = logResult(answer.logs ?? '');
    res.writeHead(200, headers).end(answer.payload);
  }

  private functionNamed(ref: FunctionReference): ImageFunction {
    let fn: ImageFunction;
    try {
      fn = findFunction(this.assemblyDir, ref.name);
    } catch (e) {
      throw new ApiError(404, 'ResourceNotFoundException', `Function not found: ${ref.name} (${(e as Error).message})`);
    }
    // Locally there is one version, the template's code: another version or alias is not served
    // (Lambda would run the one it names, perhaps older code), rather than silently answering with $LATEST.
    if (ref.qualifier !== undefined && ref.qualifier !== '$LATEST') {
      throw new ApiError(404, 'ResourceNotFoundException', `Function not found: ${ref.name}:${ref.qualifier} (locally only $LATEST runs, the template's code: call it without a qualifier or with $LATEST)`);
    }
    return fn;
  }

  private sendError(res: http.ServerResponse, e: unknown): void {
    const error = e instanceof ApiError ? e
      : e instanceof BodyTooLargeError ? new ApiError(413, 'RequestEntityTooLargeException', `Request must be smaller than ${e.limit} bytes for the InvokeFunction operation`)
        : e instanceof LambdaRequestError ? new ApiError(e.statusCode, e.errorType, e.reason)
          : new ApiError(500, 'ServiceException', `${e instanceof CliError ? '' : 'the local endpoint failed: '}${(e as Error).message}`);
    if (error.status >= 500) this.options.log?.(`start-lambda: ${error.message}`);
    if (res.headersSent) {
      res.end();
      return;
    }
    // A refused body may still be arriving: answer, then close the connection instead of reading it.
    const closing = e instanceof BodyTooLargeError ? { Connection: 'close' } : {};
    res.writeHead(error.status, { 'Content-Type': 'application/json', 'x-amzn-ErrorType': error.type, ...closing })
      .end(JSON.stringify({ Type: error.status < 500 ? 'User' : 'Service', message: error.message }));
  }
}
