/**
 * The containers of an app's functions, for the local endpoints (`start-lambda`, `start-api`):
 * a function's image is built by its first container, idle containers are reused warm, concurrent
 * invocations get more containers up to a limit per function and wait beyond it. A container that
 * fails (its runtime died, it was removed, it never started) is replaced, and every waiting
 * request is served or told why — none waits forever. Each container's output is shown line by
 * line, prefixed by its function.
 */
import { ImageFunction } from './assembly';
import { RunningFunction, containerEnvironment, InvokeOptions, startImageFunction } from './container';
import { DebugTarget } from './debug';
import { InvocationType, lambdaAnswer, LambdaAnswer } from './lambda-semantics';
import { functionLog } from './logs';
import { ReloadPlan } from './reload-plan';

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
  /** `--reload`: how each function is served now, by construct path (read per new pool: a synth may change it). */
  readonly reloadPlans?: () => ReadonlyMap<string, ReloadPlan>;
  /** Awaited before a request resolves its function (`--watch`, `--reload`: a synth in flight ends first). */
  readonly settled?: () => Promise<void>;
  /** `--debug-port`: the debugged functions by construct path; each runs one container at a time. */
  readonly debugTargets?: ReadonlyMap<string, DebugTarget>;
}

/** What an invocation answered, as Lambda would: the payload and `X-Amz-Function-Error`. */
export interface PoolAnswer extends LambdaAnswer {
  /** The invocation's log (the emulator's own lines left out), when asked for. */
  readonly logs?: string;
}

/** A waiting request: given a container, or told to start one (capacity freed), or refused. */
interface Waiter {
  readonly take: (container: RunningFunction | 'start') => void;
  readonly refuse: (e: Error) => void;
}

/** How long after a code change's last event a new container may start. */
const RECYCLE_QUIET_MS = 30;

/** What identifies a function's image: its asset hash (or the URI of an image not built here). */
function imageOf(fn: ImageFunction): string {
  return fn.asset?.hash ?? JSON.stringify(fn.imageUri);
}

/** The containers of one function: idle ones are reused, new ones start up to the limit. */
class ContainerPool {
  private readonly idle: RunningFunction[] = [];
  private readonly all = new Set<RunningFunction>();
  private starting = 0;
  private readonly waiting: Waiter[] = [];
  private built = false;
  private stopped = false;
  /** Bumped by `recycle`: containers of an older generation are not reused. */
  private generation = 0;
  private readonly generationOf = new Map<RunningFunction, number>();
  /** No container starts before this (`Date.now()`): the events of one save are awaited. */
  private quietUntil = 0;

  /** The image the containers run (see `imageOf`). */
  public readonly image: string;

  constructor(
    private readonly fn: ImageFunction,
    private readonly limit: number,
    private readonly start: (build: boolean) => Promise<RunningFunction>,
  ) {
    this.image = imageOf(fn);
  }

  public async acquire(): Promise<RunningFunction> {
    // A save is often several events (a temporary file, then a rename): a container is started once they are over.
    for (let wait = this.quietUntil - Date.now(); wait > 0; wait = this.quietUntil - Date.now()) {
      await new Promise(resolve => setTimeout(resolve, wait));
    }
    if (this.stopped) throw new Error(`${this.fn.path}: its containers are stopping`);
    const idle = this.idle.pop();
    if (idle) return idle;
    if (this.all.size + this.starting >= this.limit) {
      const next = await new Promise<RunningFunction | 'start'>((take, refuse) => this.waiting.push({ take, refuse }));
      if (next !== 'start') return next;
      return this.startOne(true);
    }
    return this.startOne(false);
  }

  public release(container: RunningFunction): void {
    if (this.stopped) {
      void container.stop();
      return;
    }
    if (this.generationOf.get(container) !== this.generation) {
      this.discard(container); // started before a recycle: it may hold the old code
      return;
    }
    const next = this.waiting.shift();
    if (next) next.take(container);
    else this.idle.push(container);
  }

  /** A container that failed is removed, and its place goes to the next waiting request. */
  public discard(container: RunningFunction): void {
    this.all.delete(container);
    this.generationOf.delete(container);
    void container.stop();
    this.wakeOne();
  }

  public get size(): number {
    return this.all.size;
  }

  /**
   * The code changed: idle containers are removed now, busy ones when their invocation ends, and
   * every request from now on gets a container started after the change (a fresh runtime, no old
   * module cache). No image is built. True for the first event of a save (the others follow
   * within the quiet time).
   */
  public recycle(): boolean {
    const first = Date.now() >= this.quietUntil;
    this.generation++;
    this.quietUntil = Date.now() + RECYCLE_QUIET_MS;
    for (const idle of this.idle.splice(0)) {
      this.all.delete(idle);
      this.generationOf.delete(idle);
      void idle.stop();
    }
    return first;
  }

  /** Removes every container; waiting requests are refused. */
  public async stopAll(): Promise<void> {
    this.stopped = true;
    for (const w of this.waiting.splice(0)) w.refuse(new Error(`${this.fn.path}: the local endpoint is stopping`));
    this.idle.length = 0;
    await Promise.all([...this.all].map(c => c.stop()));
    this.all.clear();
  }

  public get name(): string {
    return this.fn.path;
  }

  /** Starts a container; `reserved`: its place was already counted by `wakeOne`. */
  private async startOne(reserved: boolean): Promise<RunningFunction> {
    if (!reserved) this.starting++;
    // The image is built once, by the first container; the others start from it.
    const build = !this.built;
    this.built = true;
    const generation = this.generation;
    try {
      const container = await this.start(build);
      if (this.stopped) {
        await container.stop();
        throw new Error(`${this.fn.path}: the local endpoint is stopping`);
      }
      this.all.add(container);
      this.generationOf.set(container, generation);
      return container;
    } catch (e) {
      if (build) this.built = false; // the next container tries the build again
      throw e;
    } finally {
      this.starting--;
      // A failed start frees its place: the next waiting request tries one of its own.
      if (this.all.size + this.starting < this.limit) this.wakeOne();
    }
  }

  private wakeOne(): void {
    if (this.stopped) return;
    const next = this.waiting.shift();
    if (!next) return;
    const idle = this.idle.pop();
    if (!idle) this.starting++; // the place is the waiter's (see startOne)
    next.take(idle ?? 'start');
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

  /** `--reload`: the code of these functions (construct paths) changed; their next requests get new containers. */
  public recycle(functions: readonly string[]): void {
    for (const name of functions) {
      const pool = this.pools.get(name);
      if (!pool) continue;
      if (pool.recycle()) this.options.log?.(`${name}: its code changed: new containers from the next request (no build)`);
    }
  }

  public async stopAll(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map(p => p.stopAll()));
  }

  /**
   * Invokes `fn` on one of its containers (started, and its image built, when needed). A container
   * that refused the connection (removed or stopped while idle: the request never reached a runtime)
   * is replaced and the request sent once more, to a new container; any other failure is the answer.
   */
  public async invoke(fn: ImageFunction, event: Buffer, invocationType: InvocationType, tail = false, clientContext?: string): Promise<PoolAnswer> {
    try {
      return await this.invokeOnce(fn, event, invocationType, tail, clientContext);
    } catch (e) {
      if (!connectionRefused(e)) throw e;
      this.options.log?.(`${fn.path}: its container refused the connection (it is gone): the request goes to a new one`);
      return this.invokeOnce(fn, event, invocationType, tail, clientContext);
    }
  }

  private async invokeOnce(
    fn: ImageFunction, event: Buffer, invocationType: InvocationType, tail: boolean, clientContext?: string,
  ): Promise<PoolAnswer> {
    const pool = this.poolFor(fn);
    const container = await pool.acquire();
    let reusable = true;
    try {
      const invocation = await container.invoke(event, invocationType, clientContext);
      if (invocationType === 'Event') return { payload: '' };
      // The runtime died (the RIE answers nothing): Lambda's error object, and a new container next time.
      reusable = invocation.body !== '';
      const text = async () => (await invocation.lines()).map(l => `${l.text}\n`).join('');
      const answer = await lambdaAnswer(invocation, text);
      return { ...answer, logs: tail ? functionLog(await invocation.lines()) : undefined };
    } catch (e) {
      reusable = false;
      throw e;
    } finally {
      if (reusable) pool.release(container);
      else pool.discard(container);
    }
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
      void pool.stopAll();
      pool = undefined;
    }
    if (!pool) {
      const environment = this.options.environmentFor?.(fn) ?? {};
      for (const skipped of containerEnvironment(fn, { ...this.options, environment }).skipped) {
        this.options.log?.(deploymentOnlyWarning(fn, skipped));
      }
      const log = this.options.log;
      const plan = this.options.reloadPlans?.().get(fn.path);
      const reload = plan?.mode === 'mount' ? plan : undefined;
      const debug = this.options.debugTargets?.get(fn.path);
      // A debugger's port is fixed: one container at a time.
      const limit = debug ? 1 : this.options.maxContainersPerFunction ?? 4;
      pool = new ContainerPool(fn, limit, build => {
        log?.(`${fn.path}: starting a container${build && this.options.build !== false ? ` (building its image${reload ? ' without its code layer' : ''} first)` : ''}`);
        return this.starter(fn, {
          ...this.options,
          build: build && this.options.build !== false,
          reload,
          debug,
          environment,
          onLog: log ? line => log(`${fn.path}: ${line.text}`) : undefined,
        });
      });
      this.pools.set(fn.path, pool);
    }
    return pool;
  }
}

/** A fetch that failed because nothing listened (ECONNREFUSED): the request was never sent. */
function connectionRefused(e: unknown): boolean {
  const cause = (e as { cause?: { code?: string } } | undefined)?.cause;
  return e instanceof TypeError && cause?.code === 'ECONNREFUSED';
}

/** The warning for a variable whose value only a deployment knows (a Ref, a GetAtt…). */
export function deploymentOnlyWarning(fn: ImageFunction, variable: string): string {
  return `${fn.path}: warning: ${variable} is ${JSON.stringify(fn.environment[variable])}, known only after deployment: not set. Give it a value with --env-vars.`;
}
