/** Helpers of the end-to-end suite: the engine environment, assembly synthesis, registry checks. */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { App } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';

export const REPO = path.resolve(__dirname, '..');
export const E2E_DIR = engineEnv().E2E_DIR!;
export const REGISTRY = process.env.E2E_REGISTRY ?? '127.0.0.1:5000';
export const ENGINE = 'podman';

/** The host's architecture: the only one this machine can run. */
export const HOST_ARCH = os.arch() === 'arm64' ? lambda.Architecture.ARM_64 : lambda.Architecture.X86_64;
export const HOST_PLATFORM_ARCH = os.arch() === 'arm64' ? 'arm64' : 'amd64';

/** The variables scripts/e2e/env.sh exports, for engine calls made from tests. */
export function engineEnv(): NodeJS.ProcessEnv {
  const out = execFileSync('bash', ['-c', `source ${path.join(REPO, 'scripts/e2e/env.sh')} && env -0`], { encoding: 'utf8' });
  const env: NodeJS.ProcessEnv = {};
  for (const line of out.split('\0')) {
    const i = line.indexOf('=');
    if (i > 0) env[line.slice(0, i)] = line.slice(i + 1);
  }
  return env;
}

/** Synthesizes `build(app)` into a fresh directory under E2E_DIR and returns it. */
export function synth(name: string, build: (app: App) => void): string {
  const outdir = path.join(E2E_DIR, 'assemblies', name);
  fs.rmSync(outdir, { recursive: true, force: true });
  // As the CDK CLI synthesizes: construct paths and asset metadata in the template.
  const app = new App({ outdir, context: { 'aws:cdk:enable-path-metadata': true, 'aws:cdk:enable-asset-metadata': true } });
  build(app);
  app.synth();
  return outdir;
}

/** Runs the engine with the suite's configuration. */
export function engine(args: string[], env = engineEnv()): string {
  return execFileSync(ENGINE, args, { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** The raw manifest of an image in the local registry, as the registry serves it. */
export interface RawManifest {
  readonly mediaType?: string;
  readonly schemaVersion: number;
  readonly config?: { digest: string };
  /** Present on an image index / manifest list only. */
  readonly manifests?: unknown[];
}

export function registryManifest(repository: string, tag: string, env = engineEnv()): RawManifest {
  return JSON.parse(execFileSync('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${REGISTRY}/${repository}:${tag}`], { env, encoding: 'utf8' }));
}

/** The image config (architecture, os) of an image in the local registry. */
export function registryConfig(repository: string, tag: string, env = engineEnv()): { architecture: string; os: string } {
  return JSON.parse(execFileSync('skopeo', ['inspect', '--config', '--tls-verify=false', `docker://${REGISTRY}/${repository}:${tag}`], { env, encoding: 'utf8' }));
}

/** A width × height RGB PNG with a gradient, made here so the test needs no image file. */
export function png(width: number, height: number): Buffer {
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    rows[y * (width * 3 + 1)] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      const i = y * (width * 3 + 1) + 1 + x * 3;
      rows[i] = (x * 255) / width; rows[i + 1] = (y * 255) / height; rows[i + 2] = 128;
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(zlib.crc32(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0); header.writeUInt32BE(height, 4);
  header[8] = 8; header[9] = 2; // 8-bit RGB
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', zlib.deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

/** A CloudFormation string expression (a string, Fn::Sub, Fn::Join, Ref of pseudo parameters) for one account and region. */
export function evaluateExpression(expr: any, account: string, region: string): string {
  const refs: Record<string, string> = { 'AWS::AccountId': account, 'AWS::Region': region, 'AWS::URLSuffix': 'amazonaws.com', 'AWS::Partition': 'aws' };
  const evaluate = (e: any): string => {
    if (typeof e === 'string') return e;
    if (e['Fn::Sub']) return (e['Fn::Sub'] as string).replace(/\$\{([^}]+)\}/g, (_, name) => refs[name]);
    if (e['Fn::Join']) return e['Fn::Join'][1].map(evaluate).join(e['Fn::Join'][0]);
    if (e.Ref) return refs[e.Ref];
    throw new Error(`cannot evaluate ${JSON.stringify(e)}`);
  };
  return evaluate(expr);
}

/** A port of 127.0.0.1 free now (for a tool that takes a fixed port: --debug-port, --port). */
export function freePort(): Promise<number> {
  return new Promise(resolve => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}
