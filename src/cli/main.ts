#!/usr/bin/env node
/**
 * cdk-lambda-container: local tooling for container-image functions in a cloud assembly.
 * Not part of the jsii API; shipped as the package's `bin`. The command line is commander's:
 * per-command help and options, `--version`; failures end with the exit codes of errors.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { invokeCommand, InvokeCommandOptions } from './commands/invoke';
import { LocalEndpointCommandOptions, startApiCommand, startLambdaCommand } from './commands/local-endpoint';
import { summarize } from './commands/summary';
import { CliError, EXIT_CODES } from './errors';
import { EVENT_KINDS, generateEvent } from './events';
import { readImageFunctions } from './local/assembly';
import { buildFunction } from './local/image-build';
import { formatLayers, functionLayers } from './local/image-history';
import { CliIo, guardOutput, writeStderr, writeStdout } from './output';

const PROCESS_IO: CliIo = { out: writeStdout, err: writeStderr };

const FUNCTION_ARGUMENT = 'a construct path (Stack/Fn), its last part (Fn) or a logical ID';

const EXIT_HELP = `
Exit codes:
  ${EXIT_CODES.ok}  done (invoke: the function answered without an error)
  ${EXIT_CODES.failure}  the tool failed (build, engine, container, emulator)
  ${EXIT_CODES.usage}  the command line: unknown command, option, function or event kind; a missing or bad value
  ${EXIT_CODES.functionError}  the function answered with an error (X-Amz-Function-Error), or its runtime died
  ${EXIT_CODES.requestRefused}  Lambda would refuse the request before running the function (too large, not JSON)`;

/** Runs the CLI; resolves to the exit code (never rejects: failures are printed on `io.err`). */
export async function main(argv: string[], io: CliIo = PROCESS_IO): Promise<number> {
  let code: number = EXIT_CODES.ok;
  const program = buildProgram(io, c => { code = c; });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and --version end with 0; everything else commander refuses is a usage error.
      return e.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
    }
    io.err(`cdk-lambda-container: ${(e as Error).message}\n`);
    return e instanceof CliError ? e.exitCode : EXIT_CODES.failure;
  }
}

function buildProgram(io: CliIo, exit: (code: number) => void): Command {
  const program = new Command('cdk-lambda-container')
    .description('Local tooling for the container-image functions of a cloud assembly (cdk.out).')
    .version(packageVersion(), '-V, --version')
    .addHelpText('after', EXIT_HELP)
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: t => io.out(t), writeErr: t => io.err(t) })
    .exitOverride();
  const appOption = () => new Option('--app <dir>', 'the cloud assembly').default('cdk.out');
  const jsonOption = () => new Option('--json', 'print the result as JSON');
  /** The options of every command that runs containers, declared once (help text per command where it differs). */
  const containerOptions = (cmd: Command, plural: boolean) => cmd
    .option('--env-vars <file>', 'environment values per function, in SAM\'s format: {"Fn": {"VAR": "value"}, "Parameters": {...}}')
    .option('--endpoint-url <url>', `passed to the function${plural ? 's' : ''} as AWS_ENDPOINT_URL (LocalStack, moto)`)
    .option('--region <region>', `AWS_REGION of the function${plural ? 's' : ''} (default: AWS_REGION, AWS_DEFAULT_REGION, us-east-1)`)
    .option('--rie <path>', 'the aws-lambda-rie binary to mount for images without one (default: CDK_LAMBDA_CONTAINER_RIE, PATH)')
    .addOption(networkOption())
    .option('--no-credentials', 'pass no AWS credentials (default: the AWS SDK\'s chain — env, profile, SSO, container, instance — and placeholder keys when none resolve)')
    .option('--no-build', `run the image${plural ? 's' : ''} as last built`)
    .option('--reload', plural
      ? 'development mode: the code directories of interpreted functions (Python, Node.js, Ruby) are mounted read-only and a code change answers from new containers with no build; dependency files and the rest of the app synthesize and rebuild what changed (implies --watch)'
      : 'run the code directory as it is now, mounted read-only into the image built without its code layer: a code edit needs no synth and no build')
    .option('--debug-port <port>', plural
      ? 'a debugger in each Node.js (inspector), Python (debugpy) and Java (JDWP) function\'s container, on this port of 127.0.0.1 and the next ones (the port map is printed)'
      : 'a debugger in the function\'s container on this port of 127.0.0.1 (Node.js inspector, Python debugpy, Java JDWP); the runtime waits for it to attach', port)
    .option('--launch-json <file>', 'with --debug-port: write VS Code attach configurations (with path mappings) into this launch.json');
  const networkOption = () => new Option('--network <mode>', 'publish: the emulator\'s port on 127.0.0.1, the host\'s 127.0.0.1 reachable from the function (any engine, Docker Desktop and Finch too); host: the host\'s network (Linux only)')
    .choices(['publish', 'host']).default('publish');

  program.command('summary')
    .description('each container-image function: image source, architecture, ImageConfig, Dockerfile and asset hash')
    .argument('[assembly]', 'the cloud assembly (same as --app)')
    .addOption(appOption())
    .addOption(jsonOption())
    .action((assembly: string | undefined, o: { app: string; json?: boolean }) => {
      const dir = assembly ?? o.app;
      io.out(`${o.json ? JSON.stringify(readImageFunctions(dir), undefined, 2) : summarize(dir)}\n`);
    });

  program.command('build')
    .description('build the function\'s image as cdk-assets would (engine: CDK_DOCKER, else docker, finch or podman)')
    .argument('<function>', FUNCTION_ARGUMENT)
    .addOption(appOption())
    .action(async (name: string, o: { app: string }) => {
      const result = await buildFunction(o.app, name);
      io.err(`cdk-lambda-container: built ${result.tag} with ${result.engine} in ${result.seconds.toFixed(1)} s\n`);
    });

  containerOptions(program.command('invoke')
    .description('run the function\'s image under the Runtime Interface Emulator with its ImageConfig, environment, memory and timeout, and send it an event')
    .argument('<function>', FUNCTION_ARGUMENT)
    .addOption(appOption())
    .option('-e, --event <file>', 'the event: a JSON file, or - for stdin (default: {})')
    .addOption(new Option('--invocation-type <type>', 'RequestResponse waits for the answer; Event answers 202 (1 MB payload limit)').choices(['RequestResponse', 'Event']).default('RequestResponse')), false)
    .option('--repeat <n>', 'send the event n times to one container (the first cold, the others warm) and print the timings', wholeNumber, 1)
    .addOption(jsonOption())
    .action(async (name: string, o: InvokeCommandOptions) => exit(await invokeCommand(io, name, o)));

  /** start-lambda and start-api: the options of a local endpoint in front of the functions' containers. */
  const endpointCommand = (name: string, description: string, defaultPort: number, portHelp: string) => containerOptions(program.command(name)
    .description(description)
    .addOption(appOption())
    .option('-p, --port <port>', portHelp, port, defaultPort)
    .option('--max-containers <n>', 'containers per function at most (concurrent requests beyond wait)', wholeNumber, 4), true)
    .option('--watch', 'synthesize the app again when a source file under the current directory changes; changed images are rebuilt on their next request')
    .option('--synth-command <command>', 'what --watch runs (default: npx cdk synth --quiet --output <app>)')
    .option('--debug-function <function>', 'with --debug-port: only this function gets a debugger (repeat for several)', (value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
  endpointCommand('start-lambda',
    'serve Lambda\'s Invoke API on 127.0.0.1 for the app\'s functions: `aws lambda invoke --endpoint-url` and AWS SDK clients call them by logical ID, construct path or its last part',
    3001, 'the port on 127.0.0.1')
    .action(async (o: LocalEndpointCommandOptions) => exit(await startLambdaCommand(io, o)));
  endpointCommand('start-api',
    'serve the app\'s API Gateway HTTP APIs, REST APIs and function URLs on 127.0.0.1 (one port each, from --port) in front of the functions\' containers',
    3000, 'the port of the first API on 127.0.0.1; the next ones take the following ports')
    .option('--jwks <file-or-url>', 'the keys JWT and Cognito authorizers check signatures with: a JWKS file or URL (repeat for several; default: each issuer\'s, from its OpenID discovery document)',
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value])
    .action(async (o: LocalEndpointCommandOptions) => exit(await startApiCommand(io, o)));

  program.command('layers')
    .description('the image\'s layers, their size and step, and which ones a code-only change rebuilds')
    .argument('<function>', FUNCTION_ARGUMENT)
    .addOption(appOption())
    .option('--no-build', 'describe the image as last built')
    .addOption(jsonOption())
    .action(async (name: string, o: { app: string; build: boolean; json?: boolean }) => {
      const { title, rows } = await functionLayers(o.app, name, { build: o.build, buildProgress: true });
      io.out(`${o.json ? JSON.stringify({ image: title, layers: rows }, undefined, 2) : formatLayers(title, rows)}\n`);
    });

  const events = program.command('generate-event')
    .description('print a sample event, in the shape the service sends');
  for (const kind of EVENT_KINDS) {
    const command = events.command(kind.kind).description(kind.description);
    for (const option of kind.options) {
      const notes = [option.repeatable ? 'repeat for several' : '', option.defaultValue !== undefined ? `default: ${option.defaultValue}` : ''].filter(Boolean);
      const o = new Option(`--${option.flag} <value>`, notes.length > 0 ? `${option.description} (${notes.join('; ')})` : option.description);
      if (option.repeatable) o.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
      command.addOption(o);
    }
    command.action((o: Record<string, string | string[] | undefined>) => {
      const byFlag = Object.fromEntries(kind.options.map(opt => [opt.flag, o[camelCase(opt.flag)]]));
      io.out(`${JSON.stringify(generateEvent(kind.kind, byFlag), undefined, 2)}\n`);
    });
  }
  return program;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`a port number (0 to 65535), not "${value}".`);
  return n;
}

function wholeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`a whole number of at least 1, not "${value}".`);
  return n;
}

function camelCase(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

function packageVersion(): string {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version;
}

if (require.main === module) {
  guardOutput();
  void main(process.argv.slice(2)).then(code => {
    // Whatever the command started is stopped by now (its containers removed); what may linger
    // (idle keep-alive sockets) would only delay the exit. Exit once the output is flushed; a signal
    // meanwhile (the second of a double Ctrl-C, after the command removed its own handlers) is
    // ignored: without a handler it would end the process by the signal instead of this exit code
    // (seen once in CI: chaos.e2e.ts's start-api ended by SIGINT after a clean shutdown).
    const ignore = () => undefined;
    process.on('SIGINT', ignore).on('SIGTERM', ignore);
    process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
  });
}
