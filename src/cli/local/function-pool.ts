/**
 * The containers of an app's functions, for the local endpoints (`start-lambda`, `start-api`):
 * a function's image is built by its first container, idle containers are reused warm, concurrent
 * invocations get more containers up to a limit per function, and a container whose runtime died
 * is replaced.
 */
import { ImageFunction } from './assembly';
import { containerEnvironment, functionErrorOf, InvocationType, InvokeOptions, RunningFunction, runtimeFailure, startImageFunction } from './container';

/** What starts a function's container (the RIE under the engine; tests give a fake). */
export type FunctionStarter = (fn: ImageFunction, options: InvokeOptions) => Promise<RunningFunction>;

export interface FunctionPoolsOptions extends InvokeOptions {
  /** Containers per function at most; more concurrent invocations wait for one. @default 4 */
  readonly maxContainersPerFunction?: number;
  /** Environment values per function (`--env-vars`), resolved by the caller. */
  readonly environmentFor?: (fn: ImageFunction) => Record<string, string>;
  /** Progress and container logs. @default - nothing */
  readonly log?: (line: string) => void;
  readonly starter?: FunctionStarter;
}

/** What an invocation answered, as Lambda would: the payload and `X-Amz-Function-Error`. */
export interface PoolAnswer {
  readonly payload: string;
  readonly functionError?: string;
  /** The invocation's log, when asked for. */
  readonly logs?: string;
}

/** A running container, the invocations it answered and how much of its log was shown. */
interface Container {
  readonly running: RunningFunction;
  invocations: number;
  logShown: number;
}

/** The containers of one function: idle ones are reused, new ones start up to the limit. */
/** What identifies a function's image: its asset hash (or the URI of an image not built here). */
function imageOf(fn: ImageFunction): string {
  return fn.asset?.hash ?? JSON.stringify(fn.imageUri);
}

class ContainerPool {
  private readonly idle: Container[] = [];
  private readonly all: Container[] = [];
  private starting = 0;
  private readonly waiting: Array<(container: Container) => void> = [];
  private built = false;

  /** The image the containers run (see `imageOf`). */
  public readonly image: string;

  constructor(
    private readonly fn: ImageFunction,
    private readonly limit: number,
    private readonly start: (build: boolean) => Promise<RunningFunction>,
  ) {
    this.image = imageOf(fn);
  }

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

export class FunctionPools {
  private readonly pools = new Map<string, ContainerPool>();
  private readonly starter: FunctionStarter;

  constructor(assemblyDir: string, private readonly options: FunctionPoolsOptions = {}) {
    this.starter = options.starter ?? ((fn, o) => startImageFunction(assemblyDir, fn, o));
  }

  /** Containers running per function (construct path). */
  public containers(): Record<string, number> {
    return Object.fromEntries([...this.pools.values()].map(p => [p.name, p.size]));
  }

  public stopAll(): void {
    for (const pool of this.pools.values()) pool.stopAll();
    this.pools.clear();
  }

  /** Invokes `fn` on one of its containers (started, and its image built, when needed). */
  public async invoke(fn: ImageFunction, event: Buffer, invocationType: InvocationType, tail = false): Promise<PoolAnswer> {
    return this.invokeOn(this.poolFor(fn), event, invocationType, tail);
  }

  /**
   * The function's pool for its image as the assembly has it now: when a new synth changed the
   * image (another asset hash), the old containers go and the next one builds the new image — the
   * engine's cache rebuilds only the layers that changed.
   */
  private poolFor(fn: ImageFunction): ContainerPool {
    let pool = this.pools.get(fn.path);
    if (pool && pool.image !== imageOf(fn)) {
      this.options.log?.(`${fn.path}: its image changed in the assembly (${pool.image.slice(0, 12)} -> ${imageOf(fn).slice(0, 12)}): new containers`);
      pool.stopAll();
      pool = undefined;
    }
    if (!pool) {
      const environment = this.options.environmentFor?.(fn) ?? {};
      for (const skipped of containerEnvironment(fn, { ...this.options, environment }).skipped) {
        this.options.log?.(`${fn.path}: warning: ${skipped} is ${JSON.stringify(fn.environment[skipped])}, known only after deployment: not set. Give it a value with --env-vars.`);
      }
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
  private async invokeOn(
    pool: ContainerPool, event: Buffer, invocationType: InvocationType, tail = false,
  ): Promise<PoolAnswer> {
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

}

/** The part of a container's log written by its `n`th invocation: after the REPORT line of the one before. */
export function invocationLog(log: string, n: number): string {
  const reports = [...log.matchAll(/^REPORT RequestId:.*$\n?/gm)];
  const previous = n >= 2 ? reports[n - 2] : undefined;
  return previous ? log.slice(previous.index! + previous[0].length) : log;
}

