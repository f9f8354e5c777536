/**
 * Rebuild-cost benchmark (needs the e2e tools: run `scripts/e2e/setup.sh` first, or `npx projen e2e`).
 *
 * A ~1 MB handler directory with Pillow as its dependency is built and pushed to the local
 * registry; one line of the handler changes; the image is rebuilt and pushed again. The ratio is
 * bytes the second push adds to the registry ÷ size of the new code layer (1.0 is the physical
 * limit), for the Dockerfile this library generates and for a naive one (copy everything, then
 * install the dependencies), measured in the same run.
 *
 *   npx projen bench:rebuild
 */
import { execFileSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { BaseImage, LambdaContainerFunction } from '../src';
import { buildFunction, localTag } from '../src/cli/build';
import { readImageFunctions } from '../src/cli/cloud-assembly';

const ROOT = path.join(__dirname, 'out', 'rebuild');
const env: NodeJS.ProcessEnv = (() => {
  const out = execFileSync('bash', ['-c', `source ${path.join(__dirname, '..', 'scripts/e2e/env.sh')} && env -0`], { encoding: 'utf8' });
  return Object.fromEntries(out.split('\0').filter(l => l.includes('=')).map(l => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
})();
Object.assign(process.env, env);
const REGISTRY = env.E2E_REGISTRY!;
const ARCH = process.arch === 'arm64' ? 'arm64' : 'x86_64';

function podman(args: string[], cwd?: string): string {
  return execFileSync('podman', args, { env, cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** Bytes the registry stores: the sum of its blob data files. */
function registryBytes(): number {
  const blobs = path.join(env.E2E_DIR!, 'registry', 'docker', 'registry', 'v2', 'blobs', 'sha256');
  if (!fs.existsSync(blobs)) return 0;
  let total = 0;
  for (const a of fs.readdirSync(blobs)) {
    for (const b of fs.readdirSync(path.join(blobs, a))) {
      const data = path.join(blobs, a, b, 'data');
      if (fs.existsSync(data)) total += fs.statSync(data).size;
    }
  }
  return total;
}

/** Compressed size of the manifest's layer `index` (negative: from the end). */
function layerSize(repo: string, tag: string, index: number): number {
  const manifest = JSON.parse(execFileSync('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${REGISTRY}/${repo}:${tag}`], { env, encoding: 'utf8' }));
  const layers = manifest.layers as Array<{ size: number }>;
  return layers[(layers.length + index) % layers.length].size;
}

function push(image: string, repo: string, tag: string): void {
  podman(['push', '--quiet', '--tls-verify=false', image, `${REGISTRY}/${repo}:${tag}`]);
}

function handlerDir(dir: string, version: number): void {
  fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
  const seed = crypto.createHash('sha256').update('bench').digest();
  for (let i = 0; i < 10; i++) {
    const file = path.join(dir, 'data', `model-${i}.bin`);
    if (!fs.existsSync(file)) {
      // ~100 kB of deterministic, incompressible bytes per file.
      const chunks: Buffer[] = [];
      let block = crypto.createHash('sha256').update(seed).update(String(i)).digest();
      for (let n = 0; n < 3200; n++) { block = crypto.createHash('sha256').update(block).digest(); chunks.push(block); }
      fs.writeFileSync(file, Buffer.concat(chunks));
    }
  }
  fs.writeFileSync(path.join(dir, 'requirements.txt'), 'pillow==11.3.0\n');
  fs.writeFileSync(path.join(dir, 'app.py'), `import PIL\n\nVERSION = ${version}\n\n\ndef handler(event, context):\n    return {"version": VERSION, "pillow": PIL.__version__}\n`);
}

/** Ours: synthesize, build as cdk-assets would, push. Returns the local image. */
function ours(dir: string): string {
  const outdir = path.join(ROOT, 'cdk.out');
  fs.rmSync(outdir, { recursive: true, force: true });
  const app = new App({ outdir });
  const stack = new Stack(app, 'Bench');
  new LambdaContainerFunction(stack, 'Fn', {
    baseImage: BaseImage.python('3.13'),
    code: dir,
    dependencies: path.join(dir, 'requirements.txt'),
    cmd: ['app.handler'],
    architecture: ARCH === 'arm64' ? lambda.Architecture.ARM_64 : lambda.Architecture.X86_64,
  });
  app.synth();
  buildFunction(outdir, 'Fn', { engine: 'podman', quiet: true });
  return localTag(readImageFunctions(outdir)[0].asset!);
}

/** Naive: copy everything, then install the dependencies. */
function naive(dir: string): string {
  fs.writeFileSync(path.join(dir, 'Dockerfile.naive'), [
    `FROM public.ecr.aws/lambda/python:3.13-${ARCH}`,
    'COPY . ${LAMBDA_TASK_ROOT}/',
    'RUN pip install --no-cache-dir --target "${LAMBDA_TASK_ROOT}" -r "${LAMBDA_TASK_ROOT}/requirements.txt"',
    'CMD [ "app.handler" ]',
    '',
  ].join('\n'));
  podman(['build', '--quiet', '--file', 'Dockerfile.naive', '--tag', 'localhost/bench-naive:latest', '.'], dir);
  return 'localhost/bench-naive:latest';
}

function measure(name: string, build: (dir: string) => string, codeLayerIndex: number) {
  const dir = path.join(ROOT, name);
  fs.rmSync(dir, { recursive: true, force: true });
  handlerDir(dir, 1);
  const repo = `bench/${name}-${Date.now()}`;
  push(build(dir), repo, 'v1');
  handlerDir(dir, 2); // a one-line change
  const started = Date.now();
  const image = build(dir);
  const rebuildSeconds = (Date.now() - started) / 1000;
  const before = registryBytes();
  push(image, repo, 'v2');
  const added = registryBytes() - before;
  const codeLayer = layerSize(repo, 'v2', codeLayerIndex);
  return { name, added, codeLayer, ratio: added / codeLayer, rebuildSeconds };
}

function main() {
  fs.mkdirSync(ROOT, { recursive: true });
  const rows = [
    measure('generated', ours, -1), // the code layer is the last one
    measure('naive', naive, -2), //    COPY . then RUN pip install: the code layer is the one before
  ];
  const kb = (b: number) => `${(b / 1024).toFixed(0)} kB`;
  console.log('Rebuild cost after a one-line change to a ~1 MB handler (Pillow dependency), pushed to a local registry\n');
  console.log('| Dockerfile | bytes the push adds | new code layer | ratio (1.0 = physical limit) | rebuild time |');
  console.log('|---|---|---|---|---|');
  for (const r of rows) {
    console.log(`| ${r.name} | ${kb(r.added)} | ${kb(r.codeLayer)} | **${r.ratio.toFixed(3)}** | ${r.rebuildSeconds.toFixed(1)} s |`);
  }
}

main();
