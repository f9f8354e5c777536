/**
 * One function's container under the Runtime Interface Emulator: built (unless `build: false`),
 * created with the function's ImageConfig, environment, memory (the container's memory limit) and
 * timeout, labelled as this process's and registered before it exists (containers.ts removes it on
 * every exit path), its output followed line by line (logs.ts), and answering invocations until
 * stopped. Values reach the engine in a 0600 env file removed right after `create` (or its own
 * environment), never its command line. `invokeFunction` is the one-shot API the e2e suite uses.
 * With `reload` the image is the one built without its code layer and the code directory's entries
 * are mounted (reload-plan.ts); with `debug` a debugger listens in it (debug.ts).
 */
import { ChildProcess } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { ImageFunction, findFunction } from './assembly';
import { OWNED, ownerLabels } from './containers';
import { credentialVariables, CredentialVariables } from './credentials';
import { debugContainer, DebugTarget, DEBUG_TIMEOUT_SECONDS, debugpyDirectory, debugpyDockerfile } from './debug';
import { engineRun, engineSpawn, findEngine } from './engine';
import { buildImage, localTag, reloadTag } from './image-build';
import { checkRequest, EmulatorAnswer, InvocationType, lambdaAnswer } from './lambda-semantics';
import { followLogs, LineLog, LogLine } from './logs';
import { cdkExcluder, codeMounts, MountPlan } from './reload-plan';
import { CliError } from '../errors';

export interface InvokeOptions {
  /** Passed to the function as AWS_ENDPOINT_URL (LocalStack, moto…). */
  readonly endpointUrl?: string;
  readonly engine?: string;
  /** Host path of an aws-lambda-rie binary to run (mounted into the container). */
  readonly rie?: string;
  /** Build the image first (default true). */
  readonly build?: boolean;
  /** Show the engine's build output on stderr (default false: the CLI shows it, the API stays quiet). */
  readonly buildProgress?: boolean;
  /** Environment values that replace the template's (`--env-vars`), for variables it declares. */
  readonly environment?: Record<string, string>;
  readonly region?: string;
  /** Seconds to wait for the emulator to listen. */
  readonly startTimeoutSeconds?: number;
  /**
   * How the container is reached: `publish` maps the emulator's port to 127.0.0.1 (works with
   * VM-backed engines: Docker Desktop, Finch, podman machine), `host` shares the host's network
   * (Linux engines only). @default 'publish'
   */
  readonly network?: ContainerNetwork;
  /**
   * The function's AWS credentials: the SDK's default chain (placeholders when none resolve), or
   * none. A fixed set (tests, benchmarks) is taken as given. @default 'chain'
   */
  readonly credentials?: 'chain' | 'none' | CredentialVariables;
  /** Each line of the container's output as it comes (stdout and stderr, whole lines). @default - kept only */
  readonly onLog?: (line: LogLine) => void;
  /** Where a warning goes (each one said once per process). @default - nowhere */
  readonly warn?: (message: string) => void;
  /** `--reload`: run the image built without its code layer, the code directory's entries mounted read-only. */
  readonly reload?: MountPlan;
  /** `--debug-port`: a debugger in this function's container. */
  readonly debug?: DebugTarget;
}

export type ContainerNetwork = 'publish' | 'host';

/** How a container on its own network reaches the host's 127.0.0.1: podman's slirp4netns, or Docker's host gateway. */
export interface HostAccess {
  /** `create` arguments that give the container its network and the way back to the host. */
  readonly createArgs: readonly string[];
  /** The host's loopback, as the container sees it. */
  readonly hostAlias: string;
}

/**
 * The network of a published container, per engine: podman gets slirp4netns with the host's
 * loopback at 10.0.2.2 (no bridge, no iptables rules left behind); Docker and Finch their default
 * network and `host.docker.internal` through the host gateway, as SAM does.
 */
export function hostAccess(engine: string): HostAccess {
  return path.basename(engine).includes('podman')
    ? { createArgs: ['--network', 'slirp4netns:allow_host_loopback=true'], hostAlias: '10.0.2.2' }
    : { createArgs: ['--add-host', 'host.docker.internal:host-gateway'], hostAlias: 'host.docker.internal' };
}

/** An endpoint URL on the host's loopback (`127.0.0.1`, `localhost`, `[::1]`) as a container on its own network reaches it. */
export function endpointForContainer(url: string, hostAlias: string): string {
  return url.replace(/^(\w+:\/\/)(127\.0\.0\.1|localhost|\[::1\])(?=[:/]|$)/, `$1${hostAlias}`);
}


export interface InvokeResult {
  readonly statusCode: number;
  /** Lambda's payload: the function's answer, or Lambda's error object when its runtime failed. */
  readonly body: string;
  /** The invocation's log: the function's output, the emulator's lines (init, extensions), START … REPORT. */
  readonly logs: string;
  /** Container start (after it was created) to the first response, in milliseconds. */
  readonly coldStartMs: number;
  /** Creating the container (the storage driver's copy of the image), in milliseconds. */
  readonly createMs: number;
  /** Lambda's `X-Amz-Function-Error` (the handler failed, timed out, or the runtime died). */
  readonly functionError?: string;
}

/** One response of a running function, as the emulator gave it. */
export interface Invocation extends EmulatorAnswer {
  readonly statusCode: number;
  /** Request sent to response read, in milliseconds. */
  readonly roundTripMs: number;
  /** When the response was read, from `performance.now()`. */
  readonly receivedAt: number;
  /** This invocation's lines of the container's output, up to its REPORT line (waited for at most 3 s). */
  lines(): Promise<LogLine[]>;
}

/** A function's container running under the RIE, answering invocations until stopped. */
export interface RunningFunction {
  /** The container's name in the engine. */
  readonly container?: string;
  /** Creating the container, in milliseconds. */
  readonly createMs: number;
  /** When the container was started (after it was created), from `performance.now()`. */
  readonly startedAt: number;
  invoke(event: Buffer, invocationType?: InvocationType, clientContext?: string): Promise<Invocation>;
  /** Removes the container (idempotent). */
  stop(): Promise<void>;
}

/** The environment the function sees: Lambda's variables, the template's, and the options'. */
export function containerEnvironment(
  fn: ImageFunction,
  options: Pick<InvokeOptions, 'region' | 'environment' | 'endpointUrl'>,
  hostEnv: NodeJS.ProcessEnv = process.env,
): { env: Record<string, string>; skipped: string[] } {
  const region = options.region ?? hostEnv.AWS_REGION ?? hostEnv.AWS_DEFAULT_REGION ?? 'us-east-1';
  const env: Record<string, string> = {
    AWS_LAMBDA_FUNCTION_NAME: fn.logicalId,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize ?? 128),
    AWS_LAMBDA_FUNCTION_TIMEOUT: String(fn.timeout ?? 3),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.logicalId}`,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
  };
  const skipped: string[] = [];
  for (const [key, value] of Object.entries(fn.environment)) {
    if (options.environment?.[key] !== undefined) {
      env[key] = options.environment[key];
    } else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      env[key] = String(value);
    } else {
      skipped.push(key); // a CloudFormation expression (Ref, GetAtt…): only known after deployment
    }
  }
  if (options.endpointUrl) {
    env.AWS_ENDPOINT_URL = options.endpointUrl;
  }
  return { env, skipped };
}

/** What the RIE runs: ImageConfig overrides first, then the image's own ENTRYPOINT and CMD. */
export function processArgv(fn: ImageFunction, image: { Entrypoint?: string[] | null; Cmd?: string[] | null }): string[] {
  const entrypoint = fn.imageConfig.EntryPoint ?? image.Entrypoint ?? [];
  const cmd = fn.imageConfig.Command ?? (fn.imageConfig.EntryPoint ? [] : image.Cmd ?? []);
  const argv = [...entrypoint, ...cmd];
  if (argv.length === 0) {
    throw new Error(`${fn.path}: the image has no ENTRYPOINT or CMD and the function sets none: nothing to run`);
  }
  return argv;
}

/** Finds an aws-lambda-rie binary on the host: option, CDK_LAMBDA_CONTAINER_RIE, then PATH. */
export function findRie(explicit?: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = [explicit, env.CDK_LAMBDA_CONTAINER_RIE, ...(env.PATH ?? '').split(path.delimiter).map(d => path.join(d, 'aws-lambda-rie'))];
  return candidates.find(c => c && fs.existsSync(c));
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

const warned = new Set<string>();
const EXCLUDER = cdkExcluder();

/**
 * The images' configurations (ENTRYPOINT, CMD, Env), by engine and tag: asked once per process,
 * since a tag names one asset hash (`cdkasset-<hash>[-reload]`); a build of the tag asks again.
 * (`image inspect` is about 80 ms of every container start `--reload` makes after a save.)
 */
const IMAGE_CONFIGS = new Map<string, { Entrypoint?: string[] | null; Cmd?: string[] | null; Env?: string[] }>();

async function imageConfig(engine: string, image: string, fn: ImageFunction, noBuild: boolean) {
  const key = `${engine} ${image}`;
  let config = IMAGE_CONFIGS.get(key);
  if (!config) {
    const inspected = await engineSpawn(engine, ['image', 'inspect', '--format', '{{json .Config}}', image]);
    if (inspected.status !== 0) {
      throw new CliError(`${fn.path}: its image ${image} is not in ${engine}'s storage${noBuild ? ': drop --no-build, or run `cdk-lambda-container build ' + fn.path + '` first' : ''} (${inspected.error?.message ?? inspected.stderr.trim()})`);
    }
    config = JSON.parse(inspected.stdout.trim() || '{}') as { Entrypoint?: string[] | null; Cmd?: string[] | null; Env?: string[] };
    IMAGE_CONFIGS.set(key, config);
  }
  return config;
}

/** Throwaway debug images, by the image they extend: built once per process. */
const debugImages = new Map<string, Promise<string>>();

/** The local image plus debugpy (see debug.ts): a new tag, the function's own image untouched. */
function debugpyImage(engine: string, image: string, platform: string | undefined): Promise<string> {
  let built = debugImages.get(image);
  if (!built) {
    built = (async () => {
      const context = fs.mkdtempSync(path.join(os.tmpdir(), 'clc-debugpy-image-'));
      try {
        fs.cpSync(await debugpyDirectory(), path.join(context, 'debugpy'), { recursive: true });
        fs.writeFileSync(path.join(context, 'Dockerfile'), debugpyDockerfile(image));
        const tag = `${image}-debugpy`;
        await engineRun(engine, ['build', '--quiet', ...(platform ? ['--platform', platform] : []), '--tag', tag, '.'], { cwd: context });
        return tag;
      } finally {
        fs.rmSync(context, { recursive: true, force: true });
      }
    })();
    built.catch(() => debugImages.delete(image));
    debugImages.set(image, built);
  }
  return built;
}

function warnOnce(warn: ((message: string) => void) | undefined, message: string): void {
  if (warn && !warned.has(message)) {
    warned.add(message);
    warn(message);
  }
}

/** The container stopped, or never answered: why, and what to do. */
export class ContainerStartError extends CliError {
  constructor(fn: ImageFunction, why: string, rieMounted: boolean) {
    const noRie = !rieMounted && /aws-lambda-rie/.test(why);
    super(noRie
      ? `${fn.path}: the image has no /usr/local/bin/aws-lambda-rie (AWS's base images have it; other images need one): pass --rie <path to aws-lambda-rie> or set CDK_LAMBDA_CONTAINER_RIE (${why})`
      : `${fn.path}: ${why}`);
    this.name = 'ContainerStartError';
  }
}

/**
 * Waits until the emulator answers HTTP on the port. An open port is not enough: a published
 * port accepts connections before anything listens inside the container (and then resets them).
 */
async function waitForEmulator(port: number, timeoutMs: number, exited: () => Promise<string | undefined>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let nextAliveCheck = Date.now() + 500;
  while (Date.now() < deadline) {
    const answered = await new Promise<boolean>(resolve => {
      const req = http.get({ host: '127.0.0.1', port, path: '/', timeout: 1000 }, res => { res.resume(); resolve(true); });
      req.once('error', () => resolve(false));
      req.once('timeout', () => { req.destroy(); resolve(false); });
    });
    if (answered) return;
    // Asking the engine costs a process: twice a second is enough to notice an early exit.
    if (Date.now() >= nextAliveCheck) {
      const why = await exited();
      if (why !== undefined) throw new Error(`the container exited before the emulator listened${why ? `: ${why}` : ''}`);
      nextAliveCheck = Date.now() + 500;
    }
    await new Promise(r => setTimeout(r, 5));
  }
  throw new Error(`the emulator did not listen on 127.0.0.1:${port} within ${timeoutMs / 1000} s`);
}

/**
 * The env file `create` reads (mode 0600 in a 0700 directory), and the variables that cannot be
 * written in one (a newline in the value): those go by name, their values in the engine's own
 * environment. Either way no value is on a command line (`ps`) or in an error message.
 */
export function envFile(env: Record<string, string>): { args: string[]; engineEnv: Record<string, string>; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clc-env-'));
  const file = path.join(dir, 'env');
  const inFile = Object.entries(env).filter(([, v]) => !/[\r\n]/.test(v));
  const byName = Object.entries(env).filter(([, v]) => /[\r\n]/.test(v));
  fs.writeFileSync(file, inFile.map(([k, v]) => `${k}=${v}\n`).join(''), { mode: 0o600 });
  return {
    args: ['--env-file', file, ...byName.flatMap(([k]) => ['--env', k])],
    engineEnv: Object.fromEntries(byName),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** Invokes a function of a cloud assembly once under the RIE. */
export async function invokeFunction(
  assemblyDir: string, functionName: string, event: Buffer, options: InvokeOptions & { invocationType?: InvocationType } = {},
): Promise<InvokeResult> {
  const invocationType = options.invocationType ?? 'RequestResponse';
  const payload = checkRequest(event, invocationType);
  const running = await startFunction(assemblyDir, functionName, options);
  try {
    const invocation = await running.invoke(payload, invocationType);
    const lines = await invocation.lines();
    const logs = lines.map(l => `${l.text}\n`).join('');
    const answer = invocationType === 'Event' ? { payload: '' } : await lambdaAnswer(invocation, async () => logs);
    return {
      statusCode: invocation.statusCode,
      body: answer.payload,
      logs,
      coldStartMs: invocation.receivedAt - running.startedAt,
      createMs: running.createMs,
      functionError: answer.functionError,
    };
  } finally {
    await running.stop();
  }
}

/**
 * Starts a function of a cloud assembly under the RIE (building its image first unless
 * `build: false`) and returns once the emulator listens; invocations after the first are warm.
 */
export async function startFunction(assemblyDir: string, functionName: string, options: InvokeOptions = {}): Promise<RunningFunction> {
  return startImageFunction(assemblyDir, findFunction(assemblyDir, functionName), options);
}

/** `startFunction` for a function already found in the assembly. */
export async function startImageFunction(assemblyDir: string, found: ImageFunction, options: InvokeOptions = {}): Promise<RunningFunction> {
  if (!found.asset) {
    throw new CliError(`${found.path} uses an existing image (${JSON.stringify(found.imageUri)}): pull it and run it under the RIE yourself; invoke builds from the assembly.`);
  }
  // A debugged function may sit at a breakpoint: Lambda's longest timeout, not its own.
  const fn: ImageFunction = options.debug ? { ...found, timeout: DEBUG_TIMEOUT_SECONDS } : found;
  const engine = options.engine ?? findEngine();
  const reload = options.reload;
  let image = reload ? reloadTag(fn.asset!) : localTag(fn.asset!);
  if (options.build !== false) {
    IMAGE_CONFIGS.delete(`${engine} ${image}`);
    await buildImage(fn, {
      engine,
      quiet: !options.buildProgress,
      variant: reload && { tag: image, dockerfile: reload.dockerfile, what: 'without its code layer (--reload)' },
    });
  }
  const config = await imageConfig(engine, image, fn, options.build === false);
  if (options.debug?.language === 'python') image = await debugpyImage(engine, image, fn.asset!.platform);
  const argv = processArgv(fn, config);
  const published = (options.network ?? 'publish') === 'publish';
  const access = published ? hostAccess(engine) : undefined;
  const endpointUrl = options.endpointUrl && access ? endpointForContainer(options.endpointUrl, access.hostAlias) : options.endpointUrl;
  const debug = options.debug && debugContainer(options.debug, config.Env ?? [], !published);
  const { env } = containerEnvironment(fn, { ...options, endpointUrl });
  Object.assign(env, debug?.env);
  const credentials = typeof options.credentials === 'object' ? options.credentials : await credentialVariables({
    none: options.credentials === 'none',
    onFallback: why => warnOnce(options.warn, `warning: no AWS credentials resolved (${why}): the functions get placeholder keys (defaultkey/defaultsecret), as SAM gives them; --no-credentials passes none`),
  });
  const apiPort = await freePort();
  // On its own network the emulator listens on every interface of the container, published on the
  // host's 127.0.0.1 only; on the host's network, on the host's loopback.
  const [emulatorAddress, runtimeAddress] = published ? ['0.0.0.0:8080', '127.0.0.1:9001'] : [`127.0.0.1:${apiPort}`, `127.0.0.1:${await freePort()}`];
  const rie = findRie(options.rie);
  const rieInContainer = rie ? '/aws-lambda/aws-lambda-rie' : '/usr/local/bin/aws-lambda-rie';
  const name = `clc-invoke-${crypto.randomBytes(6).toString('hex')}`;
  const values = envFile({ ...env, ...credentials });
  const createArgs = [
    'create', '--name', name,
    ...ownerLabels(assemblyDir),
    ...(access ? [...access.createArgs, '--publish', `127.0.0.1:${apiPort}:8080`] : ['--network', 'host']),
    ...(rie ? ['--volume', `${path.resolve(rie)}:${rieInContainer}:ro`] : []),
    ...(reload ? codeMounts(reload, EXCLUDER) : []),
    ...(debug?.publish ?? []),
    ...(fn.imageConfig.WorkingDirectory ? ['--workdir', fn.imageConfig.WorkingDirectory] : []),
    // Lambda gives the function this much memory, no more (SAM: mem_limit).
    '--memory', `${fn.memorySize ?? 128}m`,
    ...values.args,
    '--entrypoint', rieInContainer,
    image,
    '--runtime-interface-emulator-address', emulatorAddress,
    '--runtime-api-address', runtimeAddress,
    ...argv,
  ];
  let follower: ChildProcess | undefined;
  // The follower would notice the container's end only on its next poll (about half a second).
  const stop = () => OWNED.remove(name).finally(() => follower?.kill());
  const created = performance.now();
  try {
    await OWNED.create(engine, name, () => engineRun(engine, createArgs, { env: values.engineEnv }));
  } catch (e) {
    await stop();
    throw new ContainerStartError(fn, (e as Error).message, rie !== undefined);
  } finally {
    values.remove();
  }
  const startedAt = performance.now();
  const log = new LineLog(options.onLog);
  try {
    await engineRun(engine, ['start', name]);
    follower = followLogs(engine, name, log);
    const exited = async () => {
      const state = (await engineSpawn(engine, ['inspect', '--format', '{{.State.Running}} {{.State.Error}}', name])).stdout.trim();
      return state.startsWith('true') ? undefined : state.replace(/^\S+\s*/, '');
    };
    await waitForEmulator(apiPort, (options.startTimeoutSeconds ?? 30) * 1000, exited);
  } catch (e) {
    await stop();
    const output = log.since(0).map(l => l.text).join('\n').slice(-1000);
    throw new ContainerStartError(fn, `${(e as Error).message}${output ? `\n${output}` : ''}`, rie !== undefined);
  }
  // Longer than the function may run: the emulator answers a timeout itself; past this it is gone.
  const answerWithinMs = ((fn.timeout ?? 3) + 30) * 1000;
  let invocations = 0;
  return {
    container: name,
    createMs: startedAt - created,
    startedAt,
    async invoke(event, invocationType = 'RequestResponse', clientContext) {
      const payload = checkRequest(event, invocationType);
      const mark = log.mark();
      const sent = performance.now();
      const response = await fetch(`http://127.0.0.1:${apiPort}/2015-03-31/functions/function/invocations`, {
        method: 'POST',
        body: payload,
        headers: {
          'content-type': 'application/json',
          'X-Amz-Invocation-Type': invocationType,
          ...(clientContext ? { 'X-Amz-Client-Context': clientContext } : {}),
        },
        signal: AbortSignal.timeout(answerWithinMs),
      });
      const body = await response.text();
      const receivedAt = performance.now();
      const n = ++invocations;
      const lines = () => log.invocation(n, mark, 3000);
      const timing = { roundTripMs: receivedAt - sent, receivedAt, lines };
      const functionError = response.headers.get('x-amz-function-error') ?? undefined;
      return invocationType === 'Event' ? { statusCode: 202, body: '', ...timing } : { statusCode: response.status, body, functionError, ...timing };
    },
    stop,
  };
}
