/**
 * `start-lambda` and `start-api`: a local endpoint in front of the functions' containers, from
 * its start (a busy port is a usage error naming `--port`, and nothing is left listening) to its
 * stop on Ctrl-C or SIGTERM (every container removed, including those still being created; a
 * second Ctrl-C waits for that instead of cutting it short).
 */
import { ContainerCommandOptions, invokeOptions, prepareEngine } from './container-options';
import { RouteAuthorization } from '../apigw/authorizers';
import { ApiRoute } from '../apigw/routes';
import { LocalApiServer } from '../apigw/server';
import { EXIT_CODES, UsageError } from '../errors';
import { DevelopmentOptions, developmentSetup } from './development';
import { readImageFunctions } from '../local/assembly';
import { OWNED } from '../local/containers';
import { FunctionPoolsOptions } from '../local/function-pool';
import { LocalLambdaServer } from '../local/lambda-server';
import { onSignals } from '../local/shutdown';
import { AppWatcher } from '../local/watch';
import type { CliIo } from '../output';

export interface LocalEndpointCommandOptions extends ContainerCommandOptions, DevelopmentOptions {
  readonly port: number;
  readonly maxContainers: number;
  readonly watch?: boolean;
  readonly synthCommand?: string;
  /** start-api: JWKS files or URLs for the JWT and Cognito authorizers. */
  readonly jwks?: string[];
}

/** What both servers have: stop (removes the containers), recycle (`--reload`). */
interface LocalServer {
  stop(): Promise<void>;
  recycle(functions: readonly string[]): void;
}

export async function startLambdaCommand(io: CliIo, o: LocalEndpointCommandOptions): Promise<number> {
  const functions = readImageFunctions(o.app);
  return serve(io, o, async options => {
    const server = new LocalLambdaServer(o.app, { ...options, port: o.port });
    const url = await server.start();
    io.err(`cdk-lambda-container: Lambda's Invoke API on ${url} for ${functions.map(f => `${f.path} (${f.logicalId})`).join(', ')}\n`
      + `  aws lambda invoke --endpoint-url ${url} --function-name ${functions[0]?.path.split('/').pop() ?? '<function>'} out.json; Ctrl-C stops it and its containers\n`);
    return server;
  });
}

export async function startApiCommand(io: CliIo, o: LocalEndpointCommandOptions): Promise<number> {
  return serve(io, o, async options => {
    const server = new LocalApiServer(o.app, { ...options, port: o.port, jwks: o.jwks });
    const served = await server.start();
    if (served.length === 0) {
      await server.stop();
      throw new UsageError(`${o.app} has no API Gateway HTTP API, REST API or function URL in front of a container-image function.`);
    }
    for (const { api, url } of served) {
      io.err(`cdk-lambda-container: ${api.kind} ${api.stack}/${api.logicalId} (stage ${api.stage}) on ${url}\n`);
      for (const route of api.routes) io.err(`  ${describeRoute(route)}\n`);
      if (api.cors) io.err(`  CORS: preflights answered by the gateway for ${api.cors.allowOrigins.join(', ') || 'no origin'}\n`);
      for (const skipped of api.skipped) io.err(`  not served: ${skipped}\n`);
      for (const note of api.notes) io.err(`  note: ${note}\n`);
    }
    io.err('Ctrl-C stops it and its containers\n');
    return server;
  });
}

/** `GET /orders -> Stack/Fn (payload 2.0, JWT authorizer Jwt, scopes orders/read)`, `OPTIONS /orders -> MOCK 204`. */
function describeRoute(route: ApiRoute): string {
  const key = route.path === '$default' ? '$default' : `${route.method} ${route.path}`;
  return route.mock ? `${key} -> MOCK ${route.mock.statusCode}${describeAuthorization(route.authorization)}`
    : `${key} -> ${route.functionPath} (payload ${route.payloadFormat}${describeAuthorization(route.authorization)})`;
}

function describeAuthorization(auth: RouteAuthorization): string {
  switch (auth.type) {
    case 'NONE': return '';
    case 'AWS_IAM': return ', IAM (SigV4)';
    case 'JWT': return `, ${auth.authorizer.flavour === 'cognito' ? 'Cognito user-pool' : 'JWT'} authorizer ${auth.authorizer.name}${auth.scopes.length > 0 ? `, scopes ${auth.scopes.join(' ')}` : ''}`;
    case 'LAMBDA': {
      const a = auth.authorizer;
      const kind = { 'rest-token': 'TOKEN', 'rest-request': 'REQUEST', 'http-request': `payload ${a.payloadFormat}${a.simpleResponses ? ', simple responses' : ''}` }[a.type];
      return `, Lambda authorizer ${a.name} (${kind}${a.ttlSeconds > 0 ? `, cached ${a.ttlSeconds} s` : ''})`;
    }
  }
}

/**
 * Runs a local server until Ctrl-C or SIGTERM. The signal handlers are in place before the server
 * starts, so a signal during its start stops it too; with `--watch`, the app is synthesized again
 * on source changes meanwhile.
 */
async function serve(io: CliIo, o: LocalEndpointCommandOptions, start: (options: FunctionPoolsOptions) => Promise<LocalServer>): Promise<number> {
  const log = (line: string) => io.err(`${line}\n`);
  let signalled = false;
  let onSignal!: () => void;
  const stopped = new Promise<void>(resolve => { onSignal = resolve; });
  const disposeSignals = onSignals(signal => {
    log(`cdk-lambda-container: ${signal}: stopping, removing ${OWNED.size} container(s)`);
    signalled = true;
    onSignal();
  }, () => log(`cdk-lambda-container: still removing ${OWNED.size} container(s); the process ends when they are gone`));
  let server: LocalServer | undefined;
  let watcher: AppWatcher | undefined;
  try {
    const development = await developmentSetup(o, readImageFunctions(o.app), log);
    const engine = await prepareEngine(log);
    const options: FunctionPoolsOptions = {
      ...invokeOptions(o, engine, message => log(`cdk-lambda-container: ${message}`)),
      maxContainersPerFunction: o.maxContainers,
      log,
      reloadPlans: o.reload ? () => development.plans : undefined,
      debugTargets: development.debugTargets,
      settled: () => watcher?.settled() ?? Promise.resolve(),
    };
    const starting = start(options);
    server = await Promise.race([starting, stopped.then(() => undefined)]);
    if (!server) {
      void starting.then(s => s.stop(), () => undefined); // stopped while it started
    } else {
      const running = server;
      watcher = o.watch || o.reload
        ? new AppWatcher({
          directory: process.cwd(),
          synthCommand: o.synthCommand ?? `npx cdk synth --quiet --output ${JSON.stringify(o.app)}`,
          log,
          reload: o.reload
            ? { plans: () => [...development.plans.values()], recycle: fns => running.recycle(fns), excluded: development.excluded }
            : undefined,
          onSynthesized: () => development.refresh(readImageFunctions(o.app)),
        })
        : undefined;
      await stopped;
    }
    return EXIT_CODES.ok;
  } finally {
    watcher?.close();
    await server?.stop();
    // After a signal the process ends: every container of it goes, those still being created too.
    if (signalled) await OWNED.removeAll();
    disposeSignals();
  }
}
