/**
 * Local-invoke benchmark (needs the e2e tools and the SAM CLI: `npx projen bench:invoke` installs
 * and starts them).
 *
 * One Python function on the AWS base image (the stand-in here) whose handler times its own work
 * and returns that time. Measured in the same run, on the same image:
 * - ours: `cdk-lambda-container invoke` — cold: container created, then start to first response
 *   (in process, and the whole CLI process); warm: one container, round trip minus the handler's
 *   own time (the overhead of emulator, runtime client and HTTP);
 * - SAM: `sam local invoke` (whole process, cold every time) and `sam local start-lambda` with
 *   warm containers, through podman's Docker API.
 */
import { execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ARCH, env, functionBenchApp, OUT, samTemplate } from './images';
import { startFunction } from '../src/cli/local/container';

const ROOT = path.join(OUT, 'invoke');
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 5);
const SAM_COLD_RUNS = Number(process.env.BENCH_SAM_COLD_RUNS ?? 3);
const WARM_RUNS = Number(process.env.BENCH_WARM_RUNS ?? 100);
const SAM = path.join(env.E2E_DIR!, 'sam-1.170.0', 'bin', 'sam');
const SAM_ENV = { ...env, DOCKER_HOST: `unix://${path.join(env.E2E_DIR!, 'run', 'podman.sock')}`, SAM_CLI_TELEMETRY: '0' };
const CLI = path.join(__dirname, '..', 'lib', 'cli', 'main.js');
const EVENT = Buffer.from(JSON.stringify({ size: 1_000_000 }));

const HANDLER = `import hashlib
import time


def handler(event, context):
    started = time.perf_counter()
    digest = hashlib.sha256(b"x" * event["size"]).hexdigest()
    return {"handlerMs": (time.perf_counter() - started) * 1000, "digest": digest}
`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.9))];
const ms = (n: number) => (n < 10 ? `${n.toFixed(1)} ms` : n < 10_000 ? `${Math.round(n)} ms` : `${(n / 1000).toFixed(1)} s`);
const handlerMs = (body: string) => JSON.parse(body).handlerMs as number;

async function oursCold(assembly: string) {
  const create: number[] = [];
  const firstResponse: number[] = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    const running = await startFunction(assembly, 'Fn', { engine: 'podman', rie: env.E2E_RIE, build: false });
    try {
      const first = await running.invoke(EVENT);
      create.push(running.createMs);
      firstResponse.push(first.receivedAt - running.startedAt);
    } finally {
      await running.stop();
    }
  }
  return { create: median(create), firstResponse: median(firstResponse) };
}

/** The whole CLI process, as a user runs it (image already built). */
function oursCliSeconds(assembly: string): number {
  const eventFile = path.join(ROOT, 'event.json');
  fs.writeFileSync(eventFile, EVENT);
  const walls: number[] = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    const started = performance.now();
    const r = spawnSync('node', [CLI, 'invoke', 'Fn', '--app', assembly, '--event', eventFile, '--no-build', '--rie', env.E2E_RIE!], { env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`cdk-lambda-container invoke failed: ${r.stderr}`);
    handlerMs(r.stdout); // the answer is the handler's
    walls.push(performance.now() - started);
  }
  return median(walls);
}

async function oursWarm(assembly: string): Promise<number[]> {
  const running = await startFunction(assembly, 'Fn', { engine: 'podman', rie: env.E2E_RIE, build: false });
  try {
    for (let i = 0; i < 5; i++) await running.invoke(EVENT); // the first is the cold start
    const overheads: number[] = [];
    for (let i = 0; i < WARM_RUNS; i++) {
      const r = await running.invoke(EVENT);
      overheads.push(r.roundTripMs - handlerMs(r.body));
    }
    return overheads;
  } finally {
    await running.stop();
  }
}

function samCold(template: string, eventFile: string): number {
  const walls: number[] = [];
  for (let i = 0; i < SAM_COLD_RUNS; i++) {
    const started = performance.now();
    const r = spawnSync(SAM, ['local', 'invoke', '-t', template, 'Fn', '-e', eventFile, '--skip-pull-image'], { env: SAM_ENV, encoding: 'utf8', timeout: 600_000 });
    if (r.status !== 0) throw new Error(`sam local invoke failed: ${r.stderr.slice(-2000)}`);
    handlerMs(r.stdout.trim().split('\n').pop()!);
    walls.push(performance.now() - started);
  }
  return median(walls);
}

async function samWarm(template: string): Promise<{ overheads: number[]; first: number }> {
  const port = 3001 + Math.floor(Math.random() * 1000);
  const server = spawn(SAM, ['local', 'start-lambda', '-t', template, '-p', String(port), '--warm-containers', 'LAZY', '--skip-pull-image'], { env: SAM_ENV, stdio: 'ignore', detached: true });
  const url = `http://127.0.0.1:${port}/2015-03-31/functions/Fn/invocations`;
  try {
    for (let i = 0; ; i++) {
      if (await fetch(`http://127.0.0.1:${port}/`).then(() => true, () => false)) break;
      if (i > 600) throw new Error('sam local start-lambda did not listen');
      await new Promise(r => setTimeout(r, 100));
    }
    const call = async () => {
      const sent = performance.now();
      const body = await (await fetch(url, { method: 'POST', body: EVENT })).text();
      return { roundTripMs: performance.now() - sent, body };
    };
    const first = (await call()).roundTripMs;
    for (let i = 0; i < 4; i++) await call();
    const overheads: number[] = [];
    for (let i = 0; i < WARM_RUNS; i++) {
      const r = await call();
      overheads.push(r.roundTripMs - handlerMs(r.body));
    }
    return { overheads, first };
  } finally {
    process.kill(-server.pid!, 'SIGTERM');
  }
}

async function main() {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npx projen compile\` first`);
  fs.mkdirSync(ROOT, { recursive: true });
  const assembly = await functionBenchApp(ROOT, 'InvokeBench', HANDLER);
  const cold = await oursCold(assembly);
  const cli = oursCliSeconds(assembly);
  const warm = await oursWarm(assembly);
  const template = samTemplate(assembly, 'InvokeBench');
  const eventFile = path.join(ROOT, 'event.json');
  const sam = samCold(template, eventFile);
  const samW = await samWarm(template);

  console.log(`Local invoke of one Python function (AWS base image stand-in, ${ARCH}, podman, ${execFileSync('podman', ['info', '--format', '{{.Store.GraphDriverName}}'], { env, encoding: 'utf8' }).trim()} storage), same image for both tools\n`);
  console.log('| measure | cdk-lambda-container | SAM CLI 1.170.0 | ratio ours/SAM |');
  console.log('|---|---|---|---|');
  console.log(`| cold: container created | ${ms(cold.create)} | – | – |`);
  console.log(`| cold: container start to first response (target ≤ 1.5 s) | **${ms(cold.firstResponse)}** | – | – |`);
  console.log(`| cold: all before the first answer, image built (SAM start-lambda: rapid image, create, start) | ${ms(cold.create + cold.firstResponse)} | ${ms(samW.first)} | ${((cold.create + cold.firstResponse) / samW.first).toFixed(3)} |`);
  console.log(`| one invoke, whole CLI process (image built) | ${ms(cli)} | ${ms(sam)} (sam local invoke) | ${(cli / sam).toFixed(3)} |`);
  console.log(`| warm: overhead over the handler's own time, median (target ≤ 10 ms) | **${ms(median(warm))}** | ${ms(median(samW.overheads))} | ${(median(warm) / median(samW.overheads)).toFixed(3)} |`);
  console.log(`| warm: overhead, p90 | ${ms(p90(warm))} | ${ms(p90(samW.overheads))} | ${(p90(warm) / p90(samW.overheads)).toFixed(3)} |`);
  console.log(`\nmedians of ${COLD_RUNS} cold runs (SAM: ${SAM_COLD_RUNS}) and ${WARM_RUNS} warm invocations each`);
}

main().catch(e => { console.error(e); process.exitCode = 1; });
