/**
 * `--reload` and `--debug-port` for real (issue 18): `start-api` runs as a user runs it, in the
 * app's directory, with podman, the AWS base images' stand-ins and their RIE.
 * - an edit of app.py is answered by the next requests with no synth and no build, by a fresh
 *   runtime (its module state starts again);
 * - a requirements.txt edit synthesizes and rebuilds; the request sent meanwhile waits and imports
 *   the new dependency;
 * - a breakpoint in a Node.js function (Chrome DevTools Protocol, `--reload` too) and in a Python
 *   function (Debug Adapter Protocol, debugpy) is hit in a warm container, the stack frame in the
 *   user's file and line; the image cdk-assets would publish is unchanged by debugpy's layer.
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { engineEnv, freePort, HOST_ARCH, REPO } from './helpers';
import { readImageFunctions } from '../src/cli/local/assembly';
import { buildFunction, localTag } from '../src/cli/local/image-build';

const env = engineEnv();
const TS_NODE = ['-r', require.resolve('ts-node/register/transpile-only')];
const PY_BREAK_LINE = 7;
const NODE_BREAK_LINE = 4;

let dir: string;
const SYNTH = `${JSON.stringify(process.execPath)} ${TS_NODE.join(' ')} app.js`;
// The app is outside the repository: its `require('aws-cdk-lib')` finds the repository's (NODE_PATH).
const processEnv = () => ({ ...process.env, ...env, NODE_PATH: path.join(REPO, 'node_modules'), TS_NODE_PROJECT: path.join(REPO, 'tsconfig.json'), AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true' });

const pyHandler = (version: string, extra = '') => `${extra}import os

COUNT = 0

def handler(event, context):
    global COUNT
    COUNT += 1
    return {"statusCode": 200, "body": f"${version} {COUNT}"}
`;

beforeAll(() => {
  Object.assign(process.env, env); // buildFunction below runs the engine from this process
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clc-reload-'));
  fs.mkdirSync(path.join(dir, 'fn'));
  fs.mkdirSync(path.join(dir, 'nodefn'));
  fs.writeFileSync(path.join(dir, 'fn', 'app.py'), pyHandler('v1'));
  fs.writeFileSync(path.join(dir, 'nodefn', 'index.js'), [
    'let calls = 0;',
    'exports.handler = async () => {',
    '  calls += 1;',
    '  const body = `n${calls}`;',
    '  return { statusCode: 200, body };',
    '};',
    '',
  ].join('\n'));
  // The app, as a user writes it (the package is this repository's source); asset metadata as `cdk synth` gives it.
  fs.writeFileSync(path.join(dir, 'app.js'), `
const { App, Stack } = require('aws-cdk-lib');
const lambda = require('aws-cdk-lib/aws-lambda');
const apigwv2 = require('aws-cdk-lib/aws-apigatewayv2');
const { HttpLambdaIntegration } = require('aws-cdk-lib/aws-apigatewayv2-integrations');
const { BaseImage, LambdaContainerFunction } = require(${JSON.stringify(path.join(REPO, 'src'))});
const app = new App({ outdir: 'cdk.out', context: { 'aws:cdk:enable-asset-metadata': true, 'aws:cdk:enable-path-metadata': true } });
const stack = new Stack(app, 'Reload');
const architecture = lambda.Architecture.${HOST_ARCH.name === 'arm64' ? 'ARM_64' : 'X86_64'};
const py = new LambdaContainerFunction(stack, 'Py', { baseImage: BaseImage.python('3.13'), entry: 'fn', cmd: ['app.handler'], architecture });
const node = new LambdaContainerFunction(stack, 'Node', { baseImage: BaseImage.nodejs('22'), entry: 'nodefn', cmd: ['index.handler'], architecture });
const api = new apigwv2.HttpApi(stack, 'Api');
api.addRoutes({ path: '/py', integration: new HttpLambdaIntegration('PyI', py) });
api.addRoutes({ path: '/node', integration: new HttpLambdaIntegration('NodeI', node) });
app.synth();
`);
  execFileSync('/bin/sh', ['-c', SYNTH], { cwd: dir, env: processEnv(), stdio: 'inherit' });
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Cli {
  readonly child: ChildProcess;
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
}

/** The CLI in the app's directory, as a user runs it. */
function cli(args: string[]): Cli {
  const child = spawn(process.execPath, [...TS_NODE, path.join(REPO, 'src/cli/main.ts'), ...args], { cwd: dir, env: processEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', c => { err += c; });
  child.stdout!.resume();
  const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)));
  return { child, stderr: () => err, exited };
}

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 50));
  }
}

async function startApi(args: string[]): Promise<{ cli: Cli; url: string }> {
  const c = cli(['start-api', '--port', '0', ...args]);
  const url = await waitFor('start-api', () => /http-api \S+ \(stage [^)]*\) on (http:\/\/127\.0\.0\.1:\d+)/.exec(c.stderr())?.[1]);
  return { cli: c, url };
}

async function stop(c: Cli): Promise<void> {
  c.child.kill('SIGINT');
  expect(await c.exited).toBe(0);
  const left = execFileSync('podman', ['ps', '--all', '--quiet', '--filter', `label=cdk-lambda-container.pid=${c.child.pid}`], { env: processEnv(), encoding: 'utf8' });
  expect(left.trim()).toBe('');
}

const get = async (url: string) => {
  const res = await fetch(url);
  return { status: res.status, body: await res.text() };
};
const builds = (stderr: string) => (stderr.match(/^cdk-lambda-container: building /gm) ?? []).length;


test('--reload: an app.py edit is answered with no build, by a fresh runtime; a requirements.txt edit rebuilds and the new dependency imports', async () => {
  const { cli: c, url } = await startApi(['--reload', '--synth-command', SYNTH]);
  try {
    expect(c.stderr()).toContain(`reload: Reload/Py: ${path.join(dir, 'fn')} mounted read-only at /var/task (python)`);
    expect(await get(`${url}/py`)).toEqual({ status: 200, body: 'v1 1' });
    expect(await get(`${url}/py`)).toEqual({ status: 200, body: 'v1 2' }); // warm
    expect(builds(c.stderr())).toBe(1); // the image without its code layer, once

    const times: number[] = [];
    for (const version of ['v2', 'v3', 'v4']) {
      const saved = performance.now();
      fs.writeFileSync(path.join(dir, 'fn', 'app.py'), pyHandler(version));
      const answer = await waitFor(`the ${version} answer`, async () => {
        const a = await get(`${url}/py`);
        return a.body.startsWith(version) ? a : undefined;
      }, 20_000);
      times.push(performance.now() - saved);
      // A fresh runtime: the module was imported again (COUNT starts over), not served from a warm one's cache.
      expect(answer).toEqual({ status: 200, body: `${version} 1` });
    }
    console.log(`reload e2e: save to first new answer ${times.map(t => `${Math.round(t)} ms`).join(', ')}`);
    expect(builds(c.stderr())).toBe(1);
    expect(c.stderr()).not.toMatch(/^watch: /m); // no synth
    expect(c.stderr()).toContain('Reload/Py: its code changed: new containers from the next request (no build)');

    // A dependency: the manifest first, then the code that imports it; a request sent meanwhile waits.
    fs.writeFileSync(path.join(dir, 'fn', 'requirements.txt'), 'humanize==4.12.3\n');
    await waitFor('the rebuild notice', () => (/requirements\.txt, a dependency file of Reload\/Py, changed/.test(c.stderr()) ? true : undefined), 10_000);
    fs.writeFileSync(path.join(dir, 'fn', 'app.py'), pyHandler('v5', 'import humanize\n').replace('f"v5 {COUNT}"', 'f"v5 {COUNT} {humanize.intcomma(1234567)}"'));
    const answer = await get(`${url}/py`);
    expect(answer).toEqual({ status: 200, body: 'v5 1 1,234,567' });
    expect(c.stderr()).toMatch(/^watch: fn\/requirements\.txt changed: /m);
    expect(c.stderr()).toMatch(/Reload\/Py: its image changed in the assembly/);
    expect(builds(c.stderr())).toBe(2);
  } finally {
    fs.rmSync(path.join(dir, 'fn', 'requirements.txt'), { force: true });
    fs.writeFileSync(path.join(dir, 'fn', 'app.py'), pyHandler('v1'));
    await stop(c);
  }
});

/** A CDP session on the Node.js inspector's first target. */
async function cdp(port: number) {
  const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json() as Array<{ webSocketDebuggerUrl: string }>;
  const ws = new WebSocket(targets[0].webSocketDebuggerUrl.replace('localhost', '127.0.0.1'));
  await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = reject; });
  let id = 0;
  const pending = new Map<number, (result: any) => void>();
  const listeners: Array<(m: any) => void> = [];
  // Call frames name their script by id (V8 leaves CallFrame.url empty): the URLs come with scriptParsed.
  const scripts = new Map<string, string>();
  ws.onmessage = e => {
    const m = JSON.parse(String(e.data));
    if (m.method === 'Debugger.scriptParsed') scripts.set(m.params.scriptId, m.params.url);
    if (m.id !== undefined) pending.get(m.id)?.(m.result ?? m.error);
    else listeners.forEach(l => l(m));
  };
  return {
    scriptUrl: (scriptId: string) => scripts.get(scriptId),
    send: (method: string, params: object = {}) => new Promise<any>(resolve => {
      pending.set(++id, resolve);
      ws.send(JSON.stringify({ id, method, params }));
    }),
    event: (method: string) => new Promise<any>(resolve => listeners.push(m => { if (m.method === method) resolve(m.params); })),
    close: () => ws.close(),
  };
}

test('--debug-port with --reload: a breakpoint in a warm Node.js container, through the Chrome DevTools Protocol, in the user\'s file and line', async () => {
  const port = await freePort();
  const launch = path.join(dir, '.vscode', 'launch.json');
  const { cli: c, url } = await startApi(['--reload', '--synth-command', SYNTH, '--debug-port', String(port), '--debug-function', 'Node', '--launch-json', launch]);
  try {
    const mapping = `Reload/Node: 127.0.0.1:${port} (Node.js inspector (Chrome DevTools Protocol)), /var/task is ${path.join(dir, 'nodefn')}`;
    expect(c.stderr()).toContain(mapping);
    expect(JSON.parse(fs.readFileSync(launch, 'utf8')).configurations).toEqual([expect.objectContaining({
      type: 'node', request: 'attach', port, localRoot: path.join(dir, 'nodefn'), remoteRoot: '/var/task',
    })]);
    expect(await get(`${url}/node`)).toEqual({ status: 200, body: 'n1' }); // the runtime starts, its inspector listens
    const session = await cdp(port);
    try {
      await session.send('Debugger.enable');
      const set = await session.send('Debugger.setBreakpointByUrl', { urlRegex: 'index\\.js$', lineNumber: NODE_BREAK_LINE - 1 });
      expect(set.breakpointId).toBeDefined();
      const paused = session.event('Debugger.paused');
      const answer = get(`${url}/node`);
      const frame = (await paused).callFrames[0];
      const scriptUrl = session.scriptUrl(frame.location.scriptId)!;
      expect(scriptUrl).toBe('file:///var/task/index.js');
      expect(frame.location.lineNumber + 1).toBe(NODE_BREAK_LINE);
      // Mapped as the port map and launch.json say: the user's file, that line.
      const userFile = path.join(dir, 'nodefn', path.relative('/var/task', new URL(scriptUrl).pathname));
      expect(fs.readFileSync(userFile, 'utf8').split('\n')[NODE_BREAK_LINE - 1]).toBe('  const body = `n${calls}`;');
      await session.send('Debugger.resume');
      expect(await answer).toEqual({ status: 200, body: 'n2' }); // the same, warm container
    } finally {
      session.close();
    }
  } finally {
    await stop(c);
  }
});

/** A Debug Adapter Protocol client over TCP (Content-Length framing). */
async function dap(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject); });
  let buffer = Buffer.alloc(0);
  let seq = 0;
  const pending = new Map<number, (m: any) => void>();
  const listeners: Array<(m: any) => void> = [];
  socket.on('data', chunk => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const head = buffer.indexOf('\r\n\r\n');
      if (head < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, head).toString())![1]);
      if (buffer.length < head + 4 + length) return;
      const m = JSON.parse(buffer.subarray(head + 4, head + 4 + length).toString());
      buffer = buffer.subarray(head + 4 + length);
      if (m.type === 'response') pending.get(m.request_seq)?.(m);
      else if (m.type === 'event') listeners.forEach(l => l(m));
    }
  });
  return {
    request: (command: string, args: object = {}) => new Promise<any>(resolve => {
      pending.set(++seq, resolve);
      const body = JSON.stringify({ seq, type: 'request', command, arguments: args });
      socket.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    }),
    event: (name: string) => new Promise<any>(resolve => listeners.push(m => { if (m.event === name) resolve(m.body); })),
    close: () => socket.destroy(),
  };
}

test('--debug-port: a breakpoint in a warm Python container through debugpy (DAP), in the user\'s file and line; the image cdk-assets publishes is unchanged', async () => {
  execFileSync('/bin/sh', ['-c', SYNTH], { cwd: dir, env: processEnv() }); // the code as it is now, in the image
  const assembly = path.join(dir, 'cdk.out');
  const fn = readImageFunctions(assembly).find(f => f.path === 'Reload/Py')!;
  await buildFunction(assembly, 'Reload/Py', { engine: 'podman', quiet: true });
  const imageId = (tag: string) => execFileSync('podman', ['image', 'inspect', '--format', '{{.Id}}', tag], { env: processEnv(), encoding: 'utf8' }).trim();
  const published = localTag(fn.asset!);
  const before = imageId(published);

  const port = await freePort();
  const { cli: c, url } = await startApi(['--debug-port', String(port), '--debug-function', 'Reload/Py']);
  const hostFile = path.join(dir, 'fn', 'app.py');
  try {
    expect(c.stderr()).toContain(`Reload/Py: 127.0.0.1:${port} (debugpy (Debug Adapter Protocol)), /var/task is ${path.join(dir, 'fn')}`);
    expect(await get(`${url}/py`)).toEqual({ status: 200, body: 'v1 1' }); // the runtime starts with debugpy listening
    const session = await dap(port);
    try {
      const init = await session.request('initialize', { adapterID: 'debugpy', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true });
      expect(init.success).toBe(true);
      const initialized = session.event('initialized');
      const attached = session.request('attach', { justMyCode: true, pathMappings: [{ localRoot: path.join(dir, 'fn'), remoteRoot: '/var/task' }] });
      await initialized;
      const set = await session.request('setBreakpoints', { source: { path: hostFile }, breakpoints: [{ line: PY_BREAK_LINE }] });
      expect(set.success).toBe(true);
      await session.request('configurationDone');
      expect((await attached).success).toBe(true);
      const stopped = session.event('stopped');
      const answer = get(`${url}/py`);
      const { threadId } = await stopped;
      const trace = await session.request('stackTrace', { threadId });
      const frame = trace.body.stackFrames[0];
      expect(frame.source.path).toBe(hostFile); // debugpy mapped /var/task/app.py to the user's file
      expect(frame.line).toBe(PY_BREAK_LINE);
      expect(fs.readFileSync(hostFile, 'utf8').split('\n')[PY_BREAK_LINE - 1]).toBe('    COUNT += 1');
      await session.request('continue', { threadId });
      expect(await answer).toEqual({ status: 200, body: 'v1 2' }); // the same, warm container
    } finally {
      session.close();
    }
  } finally {
    await stop(c);
  }
  // debugpy went into a throwaway image of its own: the image cdk-assets would push is the same image.
  expect(imageId(published)).toBe(before);
  const layers = (tag: string): string[] => JSON.parse(execFileSync('podman', ['image', 'inspect', '--format', '{{json .RootFS.Layers}}', tag], { env: processEnv(), encoding: 'utf8' }));
  const debugLayers = layers(`${published}-debugpy`);
  expect(debugLayers.slice(0, -1)).toEqual(layers(published));
  expect(debugLayers).toHaveLength(layers(published).length + 1);
});
