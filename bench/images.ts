/**
 * Shared by the benchmarks: the e2e engine environment, the local registry, the two ways to build
 * a handler directory (this library's generated Dockerfile, and a naive one), and the one-function
 * app the local-tooling benchmarks (bench/invoke.ts, bench/api.ts) run against SAM.
 */
import { execFileSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { engineEnv, REGISTRY } from '../e2e/helpers';
import { BaseImage, FunctionImage, LambdaContainerFunction } from '../src';
import { findFunction, readImageFunctions } from '../src/cli/local/assembly';
import { buildFunction, localTag } from '../src/cli/local/image-build';

export const OUT = path.join(__dirname, 'out');
export const env = engineEnv();
Object.assign(process.env, env);
export { REGISTRY };
export const ARCH = process.arch === 'arm64' ? 'arm64' : 'x86_64';

export function podman(args: string[], cwd?: string): string {
  return execFileSync('podman', args, { env, cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** Bytes the registry stores: the sum of its blob data files. */
export function registryBytes(): number {
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
export function layerSize(repo: string, tag: string, index: number): number {
  const layers = manifest(repo, tag).layers;
  return layers[(layers.length + index) % layers.length].size;
}

export function push(image: string, repo: string, tag: string): void {
  podman(['push', '--quiet', '--tls-verify=false', image, `${REGISTRY}/${repo}:${tag}`]);
}

export function handlerDir(dir: string, version: number, seedText = 'bench', files = 10, nonce = ''): void {
  fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
  const seed = crypto.createHash('sha256').update(seedText).digest();
  for (let i = 0; i < files; i++) {
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
  fs.writeFileSync(path.join(dir, 'app.py'), `import PIL\n\nRUN = ${JSON.stringify(nonce)}\nVERSION = ${version}\n\n\ndef handler(event, context):\n    return {"version": VERSION, "pillow": PIL.__version__}\n`);
}

/** Ours: synthesize, build as cdk-assets would, push. Returns the local image. */
export async function ours(dir: string): Promise<string> {
  const outdir = path.join(dir, '..', `${path.basename(dir)}.cdk.out`);
  fs.rmSync(outdir, { recursive: true, force: true });
  const app = new App({ outdir });
  const stack = new Stack(app, 'Bench');
  new LambdaContainerFunction(stack, 'Fn', {
    image: FunctionImage.fromEntry(dir, { baseImage: BaseImage.python('3.13'), dependencies: path.join(dir, 'requirements.txt') }),
    cmd: ['app.handler'],
    architecture: ARCH === 'arm64' ? lambda.Architecture.ARM_64 : lambda.Architecture.X86_64,
  });
  app.synth();
  await buildFunction(outdir, 'Fn', { engine: 'podman', quiet: true });
  return localTag(readImageFunctions(outdir)[0].asset!);
}

/** Naive: copy everything, then install the dependencies. */
export function naive(dir: string): string {
  fs.writeFileSync(path.join(dir, 'Dockerfile.naive'), [
    `FROM public.ecr.aws/lambda/python:3.13-${ARCH}`,
    'COPY . ${LAMBDA_TASK_ROOT}/',
    'RUN pip install --no-cache-dir --target "${LAMBDA_TASK_ROOT}" -r "${LAMBDA_TASK_ROOT}/requirements.txt"',
    'CMD [ "app.handler" ]',
    '',
  ].join('\n'));
  podman(['build', '--quiet', '--file', 'Dockerfile.naive', '--tag', `localhost/bench-naive-${path.basename(dir)}:latest`, '.'], dir);
  return `localhost/bench-naive-${path.basename(dir)}:latest`;
}

/** The raw manifest of an image in the local registry. */
export function manifest(repo: string, tag: string): { config: { digest: string; size: number }; layers: Array<{ digest: string; size: number }> } {
  return JSON.parse(execFileSync('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${REGISTRY}/${repo}:${tag}`], { env, encoding: 'utf8' }));
}

/**
 * A one-function app (Python on the AWS base image, `app.handler` from `handler`, 512 MB, the host's
 * architecture) synthesized into `root/cdk.out` with asset metadata, its image built; `extend` adds
 * to its stack (an API in front of it). Returns the assembly directory.
 */
export async function functionBenchApp(
  root: string, stackName: string, handler: string, extend?: (stack: Stack, fn: LambdaContainerFunction) => void,
): Promise<string> {
  const code = path.join(root, 'handler');
  fs.mkdirSync(code, { recursive: true });
  fs.writeFileSync(path.join(code, 'app.py'), handler);
  const outdir = path.join(root, 'cdk.out');
  fs.rmSync(outdir, { recursive: true, force: true });
  const app = new App({ outdir, context: { 'aws:cdk:enable-path-metadata': true, 'aws:cdk:enable-asset-metadata': true } });
  const stack = new Stack(app, stackName);
  const fn = new LambdaContainerFunction(stack, 'Fn', {
    baseImage: BaseImage.python('3.13'),
    entry: code,
    cmd: ['app.handler'],
    memorySize: 512,
    architecture: ARCH === 'arm64' ? lambda.Architecture.ARM_64 : lambda.Architecture.X86_64,
  });
  extend?.(stack, fn);
  app.synth();
  await buildFunction(outdir, 'Fn', { engine: 'podman', quiet: true });
  return outdir;
}

/** SAM reads the CDK template; for an image function it runs `<logical id, lower case>:latest`: tag the built image so. Returns the template. */
export function samTemplate(assembly: string, stackName: string): string {
  const fn = findFunction(assembly, 'Fn');
  podman(['tag', localTag(fn.asset!), `${fn.logicalId.toLowerCase()}:latest`]);
  return path.join(assembly, `${stackName}.template.json`);
}
