/**
 * API Gateway conformance of start-api against `sam local start-api` (`npx projen bench:apigw`;
 * needs the e2e tools and the SAM CLI, which the task installs and starts).
 *
 * The conformance app (e2e/fixtures/apigw-conformance) is synthesized and its one image built; the
 * cases of e2e/fixtures/apigw-conformance/conformance.ts run against start-api (both APIs), then
 * against SAM on the same templates: SAM serves every API of a template on one port, so each stack
 * (ApiConformanceHttp, ApiConformanceRest) gets a `sam local start-api` of its own. SAM runs an
 * image function as `<logical id in lower case>:latest`: the built image is tagged so for each.
 * Prints each case's result for both and the pass rates as Markdown.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ARCH, env, OUT, podman } from './images';
import { conformanceApp } from '../e2e/fixtures/apigw-conformance/app';
import { CASES, CaseResult, IAM_CREDENTIALS, runConformance, Tokens } from '../e2e/fixtures/apigw-conformance/conformance';
import { freePort } from '../e2e/helpers';
import { LocalApiServer } from '../src/cli/apigw/server';
import { readImageFunctions } from '../src/cli/local/assembly';
import { buildFunction, localTag } from '../src/cli/local/image-build';

const ROOT = path.join(OUT, 'apigw-conformance');
const SAM = path.join(env.E2E_DIR!, 'sam-1.170.0', 'bin', 'sam');
const SAM_ENV = { ...env, DOCKER_HOST: `unix://${path.join(env.E2E_DIR!, 'run', 'podman.sock')}`, SAM_CLI_TELEMETRY: '0' };

async function ours(assembly: string, tokens: Tokens): Promise<CaseResult[]> {
  const server = new LocalApiServer(assembly, { port: 0, engine: 'podman', rie: env.E2E_RIE, build: false, jwks: [tokens.jwksFile], credentials: IAM_CREDENTIALS });
  const served = await server.start();
  try {
    const url = (kind: string) => served.find(s => s.api.kind === kind)!.url;
    return await runConformance({ http: url('http-api'), rest: url('rest-api') }, tokens);
  } finally {
    await server.stop();
  }
}

/** `sam local start-api` on one stack's template, until it answers; stopped by the returned function. */
async function samServer(assembly: string, stack: string, probe: string): Promise<{ url: string; stop: () => void }> {
  const port = await freePort();
  const log = fs.openSync(path.join(ROOT, `sam-${stack}.log`), 'w');
  const child = spawn(SAM, ['local', 'start-api', '-t', path.join(assembly, `${stack}.template.json`), '-p', String(port), '--skip-pull-image', '--warm-containers', 'EAGER'],
    { env: SAM_ENV, stdio: ['ignore', log, log], detached: true });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (await fetch(`${url}${probe}`).then(() => true, () => false)) break;
    if (i > 1200 || child.exitCode !== null) throw new Error(`sam local start-api (${stack}) did not answer within 120 s: see ${ROOT}/sam-${stack}.log`);
    await new Promise(r => setTimeout(r, 100));
  }
  return { url, stop: () => { try { process.kill(-child.pid!, 'SIGTERM'); } catch { /* gone */ } } };
}

async function sam(assembly: string, tokens: Tokens): Promise<CaseResult[]> {
  for (const fn of readImageFunctions(assembly)) podman(['tag', localTag(fn.asset!), `${fn.logicalId.toLowerCase()}:latest`]);
  const http = await samServer(assembly, 'ApiConformanceHttp', '/open');
  try {
    const rest = await samServer(assembly, 'ApiConformanceRest', '/open');
    try {
      return await runConformance({ http: http.url, rest: rest.url }, tokens);
    } finally {
      rest.stop();
    }
  } finally {
    http.stop();
  }
}

async function main() {
  fs.rmSync(ROOT, { recursive: true, force: true });
  fs.mkdirSync(ROOT, { recursive: true });
  const assembly = conformanceApp(path.join(ROOT, 'cdk.out'), ARCH === 'arm64' ? lambda.Architecture.ARM_64 : lambda.Architecture.X86_64);
  await buildFunction(assembly, 'ApiConformanceHttp/Echo', { engine: 'podman', quiet: true });
  const tokens = new Tokens(ROOT);
  const a = await ours(assembly, tokens);
  const s = await sam(assembly, tokens);
  const mark = (r: CaseResult) => (r.passed ? 'pass' : `**fail**: ${r.failures.join('; ').replace(/\s+/g, ' ').replace(/\|/g, '\\|').slice(0, 160)}`);
  console.log(`API Gateway conformance: ${CASES.length} cases (e2e/fixtures/apigw-conformance/conformance.ts), ${ARCH}, podman, same templates and image\n`);
  console.log('| case | API | expected | cdk-lambda-container start-api | SAM CLI 1.170.0 start-api |');
  console.log('|---|---|---|---|---|');
  for (const [i, c] of CASES.entries()) console.log(`| ${c.id}: ${c.title} | ${c.api} | ${c.expect.status} | ${mark(a[i])} | ${mark(s[i])} |`);
  const rate = (rs: CaseResult[]) => `${rs.filter(r => r.passed).length}/${rs.length} (${((100 * rs.filter(r => r.passed).length) / rs.length).toFixed(0)}%)`;
  console.log(`\n| pass rate | cdk-lambda-container start-api | SAM CLI 1.170.0 start-api |\n|---|---|---|\n| all cases | **${rate(a)}** | ${rate(s)} |`);
  for (const api of ['http', 'rest'] as const) {
    const pick = (rs: CaseResult[]) => rs.filter((_, i) => CASES[i].api === api);
    console.log(`| ${api === 'http' ? 'HTTP API' : 'REST API'} cases | ${rate(pick(a))} | ${rate(pick(s))} |`);
  }
}

main().catch(e => { console.error(e); process.exit(1); });
