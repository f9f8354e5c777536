/**
 * `cdk-lambda-container invoke <function>`: the function's image under the RIE, sent one event
 * (or the same event `--repeat` times, warm after the first), its output streamed as it comes,
 * Lambda's answer printed, the exit code saying how it went. Ctrl-C or SIGTERM at any moment
 * removes the container before the process ends.
 */
import * as fs from 'fs';
import { ContainerCommandOptions, invokeOptions, prepareEngine, readEnvVarsOption } from './container-options';
import { EXIT_CODES, UsageError } from '../errors';
import { findFunction } from '../local/assembly';
import { containerEnvironment, Invocation, RunningFunction, startImageFunction } from '../local/container';
import { OWNED } from '../local/containers';
import { envOverrides } from '../local/env-vars';
import { deploymentOnlyWarning } from '../local/function-pool';
import { checkRequest, InvocationType, lambdaAnswer } from '../local/lambda-semantics';
import { onSignals, SIGNAL_EXIT } from '../local/shutdown';
import type { CliIo } from '../output';
import { DevelopmentOptions, developmentSetup } from './development';

export interface InvokeCommandOptions extends ContainerCommandOptions, DevelopmentOptions {
  readonly event?: string;
  readonly invocationType: InvocationType;
  readonly repeat: number;
  readonly json?: boolean;
}

export async function invokeCommand(io: CliIo, name: string, o: InvokeCommandOptions): Promise<number> {
  // Everything Lambda or the command line would refuse is refused before a container starts.
  const event = checkRequest(readEvent(o.event), o.invocationType);
  const fn = findFunction(o.app, name);
  const envVars = readEnvVarsOption(o);
  const overrides = envVars ? envOverrides(envVars, fn) : { set: {}, ignored: [] };
  for (const ignored of overrides.ignored) {
    io.err(`cdk-lambda-container: warning: --env-vars sets ${ignored}, which ${fn.path} does not declare: not set (as in SAM, only the template's variables are overridden)\n`);
  }
  const development = await developmentSetup({ ...o, debugFunction: o.debugPort === undefined ? undefined : [fn.path] }, [fn], line => io.err(`${line}\n`), true);
  const plan = development.plans.get(fn.path);
  const engine = await prepareEngine(line => io.err(`${line}\n`));
  const options = {
    ...invokeOptions(o, engine, message => io.err(`cdk-lambda-container: ${message}\n`), envVars),
    reload: o.reload && plan?.mode === 'mount' ? plan : undefined,
    debug: development.debugTargets?.get(fn.path),
    environment: overrides.set,
    // The container's output as it comes, unless it goes into the JSON result.
    onLog: o.json ? undefined : (line: { text: string }) => io.err(`${fn.path}: ${line.text}\n`),
  };
  for (const skipped of containerEnvironment(fn, options).skipped) io.err(`cdk-lambda-container: ${deploymentOnlyWarning(fn, skipped)}\n`);

  let stopping: Promise<never> | undefined;
  const disposeSignals = onSignals(signal => {
    io.err(`cdk-lambda-container: ${signal}: removing the container\n`);
    stopping = OWNED.removeAll().then(() => process.exit(SIGNAL_EXIT[signal]));
  }, () => io.err(`cdk-lambda-container: still removing ${OWNED.size} container(s); the process ends when they are gone\n`));
  let running: RunningFunction | undefined;
  try {
    running = await startImageFunction(o.app, fn, options);
    const results: Invocation[] = [];
    for (let i = 0; i < o.repeat; i++) results.push(await running.invoke(event, o.invocationType));
    const lines = (await Promise.all(results.map(r => r.lines()))).flat();
    const text = async () => lines.map(l => `${l.text}\n`).join('');
    const answers = o.invocationType === 'Event' ? [] : await Promise.all(results.map(r => lambdaAnswer(r, text)));
    const last = results[results.length - 1];
    const functionError = answers.map(a => a.functionError).find(Boolean);
    const payload = answers.length > 0 ? answers[answers.length - 1].payload : '';
    const timings = formatTimings(running, results);
    if (o.json) {
      io.out(`${JSON.stringify({ statusCode: last.statusCode, functionError, payload, logs: await text(), timings }, undefined, 2)}\n`);
    } else {
      io.out(`${payload}\n`);
      io.err(`${timings}\n`);
    }
    if (functionError) return EXIT_CODES.functionError;
    return results.every(r => r.statusCode < 300) ? EXIT_CODES.ok : EXIT_CODES.failure;
  } finally {
    await running?.stop();
    if (stopping) await stopping; // a signal came: the process ends there
    disposeSignals();
  }
}

/** The event: a file, `-` for stdin, `{}` when none is given (an empty one is `{}` too, see checkRequest). */
function readEvent(file: string | undefined): Buffer {
  if (file === undefined) return Buffer.from('{}');
  try {
    return file === '-' ? fs.readFileSync(0) : fs.readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EAGAIN' || (e as NodeJS.ErrnoException).code === 'EOF') return Buffer.alloc(0);
    throw new UsageError(`--event ${file}: ${(e as Error).message}`);
  }
}

/** One line on the timings of invocations of one container: the first is the cold start. */
export function formatTimings(running: Pick<RunningFunction, 'createMs' | 'startedAt'>, invocations: ReadonlyArray<Pick<Invocation, 'receivedAt' | 'roundTripMs'>>): string {
  const ms = (n: number) => `${n < 10 ? n.toFixed(1) : Math.round(n)} ms`;
  let line = `timings: container created in ${ms(running.createMs)}; start to first response ${ms(invocations[0].receivedAt - running.startedAt)}`;
  const warm = invocations.slice(1).map(i => i.roundTripMs).sort((a, b) => a - b);
  if (warm.length > 0) {
    line += `; ${warm.length} warm round trip${warm.length === 1 ? '' : 's'}: median ${ms(warm[Math.floor(warm.length / 2)])}, max ${ms(warm[warm.length - 1])}`;
  }
  return line;
}
