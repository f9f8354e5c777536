/**
 * Local HTTP API benchmark (needs the e2e tools and the SAM CLI: `npx projen bench:api` installs and
 * starts them).
 *
 * One Python function on the AWS base image (the stand-in here) behind an HTTP API route; its
 * handler times its own work. Measured in the same run, on the same image, warm:
 * - `cdk-lambda-container start-api` against `sam local start-api` (through podman's Docker API):
 *   requests per second and p50/p99 latency of sequential requests, and the ratio;
 * - `cdk-lambda-container start-lambda`: the overhead of a warm invocation over the handler's own
 *   time (round trip minus what the handler measured).
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { ARCH, env, functionBenchApp, OUT, samTemplate } from './images';
import { LocalApiServer } from '../src/cli/apigw/server';
import { LocalLambdaServer } from '../src/cli/local/lambda-server';

const ROOT = path.join(OUT, 'api');
const REQUESTS = Number(process.env.BENCH_API_REQUESTS ?? 300);
const WARMUP = 10;
const SAM = path.join(env.E2E_DIR!, 'sam-1.170.0', 'bin', 'sam');
const SAM_ENV = { ...env, DOCKER_HOST: `unix://${path.join(env.E2E_DIR!, 'run', 'podman.sock')}`, SAM_CLI_TELEMETRY: '0' };

const HANDLER = `import hashlib
import json
import time


def handler(event, context):
    started = time.perf_counter()
    digest = hashlib.sha256(b"x" * 100_000).hexdigest()
    return {"statusCode": 200, "headers": {"content-type": "application/json"},
            "body": json.dumps({"handlerMs": (time.perf_counter() - started) * 1000, "digest": digest})}
`;

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const ms = (n: number) => `${n < 10 ? n.toFixed(1) : Math.round(n)} ms`;

/** Sequential GETs after a warm-up: latencies and requests per second. */
async function load(url: string): Promise<{ latencies: number[]; rps: number; handler: number[] }> {
  const call = async () => {
    const sent = performance.now();
    const res = await fetch(url);
    const body = await res.text();
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${body}`);
    return { ms: performance.now() - sent, handlerMs: JSON.parse(body).handlerMs as number };
  };
  for (let i = 0; i < WARMUP; i++) await call();
  const latencies: number[] = [];
  const handler: number[] = [];
  const started = performance.now();
  for (let i = 0; i < REQUESTS; i++) {
    const r = await call();
    latencies.push(r.ms);
    handler.push(r.handlerMs);
  }
  return { latencies, rps: REQUESTS / ((performance.now() - started) / 1000), handler };
}

async function ours(assembly: string) {
  const server = new LocalApiServer(assembly, { port: 0, engine: 'podman', rie: env.E2E_RIE, build: false, maxContainersPerFunction: 1 });
  const [served] = await server.start();
  try {
    return await load(`${served.url}/bench`);
  } finally {
    await server.stop();
  }
}

async function oursInvokeOverhead(assembly: string): Promise<number[]> {
  const server = new LocalLambdaServer(assembly, { port: 0, engine: 'podman', rie: env.E2E_RIE, build: false, maxContainersPerFunction: 1 });
  const url = await server.start();
  try {
    const call = async () => {
      const sent = performance.now();
      const body = await (await fetch(`${url}/2015-03-31/functions/Fn/invocations`, { method: 'POST', body: '{"rawPath":"/bench"}' })).text();
      return performance.now() - sent - JSON.parse(JSON.parse(body).body).handlerMs;
    };
    for (let i = 0; i < WARMUP; i++) await call();
    const overheads: number[] = [];
    for (let i = 0; i < REQUESTS; i++) overheads.push(await call());
    return overheads;
  } finally {
    await server.stop();
  }
}

/** SAM reads the CDK template; for an image function it runs `<logical id, lower case>:latest`. */
async function sam(assembly: string) {
  const template = samTemplate(assembly, 'ApiBench');
  const port = 4001 + Math.floor(Math.random() * 1000);
  const server = spawn(SAM, ['local', 'start-api', '-t', template, '-p', String(port), '--warm-containers', 'EAGER', '--skip-pull-image'], { env: SAM_ENV, stdio: 'ignore', detached: true });
  try {
    for (let i = 0; ; i++) {
      if (await fetch(`http://127.0.0.1:${port}/bench`).then(r => r.status === 200, () => false)) break;
      if (i > 900) throw new Error('sam local start-api did not answer within 90 s');
      await new Promise(r => setTimeout(r, 100));
    }
    return await load(`http://127.0.0.1:${port}/bench`);
  } finally {
    process.kill(-server.pid!, 'SIGTERM');
  }
}

async function main() {
  fs.mkdirSync(ROOT, { recursive: true });
  const assembly = await functionBenchApp(ROOT, 'ApiBench', HANDLER, (stack, fn) => {
    new apigwv2.HttpApi(stack, 'Http').addRoutes({ path: '/bench', methods: [apigwv2.HttpMethod.GET], integration: new HttpLambdaIntegration('Bench', fn) });
  });
  const a = await ours(assembly);
  const overhead = await oursInvokeOverhead(assembly);
  const s = await sam(assembly);
  console.log(`Local HTTP API, one Python function behind an HTTP API route (AWS base image stand-in, ${ARCH}, podman), ${REQUESTS} sequential warm requests each, same image\n`);
  console.log('| measure | cdk-lambda-container start-api | SAM CLI 1.170.0 start-api | ratio ours/SAM |');
  console.log('|---|---|---|---|');
  console.log(`| requests per second | **${a.rps.toFixed(0)}** | ${s.rps.toFixed(0)} | ${(a.rps / s.rps).toFixed(2)} |`);
  console.log(`| latency p50 | **${ms(percentile(a.latencies, 0.5))}** | ${ms(percentile(s.latencies, 0.5))} | ${(percentile(a.latencies, 0.5) / percentile(s.latencies, 0.5)).toFixed(3)} |`);
  console.log(`| latency p99 | ${ms(percentile(a.latencies, 0.99))} | ${ms(percentile(s.latencies, 0.99))} | ${(percentile(a.latencies, 0.99) / percentile(s.latencies, 0.99)).toFixed(3)} |`);
  console.log(`| the handler's own time, p50 | ${ms(percentile(a.handler, 0.5))} | ${ms(percentile(s.handler, 0.5))} | – |`);
  console.log(`\nstart-lambda: a warm invocation's overhead over the handler's own time: p50 ${ms(percentile(overhead, 0.5))}, p99 ${ms(percentile(overhead, 0.99))} (${REQUESTS} invocations)`);
}

main().catch(e => { console.error(e); process.exitCode = 1; });
