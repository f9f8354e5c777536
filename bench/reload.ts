/**
 * Edit-to-answer benchmark (`npx projen bench:reload`; needs a compiled lib/, the e2e tools and
 * the SAM CLI, which the task installs and starts).
 *
 * One Python handler behind an HTTP API route (AWS base image stand-in, the host's architecture,
 * podman). Each of EDITS one-line edits changes the body the handler returns; the time measured
 * is from the save to the first 200 carrying the new body (requests sent back to back), for:
 * (a) `start-api --reload` (the code mounted, containers recycled);
 * (b) `start-api --watch` (synthesize, rebuild the changed layers, new containers);
 * (c) `sam build && sam local start-api`, restarted after each edit, on the same handler (SAM's own
 *     image-function project: a Dockerfile from the same base that copies app.py).
 * Same run, same machine; p50 and p90 and their ratios are printed as a Markdown table.
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ARCH, env, OUT } from './images';
import { freePort } from '../e2e/helpers';

const ROOT = path.join(OUT, 'reload');
const EDITS = Number(process.env.BENCH_RELOAD_EDITS ?? 20);
const REPO = path.join(__dirname, '..');
const SAM = path.join(env.E2E_DIR!, 'sam-1.170.0', 'bin', 'sam');
const SAM_ENV = { ...env, DOCKER_HOST: `unix://${path.join(env.E2E_DIR!, 'run', 'podman.sock')}`, SAM_CLI_TELEMETRY: '0' };
const BASE = `public.ecr.aws/lambda/python:3.13-${ARCH}`;

const handler = (body: string) => `import json


def handler(event, context):
    return {"statusCode": 200, "body": ${JSON.stringify(body)}}
`;

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const s = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;


/** Sends GETs back to back until one answers 200 with `body`; resolves to when that happened. */
async function firstAnswer(url: string, body: string, timeoutMs = 300_000): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const answered = await fetch(url).then(async r => r.status === 200 && await r.text() === body, () => false);
    if (answered) return performance.now();
    if (performance.now() > deadline) throw new Error(`${url} did not answer ${body} within ${timeoutMs / 1000} s`);
    await new Promise(r => setTimeout(r, 10));
  }
}

/** The CDK app (this package's lib/), synthesized by `node app.js` in ROOT/cdk. */
function cdkApp(): string {
  const dir = path.join(ROOT, 'cdk');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'fn'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'fn', 'app.py'), handler('edit-0'));
  fs.writeFileSync(path.join(dir, 'app.js'), `
const { App, Stack } = require('aws-cdk-lib');
const lambda = require('aws-cdk-lib/aws-lambda');
const apigwv2 = require('aws-cdk-lib/aws-apigatewayv2');
const { HttpLambdaIntegration } = require('aws-cdk-lib/aws-apigatewayv2-integrations');
const { BaseImage, LambdaContainerFunction } = require(${JSON.stringify(path.join(REPO, 'lib'))});
const app = new App({ outdir: 'cdk.out', context: { 'aws:cdk:enable-asset-metadata': true, 'aws:cdk:enable-path-metadata': true } });
const stack = new Stack(app, 'ReloadBench');
const fn = new LambdaContainerFunction(stack, 'Fn', {
  baseImage: BaseImage.python('3.13'), entry: 'fn', cmd: ['app.handler'], architecture: lambda.Architecture.${ARCH === 'arm64' ? 'ARM_64' : 'X86_64'},
});
new apigwv2.HttpApi(stack, 'Http').addRoutes({ path: '/bench', methods: [apigwv2.HttpMethod.GET], integration: new HttpLambdaIntegration('Bench', fn) });
app.synth();
`);
  execFileSync('node', ['app.js'], { cwd: dir, env: { ...process.env, NODE_PATH: path.join(REPO, 'node_modules') } });
  return dir;
}

/** Our start-api in the app's directory with `mode` (--reload or --watch); edits, then stops it. */
async function ours(mode: '--reload' | '--watch'): Promise<{ times: number[]; builds: number }> {
  const dir = cdkApp();
  const port = await freePort();
  const child = spawn('node', [path.join(REPO, 'lib', 'cli', 'main.js'), 'start-api', mode, '--synth-command', 'node app.js', '--port', String(port), '--max-containers', '1'], {
    cwd: dir, env: { ...process.env, NODE_PATH: path.join(REPO, 'node_modules'), AWS_EC2_METADATA_DISABLED: 'true' }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', c => { stderr += c; });
  try {
    const url = `http://127.0.0.1:${port}/bench`;
    await firstAnswer(url, 'edit-0');
    const buildsBefore = builds(stderr);
    const times = await edits(url, body => fs.writeFileSync(path.join(dir, 'fn', 'app.py'), handler(body)));
    return { times, builds: builds(stderr) - buildsBefore };
  } finally {
    child.kill('SIGINT');
    await new Promise(r => child.once('exit', r));
  }
}

const builds = (stderr: string) => (stderr.match(/^cdk-lambda-container: building /gm) ?? []).length;

/** EDITS saves, each timed to the first answer with its body. */
async function edits(url: string, save: (body: string) => void, after?: (body: string) => Promise<void>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 1; i <= EDITS; i++) {
    const body = `edit-${i}`;
    const saved = performance.now();
    save(body);
    await after?.(body);
    times.push(await firstAnswer(url, body) - saved);
    await new Promise(r => setTimeout(r, 500)); // the editor's next save comes later
  }
  return times;
}

/** SAM's own project: template.yaml, a Dockerfile from the same base, the same handler. */
async function sam(): Promise<number[]> {
  const dir = path.join(ROOT, 'sam');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'fn'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'fn', 'app.py'), handler('edit-0'));
  fs.writeFileSync(path.join(dir, 'fn', 'Dockerfile'), `FROM ${BASE}\nCOPY app.py \${LAMBDA_TASK_ROOT}/\nCMD [ "app.handler" ]\n`);
  fs.writeFileSync(path.join(dir, 'template.yaml'), [
    'AWSTemplateFormatVersion: "2010-09-09"',
    'Transform: AWS::Serverless-2016-10-31',
    'Resources:',
    '  Fn:',
    '    Type: AWS::Serverless::Function',
    '    Properties:',
    '      PackageType: Image',
    `      Architectures: [${ARCH}]`,
    '      Events:',
    '        Bench:',
    '          Type: HttpApi',
    '          Properties: { Path: /bench, Method: GET }',
    '    Metadata:',
    '      Dockerfile: Dockerfile',
    '      DockerContext: ./fn',
    '',
  ].join('\n'));
  const port = await freePort();
  let server: ChildProcess | undefined;
  const restart = async () => {
    if (server) {
      process.kill(-server.pid!, 'SIGTERM');
      await new Promise(r => server!.once('exit', r));
    }
    execFileSync(SAM, ['build', '--template', 'template.yaml'], { cwd: dir, env: SAM_ENV, stdio: 'ignore' });
    server = spawn(SAM, ['local', 'start-api', '--port', String(port), '--skip-pull-image'], { cwd: dir, env: SAM_ENV, stdio: 'ignore', detached: true });
  };
  try {
    await restart();
    const url = `http://127.0.0.1:${port}/bench`;
    await firstAnswer(url, 'edit-0');
    return await edits(url, body => fs.writeFileSync(path.join(dir, 'fn', 'app.py'), handler(body)), restart);
  } finally {
    if (server) process.kill(-server.pid!, 'SIGTERM');
  }
}

async function main() {
  fs.mkdirSync(ROOT, { recursive: true });
  const reload = await ours('--reload');
  const watch = await ours('--watch');
  const samTimes = await sam();
  const row = (name: string, times: number[], note: string) => {
    const p50 = percentile(times, 0.5);
    const p90 = percentile(times, 0.9);
    return `| ${name} | ${s(p50)} | ${s(p90)} | ${(percentile(reload.times, 0.5) / p50).toFixed(3)} | ${note} |`;
  };
  console.log(`Save to the first 200 with the new body, one Python function behind an HTTP API route (AWS base image stand-in, ${ARCH}, podman), ${EDITS} one-line edits each, same run\n`);
  console.log('| mode | p50 | p90 | (a) p50 / this p50 | builds during the edits |');
  console.log('|---|---|---|---|---|');
  console.log(row('(a) `start-api --reload`', reload.times, `${reload.builds}`));
  console.log(row('(b) `start-api --watch` (synth + rebuild)', watch.times, `${watch.builds}`));
  console.log(row('(c) `sam build && sam local start-api`, restarted', samTimes, `${EDITS} (\`sam build\` each)`));
}

main().catch(e => { console.error(e); process.exitCode = 1; });
