/**
 * The container engine the user has: `CDK_DOCKER` (as cdk-assets honours it), else the first of
 * docker, finch, podman that answers. Errors say how to get one.
 */
import { spawnSync, SpawnSyncOptions } from 'child_process';

const CANDIDATES = ['docker', 'finch', 'podman'];

export function findEngine(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CDK_DOCKER) {
    return env.CDK_DOCKER;
  }
  for (const candidate of CANDIDATES) {
    const probe = spawnSync(candidate, ['version'], { stdio: 'ignore', timeout: 20_000, env });
    if (probe.status === 0) {
      return candidate;
    }
  }
  throw new Error('no container engine found: tried docker, finch and podman (none is installed, or none answers `version`). Install Docker, Finch or Podman, or set CDK_DOCKER to the engine\'s command.');
}

/**
 * Runs the engine and returns what it printed (never throws). The environment is passed
 * explicitly: where `process.env` is a copy (test runners' sandboxes), spawn's default would
 * miss variables set on it, such as CONTAINERS_* or DOCKER_HOST.
 */
export function engineSpawn(engine: string, args: string[], options: SpawnSyncOptions = {}) {
  return spawnSync(engine, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: process.env, ...options });
}

/** Runs the engine; throws with its stderr when it fails. */
export function engineRun(engine: string, args: string[], options: SpawnSyncOptions = {}): string {
  const result = engineSpawn(engine, args, options);
  if (result.error) {
    throw new Error(`${engine} ${args[0]}: ${result.error.message}`);
  }
  if (result.status !== 0) {
    throw new Error(`${engine} ${args.join(' ')} failed (exit ${result.status}): ${String(result.stderr ?? '').trim().slice(-2000)}`);
  }
  return String(result.stdout ?? '');
}
