/**
 * The container engine the user has: `CDK_DOCKER` (as cdk-assets honours it), else the first of
 * docker, finch, podman that answers. Every call is asynchronous (a build or a slow `create` never
 * blocks another request of a local endpoint), and an error names the engine, its subcommand, its
 * exit status and its stderr — never the rest of the command line, which may carry values.
 */
import { spawn, spawnSync } from 'child_process';

const CANDIDATES = ['docker', 'finch', 'podman'];
let found: string | undefined;

export function findEngine(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CDK_DOCKER) {
    return env.CDK_DOCKER;
  }
  // Probed once per process for the real environment (each probe is a process).
  if (env === process.env && found) return found;
  for (const candidate of CANDIDATES) {
    const probe = spawnSync(candidate, ['version'], { stdio: 'ignore', timeout: 20_000, env });
    if (probe.status === 0) {
      if (env === process.env) found = candidate;
      return candidate;
    }
  }
  throw new Error('no container engine found: tried docker, finch and podman (none is installed, or none answers `version`). Install Docker, Finch or Podman, or set CDK_DOCKER to the engine\'s command.');
}

export interface EngineOptions {
  readonly cwd?: string;
  /**
   * Variables added to the engine's environment (the engine reads `--env NAME` values from it).
   * The environment is passed explicitly: where `process.env` is a copy (test runners' sandboxes),
   * spawn's default would miss variables set on it, such as CONTAINERS_* or DOCKER_HOST.
   */
  readonly env?: Record<string, string>;
  /** Where the engine's output also goes as it comes (a build's progress). @default - kept only */
  readonly progress?: (chunk: string) => void;
}

export interface EngineResult {
  /** The exit status; null when the engine could not be started (`error` says why) or was killed. */
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly error?: Error;
}

/** Runs the engine; resolves with what it printed (never rejects). */
export function engineSpawn(engine: string, args: readonly string[], options: EngineOptions = {}): Promise<EngineResult> {
  return new Promise(resolve => {
    const child = spawn(engine, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => { out.push(c); options.progress?.(c.toString('utf8')); });
    child.stderr.on('data', (c: Buffer) => { err.push(c); options.progress?.(c.toString('utf8')); });
    let error: Error | undefined;
    child.once('error', e => { error = e; });
    child.once('close', status => resolve({
      status, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), error,
    }));
  });
}

/** The engine failed: `<engine> <subcommand> failed (exit N): <its stderr>`. */
export class EngineError extends Error {
  constructor(engine: string, subcommand: string, result: EngineResult) {
    super(result.error
      ? `${engine} ${subcommand}: ${result.error.message}`
      : `${engine} ${subcommand} failed (exit ${result.status}): ${result.stderr.trim().slice(-2000)}`);
    this.name = 'EngineError';
  }
}

/** Runs the engine; resolves to its stdout, rejects with an EngineError when it fails. */
export async function engineRun(engine: string, args: readonly string[], options: EngineOptions = {}): Promise<string> {
  const result = await engineSpawn(engine, args, options);
  if (result.error || result.status !== 0) throw new EngineError(engine, subcommandOf(args), result);
  return result.stdout;
}

/** `image inspect`, `create`, `rm`…: the words before the first option or value. */
function subcommandOf(args: readonly string[]): string {
  const words = [];
  for (const a of args) {
    if (a.startsWith('-') || words.length === 2) break;
    words.push(a);
  }
  return words.length === 2 && !['image', 'container', 'system'].includes(words[0]) ? words[0] : words.join(' ');
}
