/**
 * The local tools under faults, for real (issue 16): `start-lambda` and `start-api` run as the
 * user runs them (the CLI in its own process, podman, the RIE) under concurrent load while their
 * containers are removed behind their back, an image is missing, the engine refuses a `create`,
 * and the handler throws, times out, exits and answers a header HTTP cannot carry. Then: every
 * request was answered within its timeout + 5 s, no secret showed, no container of the run is
 * left, and the servers still answered until stopped. Also Ctrl-C at a cold start, a double
 * Ctrl-C, Ctrl-C during `invoke`, `kill -9` (its containers reaped by the next start), and the
 * client context passed through the RIE. Bounded: 86 requests, under a minute. The counts go to
 * test-reports/chaos.json.
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Stack, Duration } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { engineEnv, HOST_ARCH, REPO, synth } from './helpers';
import { BaseImage, LambdaContainerFunction } from '../src';
import { buildFunction } from '../src/cli/local/image-build';

const env = engineEnv();
const SECRET = 'chaosSecretDoNotLeak';
const FUNCTION_TIMEOUT_S = 2;
/** A request not answered by then is hung: the function's timeout + 5 s (the issue's bound), plus the cold start. */
const DEADLINE_MS = (FUNCTION_TIMEOUT_S + 5) * 1000 + 3000;
let assembly: string;
let engineWrapper: string;

beforeAll(async () => {
  assembly = synth('chaos', app => {
    const stack = new Stack(app, 'Chaos');
    const code = path.join(__dirname, 'fixtures', 'chaos');
    const props = { baseImage: BaseImage.python('3.13'), entry: code, cmd: ['app.handler'], architecture: HOST_ARCH, timeout: Duration.seconds(FUNCTION_TIMEOUT_S) };
    const chaos = new LambdaContainerFunction(stack, 'ChaosFn', props);
    // The same image; its 129 MB is what the engine wrapper refuses to create.
    const failCreate = new LambdaContainerFunction(stack, 'FailCreate', { ...props, memorySize: 129 });
    // Another code directory, never built: its image is missing (the servers run with --no-build).
    const missing = new LambdaContainerFunction(stack, 'Missing', { ...props, entry: path.join(__dirname, 'fixtures', 'chaos-missing') });
    const api = new apigwv2.HttpApi(stack, 'Http');
    api.addRoutes({ path: '/chaos', methods: [apigwv2.HttpMethod.GET], integration: new HttpLambdaIntegration('Chaos', chaos) });
    api.addRoutes({ path: '/failcreate', methods: [apigwv2.HttpMethod.GET], integration: new HttpLambdaIntegration('FailCreate', failCreate) });
    api.addRoutes({ path: '/missing', methods: [apigwv2.HttpMethod.GET], integration: new HttpLambdaIntegration('Missing', missing) });
  });
  Object.assign(process.env, env);
  await buildFunction(assembly, 'ChaosFn', { engine: 'podman', quiet: true });
  // The engine refuses `create` for the 129 MB function, as on a full disk; everything else is podman.
  engineWrapper = path.join(assembly, 'podman-failing-create'); // named podman: the tools give podman's network options
  fs.writeFileSync(engineWrapper, '#!/bin/bash\nif [ "$1" = create ] && [[ " $* " == *" --memory 129m "* ]]; then echo "Error: chaos: no space left on device" >&2; exit 125; fi\nexec podman "$@"\n', { mode: 0o755 });
});

/** The CLI in a process of its own, as a user runs it; stderr kept. */
interface Cli {
  readonly child: ChildProcess;
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
}

function cli(args: string[]): Cli {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(REPO, 'src/cli/main.ts'), ...args], {
    cwd: REPO,
    env: { ...process.env, ...env, CDK_DOCKER: engineWrapper, AWS_ACCESS_KEY_ID: 'AKIACHAOS', AWS_SECRET_ACCESS_KEY: SECRET, AWS_REGION: 'us-east-1', TS_NODE_PROJECT: path.join(REPO, 'tsconfig.json') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', c => { err += c; });
  child.stdout!.resume();
  const exited = new Promise<number | null>(resolve => child.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  return { child, stderr: () => err, exited };
}

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 100));
  }
}

/** The containers a process of the tool owns (by its label). */
function containersOf(pid: number): string[] {
  return execFileSync('podman', ['ps', '--all', '--quiet', '--filter', `label=cdk-lambda-container.pid=${pid}`], { env: { ...process.env, ...env }, encoding: 'utf8' })
    .split('\n').filter(Boolean);
}

function removeContainer(id: string): void {
  execFileSync('podman', ['rm', '--force', id], { env: { ...process.env, ...env }, stdio: 'ignore' });
}

interface Outcome {
  readonly kind: string;
  readonly status?: number;
  readonly functionError?: string | null;
  readonly body?: string;
  readonly hung?: boolean;
}

async function send(kind: string, url: string, init: RequestInit = {}): Promise<Outcome> {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(DEADLINE_MS) });
    return { kind, status: res.status, functionError: res.headers.get('x-amz-function-error'), body: await res.text() };
  } catch (e) {
    return { kind, hung: (e as Error).name === 'TimeoutError', body: String(e) };
  }
}

/** Stops a server as Ctrl-C does (twice, the second during its cleanup) and resolves to its exit code. */
async function stop(server: Cli, twice = false): Promise<number | null> {
  server.child.kill('SIGINT');
  if (twice) {
    await new Promise(r => setTimeout(r, 300));
    server.child.kill('SIGINT');
  }
  return server.exited;
}

test('start-lambda and start-api under load and faults: no request hung, no container left, no secret shown', async () => {
  const lambda = cli(['start-lambda', '--app', assembly, '--port', '0', '--no-build', '--rie', env.E2E_RIE!, '--max-containers', '8']);
  const api = cli(['start-api', '--app', assembly, '--port', '0', '--no-build', '--rie', env.E2E_RIE!, '--max-containers', '8']);
  const lambdaUrl = await waitFor('start-lambda', () => /Invoke API on (http:\/\/127\.0\.0\.1:\d+)/.exec(lambda.stderr())?.[1]);
  const apiUrl = await waitFor('start-api', () => /http-api \S+ \(stage [^)]*\) on (http:\/\/127\.0\.0\.1:\d+)/.exec(api.stderr())?.[1]);
  const invoke = (kind: string, fn: string, event: unknown) => send(kind, `${lambdaUrl}/2015-03-31/functions/${fn}/invocations`, { method: 'POST', body: JSON.stringify(event) });

  // The secret must never be on a command line: sample the process list during the run.
  const argvLeaks = new Set<string>();
  const sampler = setInterval(() => {
    for (const line of execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n')) if (line.includes(SECRET)) argvLeaks.add(line);
  }, 50);
  // Containers removed behind the servers' back (engine restart, OOM, `docker rm -f`).
  let killed = 0;
  const killer = setInterval(() => {
    const victims = [...containersOf(lambda.child.pid!), ...containersOf(api.child.pid!)];
    if (victims.length === 0) return;
    try { removeContainer(victims[Math.floor(Math.random() * victims.length)]); killed++; } catch { /* already gone */ }
  }, 1500);

  const modes = ['ok', 'throw', 'sleep', 'exit', 'badheader'];
  const outcomes: Outcome[] = [];
  try {
    for (let wave = 0; wave < 6; wave++) {
      const requests: Array<Promise<Outcome>> = [];
      for (const mode of modes) {
        requests.push(invoke(`lambda:${mode}`, 'ChaosFn', { mode }));
        requests.push(send(`api:${mode}`, `${apiUrl}/chaos?mode=${mode}`));
      }
      requests.push(invoke('lambda:failcreate', 'FailCreate', {}), send('api:failcreate', `${apiUrl}/failcreate`));
      requests.push(invoke('lambda:missing', 'Missing', {}), send('api:missing', `${apiUrl}/missing`));
      outcomes.push(...await Promise.all(requests));
    }
    // Still serving after all that, once the removals stop (a container removed while idle is
    // replaced when a request finds it gone: connection refused, the request goes to a new one).
    clearInterval(killer);
    outcomes.push(await invoke('lambda:after', 'ChaosFn', { mode: 'ok' }), await send('api:after', `${apiUrl}/chaos?mode=ok`));
  } finally {
    clearInterval(killer);
    clearInterval(sampler);
  }

  const lambdaCode = await stop(lambda);
  const apiCode = await stop(api, true); // a double Ctrl-C: the second one waits for the cleanup
  const leaked = [...containersOf(lambda.child.pid!), ...containersOf(api.child.pid!)];
  const hung = outcomes.filter(o => o.hung || o.status === undefined);
  const by = (kind: string) => outcomes.filter(o => o.kind === kind);
  const report = {
    requests: outcomes.length,
    faultsInjected: {
      containersRemoved: killed,
      createRefused: by('lambda:failcreate').length + by('api:failcreate').length,
      imageMissing: by('lambda:missing').length + by('api:missing').length,
      handlerThrew: by('lambda:throw').length + by('api:throw').length,
      timedOut: by('lambda:sleep').length + by('api:sleep').length,
      runtimeExited: by('lambda:exit').length + by('api:exit').length,
      badHeader: by('lambda:badheader').length + by('api:badheader').length,
    },
    hung: hung.length,
    leaked: leaked.length,
    statuses: Object.fromEntries([...new Set(outcomes.map(o => o.kind))].map(k => [k, by(k).map(o => `${o.status}${o.functionError ? `/${o.functionError}` : ''}`)])),
  };
  fs.mkdirSync(path.join(REPO, 'test-reports'), { recursive: true });
  fs.writeFileSync(path.join(REPO, 'test-reports', 'chaos.json'), JSON.stringify(report, undefined, 2));
  console.log(`chaos: ${JSON.stringify(report)}\nfirst bodies: ${JSON.stringify(Object.fromEntries(outcomes.map(o => [o.kind, o.body?.slice(0, 300)])))}`);

  expect(hung).toEqual([]);
  expect(leaked).toEqual([]);
  expect([lambdaCode, apiCode]).toEqual([0, 0]);
  expect(argvLeaks).toEqual(new Set());
  for (const o of outcomes) expect(o.body ?? '').not.toContain(SECRET);
  expect(lambda.stderr() + api.stderr()).not.toContain(SECRET);
  // Each fault answers as Lambda or API Gateway would (a removed container may turn any of them into a 500/502).
  const allowed: Record<string, string[]> = {
    'lambda:ok': ['200'],
    'lambda:throw': ['200/Unhandled'],
    'lambda:sleep': ['200/Unhandled'],
    'lambda:exit': ['200/Unhandled'],
    'lambda:badheader': ['200'],
    'lambda:failcreate': ['500'],
    'lambda:missing': ['500'],
    'lambda:after': ['200'],
    'api:ok': ['200'],
    'api:throw': ['502'],
    'api:sleep': ['502'],
    'api:exit': ['502'],
    'api:badheader': ['502'],
    'api:failcreate': ['502'],
    'api:missing': ['502'],
    'api:after': ['200'],
  };
  for (const [kind, statuses] of Object.entries(report.statuses)) {
    const fault = kind.startsWith('lambda:') ? '500' : '502';
    expect({ kind, unexpected: statuses.filter(s => !allowed[kind].includes(s) && s !== fault) }).toEqual({ kind, unexpected: [] });
    expect({ kind, nominal: statuses.some(s => allowed[kind].includes(s)) }).toEqual({ kind, nominal: true });
  }
  expect(by('lambda:sleep').some(o => /Sandbox\.Timedout/.test(o.body ?? ''))).toBe(true);
  expect(by('lambda:failcreate')[0].body).toMatch(/podman create failed|create failed \(exit 125\): Error: chaos: no space left on device/);
  expect(by('lambda:missing')[0].body).toMatch(/drop --no-build/);
});

test('X-Amz-Client-Context reaches the function through start-lambda; an invalid one is refused as Lambda refuses it', async () => {
  const server = cli(['start-lambda', '--app', assembly, '--port', '0', '--no-build', '--rie', env.E2E_RIE!]);
  const url = await waitFor('start-lambda', () => /Invoke API on (http:\/\/127\.0\.0\.1:\d+)/.exec(server.stderr())?.[1]);
  try {
    const invoke = (headers: Record<string, string>) => fetch(`${url}/2015-03-31/functions/ChaosFn/invocations`, { method: 'POST', body: '{"mode":"context"}', headers });
    const context = Buffer.from(JSON.stringify({ custom: { tenant: 'chaos' } })).toString('base64');
    const answer = await invoke({ 'X-Amz-Client-Context': context });
    expect(await answer.json()).toEqual({ custom: { tenant: 'chaos' } });
    const refused = await invoke({ 'X-Amz-Client-Context': 'not base64!' });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('x-amzn-errortype')).toBe('InvalidRequestContentException');
  } finally {
    expect(await stop(server)).toBe(0);
  }
});

test('Ctrl-C at a cold start leaves no container, nor does Ctrl-C during invoke; kill -9\'s containers are reaped by the next start', async () => {
  // A cold start cut short: the request is in flight when the signal comes.
  const cold = cli(['start-lambda', '--app', assembly, '--port', '0', '--no-build', '--rie', env.E2E_RIE!]);
  const coldUrl = await waitFor('start-lambda', () => /Invoke API on (http:\/\/127\.0\.0\.1:\d+)/.exec(cold.stderr())?.[1]);
  const inFlight = send('cold', `${coldUrl}/2015-03-31/functions/ChaosFn/invocations`, { method: 'POST', body: '{}' });
  await new Promise(r => setTimeout(r, 200));
  cold.child.kill('SIGINT');
  expect(await cold.exited).toBe(0);
  await inFlight;
  expect(containersOf(cold.child.pid!)).toEqual([]);

  // invoke, interrupted while the function runs: its container goes, exit 130.
  const invoke = cli(['invoke', 'ChaosFn', '--app', assembly, '--no-build', '--rie', env.E2E_RIE!, '--event', writeEvent({ mode: 'sleep' })]);
  await waitFor('the function to run', () => (/chaos sleep/.test(invoke.stderr()) ? true : undefined));
  invoke.child.kill('SIGINT');
  expect(await invoke.exited).toBe(130);
  expect(containersOf(invoke.child.pid!)).toEqual([]);

  // kill -9 leaves its containers (nothing can run then), labelled: the next start removes them.
  const killed = cli(['start-lambda', '--app', assembly, '--port', '0', '--no-build', '--rie', env.E2E_RIE!]);
  const url = await waitFor('start-lambda', () => /Invoke API on (http:\/\/127\.0\.0\.1:\d+)/.exec(killed.stderr())?.[1]);
  expect((await send('warm', `${url}/2015-03-31/functions/ChaosFn/invocations`, { method: 'POST', body: '{}' })).status).toBe(200);
  killed.child.kill('SIGKILL');
  await killed.exited;
  const orphans = containersOf(killed.child.pid!);
  expect(orphans).toHaveLength(1);
  const next = cli(['start-lambda', '--app', assembly, '--port', '0', '--no-build', '--rie', env.E2E_RIE!]);
  await waitFor('start-lambda', () => (/Invoke API on/.test(next.stderr()) ? true : undefined));
  expect(next.stderr()).toMatch(/removed 1 container\(s\) left by an earlier run whose process is gone/);
  expect(containersOf(killed.child.pid!)).toEqual([]);
  expect(await stop(next)).toBe(0);
});

function writeEvent(event: unknown): string {
  const file = path.join(assembly, `event-${Date.now()}.json`);
  fs.writeFileSync(file, JSON.stringify(event));
  return file;
}
