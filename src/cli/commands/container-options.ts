/**
 * What every command that runs the functions' containers takes from its command line (`invoke`,
 * `start-lambda`, `start-api`), and what it does first: the engine, and the removal of containers
 * that earlier runs left behind when their process was killed.
 */
import { ImageFunction } from '../local/assembly';
import { ContainerNetwork, InvokeOptions } from '../local/container';
import { reapOrphans } from '../local/containers';
import { findEngine } from '../local/engine';
import { envOverrides, EnvVarsFile, readEnvVars } from '../local/env-vars';

/** The options of every command that runs the functions' containers. */
export interface ContainerCommandOptions {
  readonly app: string;
  readonly envVars?: string;
  readonly endpointUrl?: string;
  readonly region?: string;
  readonly rie?: string;
  readonly network: ContainerNetwork;
  readonly build: boolean;
  /** `--no-credentials` makes this false. */
  readonly credentials: boolean;
}

/** The container options of the command line, for `fn` (its `--env-vars` values). */
export function invokeOptions(
  o: ContainerCommandOptions, engine: string, warn: (message: string) => void, envVars: EnvVarsFile | undefined = readEnvVarsOption(o),
): InvokeOptions & { environmentFor: (fn: ImageFunction) => Record<string, string> } {
  return {
    engine,
    endpointUrl: o.endpointUrl,
    region: o.region,
    rie: o.rie,
    network: o.network,
    build: o.build,
    buildProgress: true,
    credentials: o.credentials ? 'chain' : 'none',
    warn,
    environmentFor: (fn: ImageFunction) => (envVars ? envOverrides(envVars, fn).set : {}),
  };
}

/** The `--env-vars` file, read and checked (a usage error when it is not SAM's format), or none. */
export function readEnvVarsOption(o: Pick<ContainerCommandOptions, 'envVars'>): EnvVarsFile | undefined {
  return o.envVars ? readEnvVars(o.envVars) : undefined;
}

/** The engine, once the containers of dead earlier runs (a `kill -9`, a crash) are removed. */
export async function prepareEngine(log: (line: string) => void): Promise<string> {
  const engine = findEngine();
  const reaped = await reapOrphans(engine).catch(() => []);
  if (reaped.length > 0) log(`cdk-lambda-container: removed ${reaped.length} container(s) left by an earlier run whose process is gone: ${reaped.join(', ')}`);
  return engine;
}
