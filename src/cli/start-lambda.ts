/**
 * `cdk-lambda-container start-lambda`: Lambda's Invoke API on 127.0.0.1 for the app's
 * container-image functions, so `aws lambda invoke --endpoint-url` and AWS SDK clients call them
 * locally. Each function's image is built on its first invocation and runs under the RIE; warm
 * containers are reused, and concurrent requests get more containers, up to a limit per function.
 * Answers and errors have Lambda's shapes (status, `x-amzn-ErrorType`, `X-Amz-Function-Error`).
 */
import * as http from 'http';
import { AddressInfo } from 'net';
import { findFunction, ImageFunction } from './cloud-assembly';
import { CliError } from './errors';
import {
  checkRequest, functionErrorOf, InvalidRequestContentError, InvocationType, InvokeOptions, RequestEntityTooLargeError, RunningFunction,
  runtimeFailure, startImageFunction,
} from './invoke';

/** What starts a function's container (the RIE under the engine; tests give a fake). */
export type FunctionStarter = (fn: ImageFunction, options: InvokeOptions) => Promise<RunningFunction>;

export interface LocalLambdaOptions extends InvokeOptions {
  /** Port on 127.0.0.1; 0 picks a free one. @default 3001 */
  readonly port?: number;
  /** Containers per function at most; more concurrent requests wait for one. @default 4 */
  readonly maxContainersPerFunction?: number;
  /** Environment values per function (`--env-vars`), resolved by the caller. */
  readonly environmentFor?: (fn: ImageFunction) => Record<string, string>;
  /** Progress and container logs. @default - nothing */
  readonly log?: (line: string) => void;
  readonly starter?: FunctionStarter;
}

/** A running container, the invocations it answered and how much of its log was shown. */
interface Container {
  readonly running: RunningFunction;
  invocations: number;
  logShown: number;
}

/** The containers of one function: idle ones are reused, new ones start up to the limit. */
class ContainerPool {
  private readonly idle: Container[] = [];
  private readonly all: Container[] = [];
  private starting = 0;
  private readonly waiting: Array<(container: Container) => void> = [];
  private built = false;

  constructor(
    private readonly fn: ImageFunction,
    private readonly limit: number,
    private readonly start: (build: boolean) => Promise<RunningFunction>,
  ) {}

  public async acquire(): Promise<Container> {
    const idle = this.idle.pop();
    if (idle) return idle;
    if (this.all.length + this.starting < this.limit) {
      this.starting++;
      try {
        // The image is built once, by the first container; the others start from it.
        const build = !this.built;
        this.built = true;
        const container = { running: await this.start(build), invocations: 0, logShown: 0 };
        this.all.push(container);
        return container;
      } finally {
        this.starting--;
      }
    }
    return new Promise(resolve => this.waiting.push(resolve));
  }

  public release(container: Container): void {
    const next = this.waiting.shift();
    if (next) next(container);
    else this.idle.push(container);
  }

  /** A container whose runtime died is stopped, not reused. */
  public discard(container: Container): void {
    container.running.stop();
    this.all.splice(this.all.indexOf(container), 1);
  }

  public get size(): number {
    return this.all.length;
  }

  public stopAll(): void {
    for (const container of this.all.splice(0)) container.running.stop();
    this.idle.length = 0;
  }

  public get name(): string {
    return this.fn.path;
  }
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
  private readonly pools = new Map<string, ContainerPool>();
  private server?: http.Server;
  private readonly starter: FunctionStarter;

  constructor(private readonly assemblyDir: string, private readonly options: LocalLambdaOptions = {}) {
    this.starter = options.starter ?? ((fn, o) => startImageFunction(assemblyDir, fn, o));
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
    for (const pool of this.pools.values()) pool.stopAll();
    this.pools.clear();
    const server = this.server;
    if (server) await new Promise<void>(resolve => server.close(() => resolve()));
  }

  /** Containers running per function (construct path). */
  public containers(): Record<string, number> {
    return Object.fromEntries([...this.pools.values()].map(p => [p.name, p.size]));
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
    const pool = this.poolFor(functionNameOf(match[1]));
    if (invocationType === 'DryRun') {
      res.writeHead(204, { 'X-Amz-Executed-Version': '$LATEST' }).end();
      return;
    }
    checkRequest(body, invocationType as InvocationType);
    if (invocationType === 'Event') {
      // Lambda queues the event and answers at once; the invocation runs after.
      res.writeHead(202, { 'X-Amz-Executed-Version': '$LATEST' }).end();
      this.invoke(pool, body, 'Event').catch(e => this.options.log?.(`${pool.name}: asynchronous invocation failed: ${(e as Error).message}`));
      return;
    }
    const tail = String(req.headers['x-amz-log-type'] ?? '') === 'Tail';
    const answer = await this.invoke(pool, body, 'RequestResponse', tail);
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'X-Amz-Executed-Version': '$LATEST' };
    if (answer.functionError) headers['X-Amz-Function-Error'] = answer.functionError;
    if (tail) headers['X-Amz-Log-Result'] = Buffer.from((answer.logs ?? '').slice(-4096)).toString('base64');
    res.writeHead(200, headers).end(answer.payload);
  }

  private poolFor(name: string): ContainerPool {
    let fn: ImageFunction;
    try {
      fn = findFunction(this.assemblyDir, name);
    } catch (e) {
      throw new ApiError(404, 'ResourceNotFoundException', `Function not found: ${name} (${(e as Error).message})`);
    }
    let pool = this.pools.get(fn.path);
    if (!pool) {
      const environment = this.options.environmentFor?.(fn) ?? {};
      pool = new ContainerPool(fn, this.options.maxContainersPerFunction ?? 4, build => {
        this.options.log?.(`${fn.path}: starting a container${build && this.options.build !== false ? ' (building its image first)' : ''}`);
        return this.starter(fn, { ...this.options, build: build && this.options.build !== false, environment });
      });
      this.pools.set(fn.path, pool);
    }
    return pool;
  }

  /**
   * One invocation on a container of the pool. The container's log is read only when it is needed
   * for the answer (a dead runtime, `LogType: Tail`); otherwise it is shown after the answer.
   */
  private async invoke(
    pool: ContainerPool, event: Buffer, invocationType: InvocationType, tail = false,
  ): Promise<{ payload: string; functionError?: string; logs?: string }> {
    const container = await pool.acquire();
    let reusable = true;
    try {
      const invocation = await container.running.invoke(event, invocationType);
      container.invocations++;
      if (invocation.body === '' && invocationType === 'RequestResponse') {
        // The runtime died: Lambda's error object, and a new container next time.
        reusable = false;
        const logs = await this.newLogs(pool, container);
        const failure = runtimeFailure(logs) ?? { errorType: 'Runtime.ExitError', errorMessage: 'the runtime exited without an answer' };
        return { payload: JSON.stringify(failure), functionError: 'Unhandled', logs };
      }
      const logs = tail ? await this.newLogs(pool, container) : undefined;
      if (!tail && this.options.log) void this.newLogs(pool, container);
      return { payload: invocation.body, functionError: functionErrorOf(invocation), logs };
    } catch (e) {
      reusable = false;
      throw e;
    } finally {
      if (reusable) pool.release(container);
      else pool.discard(container);
    }
  }

  /** Shows (through `log`) what the container logged since last shown; returns the log of its latest invocation. */
  private async newLogs(pool: ContainerPool, container: Container): Promise<string> {
    const all = await container.running.logs(container.invocations);
    const fresh = all.slice(container.logShown);
    container.logShown = all.length;
    if (fresh.trim()) this.options.log?.(fresh.trimEnd().split('\n').map(l => `${pool.name}: ${l}`).join('\n'));
    return invocationLog(all, container.invocations);
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

/** The part of a container's log written by its `n`th invocation: after the REPORT line of the one before. */
export function invocationLog(log: string, n: number): string {
  const reports = [...log.matchAll(/^REPORT RequestId:.*$\n?/gm)];
  const previous = n >= 2 ? reports[n - 2] : undefined;
  return previous ? log.slice(previous.index! + previous[0].length) : log;
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
