/**
 * The containers this process owns, so that none outlives it: each carries labels (tool, owning
 * process, host, assembly) and is registered before it is created; `removeAll` waits for the
 * creates in flight, then removes every one (in parallel), and refuses new ones from then on.
 * `reapOrphans` removes the labelled containers of this host whose owning process is gone (what a
 * `kill -9` or a crash left behind), at the start of every command that runs containers.
 */
import * as os from 'os';
import * as path from 'path';
import { engineRun, engineSpawn } from './engine';
import { CliError } from '../errors';

/** The label every container of the tool carries; the others say who owns it. */
const LABEL = 'cdk-lambda-container';
export const LABELS = { pid: `${LABEL}.pid`, host: `${LABEL}.host`, assembly: `${LABEL}.assembly` } as const;

/** `create` arguments that label a container as this process's. */
export function ownerLabels(assemblyDir: string, pid = process.pid): string[] {
  return [
    '--label', `${LABEL}=local`,
    '--label', `${LABELS.pid}=${pid}`,
    '--label', `${LABELS.host}=${os.hostname()}`,
    '--label', `${LABELS.assembly}=${path.resolve(assemblyDir)}`,
  ];
}

/**
 * `rm` arguments that remove a container at once: Docker's and Finch's `rm --force` kill it;
 * podman's first sends SIGTERM and waits (10 s for a process that ignores it), so `--time 0`.
 */
export function removeArgs(engine: string, name: string): string[] {
  return path.basename(engine).includes('podman') ? ['rm', '--force', '--time', '0', name] : ['rm', '--force', name];
}

/** Shutting down: no container may start any more. */
export class ShuttingDownError extends CliError {
  constructor() {
    super('the local endpoint is shutting down: no new containers');
    this.name = 'ShuttingDownError';
  }
}

/** The containers of one process. */
export class OwnedContainers {
  private readonly names = new Map<string, string>();
  private readonly creating = new Set<Promise<unknown>>();
  private closing?: Promise<void>;

  /** How many containers exist or are being created. */
  public get size(): number {
    return this.names.size;
  }

  public get shuttingDown(): boolean {
    return this.closing !== undefined;
  }

  /**
   * Registers `name` before it is created, then runs `create`. Once shutdown has begun it refuses:
   * a container created after `removeAll` looked would be left behind.
   */
  public async create<T>(engine: string, name: string, create: () => Promise<T>): Promise<T> {
    if (this.closing) throw new ShuttingDownError();
    this.names.set(name, engine);
    const pending = create();
    const settled = pending.catch(() => undefined);
    this.creating.add(settled);
    try {
      return await pending;
    } finally {
      this.creating.delete(settled);
    }
  }

  /** Removes one container (idempotent). */
  public async remove(name: string): Promise<void> {
    const engine = this.names.get(name);
    if (!engine) return;
    await engineSpawn(engine, removeArgs(engine, name));
    this.names.delete(name);
  }

  /** Refuses new containers, waits for the creates in flight, removes every container. Safe to call again. */
  public removeAll(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all([...this.creating]);
      await Promise.all([...this.names.keys()].map(name => this.remove(name)));
    })();
    return this.closing;
  }
}

/** The containers of this process: the one registry every runner uses. */
export const OWNED = new OwnedContainers();

/** Whether a process of this host is alive (EPERM: alive, someone else's). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the tool's containers, on this host, whose owning process is gone; resolves to their
 * names. Another engine host's containers, and live processes' containers, are left alone.
 */
export async function reapOrphans(engine: string, alive: (pid: number) => boolean = processAlive): Promise<string[]> {
  const ids = (await engineRun(engine, ['ps', '--all', '--quiet', '--filter', `label=${LABELS.pid}`])).split('\n').map(s => s.trim()).filter(Boolean);
  if (ids.length === 0) return [];
  const format = `{{.Name}} {{index .Config.Labels "${LABELS.pid}"}} {{index .Config.Labels "${LABELS.host}"}}`;
  const result = await engineSpawn(engine, ['inspect', '--format', format, ...ids]);
  const orphans = result.stdout.split('\n').map(l => l.trim().split(' ')).filter(([name, pid, host]) => (
    name && host === os.hostname() && /^\d+$/.test(pid ?? '') && Number(pid) !== process.pid && !alive(Number(pid))
  )).map(([name]) => name.replace(/^\//, ''));
  await Promise.all(orphans.map(name => engineSpawn(engine, removeArgs(engine, name))));
  return orphans;
}
