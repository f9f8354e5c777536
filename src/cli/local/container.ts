/**
 * `cdk-lambda-container invoke <function> --event <file|->`: runs the function's image under the
 * Runtime Interface Emulator with the function's ImageConfig, environment, memory and timeout
 * from the template, posts one event, and returns the response and the logs (with RIE's REPORT).
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as path from 'path';
import { buildFunction, localTag } from './image-build';
import { findFunction, ImageFunction } from './assembly';
import { engineRun, engineSpawn, findEngine } from './engine';
import { CliError, EXIT_CODES } from '../errors';
import { LIMITS } from '../../private/limits';

export type InvocationType = 'RequestResponse' | 'Event';

export interface InvokeOptions {
  readonly invocationType?: InvocationType;
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
  readonly body: string;
  readonly logs: string;
  /** Container start (after it was created) to the first response, in milliseconds. */
  readonly coldStartMs: number;
  /** Creating the container (the storage driver's copy of the image), in milliseconds. */
  readonly createMs: number;
  /** Lambda's `X-Amz-Function-Error` (the handler failed, or the runtime never answered: `body` is then Lambda's error object). */
  readonly functionError?: string;
}

/** One response of a running function. */
export interface Invocation {
  readonly statusCode: number;
  readonly body: string;
  /** The emulator's `X-Amz-Function-Error`, when the handler failed. */
  readonly functionError?: string;
  /** Request sent to response read, in milliseconds. */
  readonly roundTripMs: number;
  /** When the response was read, from `performance.now()`. */
  readonly receivedAt: number;
}

/** A function's container running under the RIE, answering invocations until stopped. */
export interface RunningFunction {
  /** The container's name in the engine. */
  readonly container?: string;
  /** Creating the container, in milliseconds. */
  readonly createMs: number;
  /** When the container was started (after it was created), from `performance.now()`. */
  readonly startedAt: number;
  invoke(event: Buffer, invocationType?: InvocationType): Promise<Invocation>;
  /** The container's logs so far; waits (at most 3 s) for the REPORT line of `requests` invocations. */
  logs(requests?: number): Promise<string>;
  stop(): void;
}

/** Lambda's answer to a payload over its limit (the RIE itself silently truncates). */
export class RequestEntityTooLargeError extends CliError {
  public readonly errorType = 'RequestEntityTooLargeException';
  public readonly statusCode = 413;
  constructor(public readonly bytes: number, public readonly limit: number) {
    super(`RequestEntityTooLargeException: Request must be smaller than ${limit} bytes for the InvokeFunction operation (the event is ${bytes} bytes)`, EXIT_CODES.requestRefused);
  }
}

/** Lambda's answer to a payload that is not JSON: refused before the function runs (the RIE passes it on). */
export class InvalidRequestContentError extends CliError {
  public readonly errorType = 'InvalidRequestContentException';
  public readonly statusCode = 400;
  constructor(reason: string) {
    super(`InvalidRequestContentException: Could not parse request body into json: ${reason}`, EXIT_CODES.requestRefused);
  }
}

/** The payload limit Lambda applies to an invocation type. */
export function payloadLimit(invocationType: InvocationType): number {
  return invocationType === 'Event' ? LIMITS.payloadAsyncMaxBytes : LIMITS.payloadSyncMaxBytes;
}

export function checkPayload(bytes: number, invocationType: InvocationType): void {
  const limit = payloadLimit(invocationType);
  if (bytes > limit) {
    throw new RequestEntityTooLargeError(bytes, limit);
  }
}

/** What Lambda checks before it runs a function: the size, then that the payload is JSON (an empty one counts as none). */
export function checkRequest(event: Buffer, invocationType: InvocationType): void {
  checkPayload(event.length, invocationType);
  if (event.length === 0) return;
  try {
    JSON.parse(event.toString('utf8'));
  } catch (e) {
    throw new InvalidRequestContentError((e as Error).message);
  }
}

/** The environment the function sees: Lambda's variables, the template's, and the options'. */
export function containerEnvironment(
  fn: ImageFunction,
  options: InvokeOptions,
  hostEnv: NodeJS.ProcessEnv = process.env,
): { env: Record<string, string>; skipped: string[] } {
  const region = options.region ?? hostEnv.AWS_REGION ?? hostEnv.AWS_DEFAULT_REGION ?? 'us-east-1';
  const env: Record<string, string> = {
    AWS_LAMBDA_FUNCTION_NAME: fn.logicalId,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize ?? 128),
    AWS_LAMBDA_FUNCTION_TIMEOUT: String(fn.timeout ?? 3),
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
  };
  for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) {
    if (hostEnv[key]) env[key] = hostEnv[key]!;
  }
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

/**
 * Waits until the emulator answers HTTP on the port. An open port is not enough: a published
 * port accepts connections before anything listens inside the container (and then resets them).
 */
async function waitForEmulator(port: number, timeoutMs: number, isAlive: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let nextAliveCheck = Date.now() + 1000;
  while (Date.now() < deadline) {
    const answered = await new Promise<boolean>(resolve => {
      const req = http.get({ host: '127.0.0.1', port, path: '/', timeout: 1000 }, res => { res.resume(); resolve(true); });
      req.once('error', () => resolve(false));
      req.once('timeout', () => { req.destroy(); resolve(false); });
    });
    if (answered) return;
    // Asking the engine costs a process: once a second is enough to notice an early exit.
    if (Date.now() >= nextAliveCheck) {
      if (!isAlive()) throw new Error('the container exited before the emulator listened');
      nextAliveCheck = Date.now() + 1000;
    }
    await new Promise(r => setTimeout(r, 5));
  }
  throw new Error(`the emulator did not listen on 127.0.0.1:${port} within ${timeoutMs / 1000} s`);
}

/** Invokes a function of a cloud assembly once under the RIE. */
export async function invokeFunction(assemblyDir: string, functionName: string, event: Buffer, options: InvokeOptions = {}): Promise<InvokeResult> {
  const invocationType = options.invocationType ?? 'RequestResponse';
  checkRequest(event, invocationType);
  const running = await startFunction(assemblyDir, functionName, options);
  try {
    const invocation = await running.invoke(event, invocationType);
    const { statusCode, body, receivedAt } = invocation;
    const logs = await running.logs();
    const failure = invocationType === 'RequestResponse' && body === '' ? runtimeFailure(logs) : undefined;
    return {
      statusCode,
      body: failure ? JSON.stringify(failure) : body,
      logs,
      coldStartMs: receivedAt - running.startedAt,
      createMs: running.createMs,
      functionError: failure ? 'Unhandled' : functionErrorOf(invocation),
    };
  } finally {
    running.stop();
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
export async function startImageFunction(assemblyDir: string, fn: ImageFunction, options: InvokeOptions = {}): Promise<RunningFunction> {
  const functionName = fn.path;
  if (!fn.asset) {
    throw new Error(`${fn.path} uses an existing image (${JSON.stringify(fn.imageUri)}): pull it and run it under the RIE yourself; invoke builds from the assembly.`);
  }
  const engine = options.engine ?? findEngine();
  if (options.build !== false) {
    buildFunction(assemblyDir, functionName, { engine, quiet: !options.buildProgress });
  }
  const image = localTag(fn.asset);
  const config = JSON.parse(engineRun(engine, ['image', 'inspect', '--format', '{{json .Config}}', image]).trim() || '{}');
  const argv = processArgv(fn, config);
  const published = (options.network ?? 'publish') === 'publish';
  const access = published ? hostAccess(engine) : undefined;
  const endpointUrl = options.endpointUrl && access ? endpointForContainer(options.endpointUrl, access.hostAlias) : options.endpointUrl;
  const { env } = containerEnvironment(fn, { ...options, endpointUrl });
  const apiPort = await freePort();
  // On its own network the emulator listens on every interface of the container, published on the
  // host's 127.0.0.1 only; on the host's network, on the host's loopback.
  const [emulatorAddress, runtimeAddress] = published ? ['0.0.0.0:8080', '127.0.0.1:9001'] : [`127.0.0.1:${apiPort}`, `127.0.0.1:${await freePort()}`];
  const rie = findRie(options.rie);
  const rieInContainer = rie ? '/aws-lambda/aws-lambda-rie' : '/usr/local/bin/aws-lambda-rie';
  const name = `clc-invoke-${crypto.randomBytes(6).toString('hex')}`;
  const createArgs = [
    'create', '--name', name,
    ...(access ? [...access.createArgs, '--publish', `127.0.0.1:${apiPort}:8080`] : ['--network', 'host']),
    ...(rie ? ['--volume', `${path.resolve(rie)}:${rieInContainer}:ro`] : []),
    ...(fn.imageConfig.WorkingDirectory ? ['--workdir', fn.imageConfig.WorkingDirectory] : []),
    ...Object.entries(env).flatMap(([k, v]) => ['--env', `${k}=${v}`]),
    '--entrypoint', rieInContainer,
    image,
    '--runtime-interface-emulator-address', emulatorAddress,
    '--runtime-api-address', runtimeAddress,
    ...argv,
  ];
  const stop = () => { engineSpawn(engine, ['rm', '--force', name], { stdio: 'ignore' }); };
  const created = performance.now();
  engineRun(engine, createArgs);
  const startedAt = performance.now();
  try {
    engineRun(engine, ['start', name]);
    const alive = () => String(engineSpawn(engine, ['inspect', '--format', '{{.State.Running}}', name]).stdout).trim() === 'true';
    await waitForEmulator(apiPort, (options.startTimeoutSeconds ?? 30) * 1000, alive);
  } catch (e) {
    stop();
    throw e;
  }
  return {
    container: name,
    createMs: startedAt - created,
    startedAt,
    async invoke(event, invocationType = 'RequestResponse') {
      checkRequest(event, invocationType);
      const sent = performance.now();
      const response = await fetch(`http://127.0.0.1:${apiPort}/2015-03-31/functions/function/invocations`, {
        method: 'POST',
        body: event,
        headers: { 'content-type': 'application/json', 'X-Amz-Invocation-Type': invocationType },
      });
      const body = await response.text();
      const receivedAt = performance.now();
      const timing = { roundTripMs: receivedAt - sent, receivedAt };
      const functionError = response.headers.get('x-amz-function-error') ?? undefined;
      return invocationType === 'Event' ? { statusCode: 202, body: '', ...timing } : { statusCode: response.status, body, functionError, ...timing };
    },
    logs: (requests = 1) => containerLogs(engine, name, requests),
    stop,
  };
}

/** The keys of Lambda's error object (the runtime API's ErrorRequest, plus the request id the Python RIC adds). */
const ERROR_OBJECT_KEYS = ['errorMessage', 'errorType', 'stackTrace', 'requestId', 'cause'];

/**
 * Whether an invocation failed in the handler, as Lambda's `X-Amz-Function-Error` says.
 *
 * Shim for an emulator gap (named, tested by e2e/example.e2e.ts "the RIE still sends no
 * X-Amz-Function-Error"): the RIE answers a handler's error with 200 and the error object, without
 * the header Lambda sets. Like SAM, an answer that is exactly Lambda's error object (errorMessage
 * and errorType, nothing but the error object's keys) counts as `Unhandled`; the header wins when
 * the emulator sends one.
 */
export function functionErrorOf(invocation: Pick<Invocation, 'body' | 'functionError'>): string | undefined {
  if (invocation.functionError) return invocation.functionError;
  let parsed: unknown;
  try {
    parsed = JSON.parse(invocation.body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const keys = Object.keys(parsed);
  const record = parsed as Record<string, unknown>;
  const isErrorObject = typeof record.errorMessage === 'string' && typeof record.errorType === 'string' && keys.every(k => ERROR_OBJECT_KEYS.includes(k));
  return isErrorObject ? 'Unhandled' : undefined;
}

/**
 * What Lambda answers when the runtime never produced a response (it exited, or failed its
 * init): the RIE answers with an empty body, and its log says why. Undefined when the log shows
 * no such failure.
 */
export function runtimeFailure(logs: string): { errorType: string; errorMessage: string } | undefined {
  const init = /Init failed error=(.*?) InvokeID=/.exec(logs);
  const exit = /Process runtime-\d+ exited: (.*)$/m.exec(logs);
  const done = /Invoke DONE failed: (\S+)/.exec(logs);
  if (!init && !exit && !done) return undefined;
  const errorType = exit || init ? 'Runtime.ExitError' : done![1];
  const errorMessage = init ? init[1].trim() : exit ? `Runtime exited: ${exit[1].trim()}` : `the invocation failed (${done![1]})`;
  return { errorType, errorMessage };
}

/** One line on the timings of invocations of one container: the first is the cold start. */
export function formatTimings(running: Pick<RunningFunction, 'createMs' | 'startedAt'>, invocations: Invocation[]): string {
  const ms = (n: number) => `${n < 10 ? n.toFixed(1) : Math.round(n)} ms`;
  let line = `timings: container created in ${ms(running.createMs)}; start to first response ${ms(invocations[0].receivedAt - running.startedAt)}`;
  const warm = invocations.slice(1).map(i => i.roundTripMs).sort((a, b) => a - b);
  if (warm.length > 0) {
    line += `; ${warm.length} warm round trip${warm.length === 1 ? '' : 's'}: median ${ms(warm[Math.floor(warm.length / 2)])}, max ${ms(warm[warm.length - 1])}`;
  }
  return line;
}

/** The container's logs, once the emulator has written `requests` REPORT lines (at most 3 s later). */
async function containerLogs(engine: string, name: string, requests: number): Promise<string> {
  let logs = '';
  for (let i = 0; i < 30; i++) {
    const result = engineSpawn(engine, ['logs', name]);
    logs = `${result.stdout ?? ''}${result.stderr ?? ''}`;
    if ((logs.match(/^REPORT RequestId:/mg) ?? []).length >= requests) break;
    await new Promise(r => setTimeout(r, 100));
  }
  return logs;
}
