/** `cdk-lambda-container build <function>`: builds a function's image exactly as cdk-assets would. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { findFunction, ImageAsset, ImageFunction } from './assembly';
import { engineSpawn, findEngine } from './engine';
import { writeStderr } from '../output';

/** The local tag cdk-assets gives an image asset before pushing it. */
export function localTag(asset: ImageAsset): string {
  return `cdkasset-${asset.hash.toLowerCase()}`;
}

/** The local tag of an asset's image built without its code layer, which `--reload` runs. */
export function reloadTag(asset: ImageAsset): string {
  return `${localTag(asset)}-reload`;
}

/**
 * The `build` arguments cdk-assets passes for this asset (same order and flags), run in the
 * asset's directory; attestations are off through the environment (BUILDX_NO_DEFAULT_ATTESTATIONS).
 */
export function buildArguments(asset: ImageAsset, override: { tag?: string; file?: string } = {}): string[] {
  const file = override.file ?? asset.dockerFile;
  return [
    'build',
    ...Object.entries(asset.buildArgs ?? {}).flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]),
    ...Object.entries(asset.buildSecrets ?? {}).flatMap(([k, v]) => ['--secret', `id=${k},${v}`]),
    '--tag', override.tag ?? localTag(asset),
    ...(asset.target ? ['--target', asset.target] : []),
    ...(file ? ['--file', file] : []),
    ...(asset.platform ? ['--platform', asset.platform] : []),
    '.',
  ];
}

export interface BuildResult {
  readonly tag: string;
  readonly engine: string;
  readonly seconds: number;
}

/**
 * Builds the image of `functionName` in the cloud assembly, asynchronously (a local endpoint keeps
 * answering other functions meanwhile); progress goes to stderr unless `quiet`.
 */
export async function buildFunction(
  assemblyDir: string, functionName: string, options: { engine?: string; quiet?: boolean } = {},
): Promise<BuildResult> {
  return buildImage(findFunction(assemblyDir, functionName), options);
}

/**
 * Builds a function's image: as cdk-assets would, or (`variant`) from another Dockerfile in the
 * same context under another local tag — the image `--reload` runs, without its code layer.
 */
export async function buildImage(
  fn: ImageFunction, options: { engine?: string; quiet?: boolean; variant?: { tag: string; dockerfile: string; what: string } } = {},
): Promise<BuildResult> {
  if (!fn.asset) {
    throw new Error(`${fn.path} uses an existing image (${JSON.stringify(fn.imageUri)}): there is nothing to build.`);
  }
  const engine = options.engine ?? findEngine();
  const variant = options.variant;
  const dir = variant ? fs.mkdtempSync(path.join(os.tmpdir(), 'clc-build-')) : undefined;
  try {
    const file = dir && path.join(dir, 'Dockerfile');
    if (file) fs.writeFileSync(file, variant!.dockerfile);
    const args = buildArguments(fn.asset, { tag: variant?.tag, file });
    const progress = options.quiet ? undefined : (chunk: string) => { writeStderr(chunk); };
    progress?.(`cdk-lambda-container: building ${fn.path}${variant ? ` ${variant.what}` : ''} (${fn.asset.platform ?? 'default platform'}) with ${engine}: ${engine} ${args.join(' ')}\n`);
    const start = Date.now();
    const result = await engineSpawn(engine, args, { cwd: fn.asset.directory, env: { BUILDX_NO_DEFAULT_ATTESTATIONS: '1' }, progress });
    if (result.error || result.status !== 0) {
      const why = result.stderr.trim().slice(-2000);
      throw new Error(`building ${fn.path}${variant ? ` ${variant.what}` : ''} failed (${engine} exit ${result.status ?? result.error?.message})${why && options.quiet ? `: ${why}` : ''}`);
    }
    return { tag: variant?.tag ?? localTag(fn.asset), engine, seconds: (Date.now() - start) / 1000 };
  } finally {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }
}
