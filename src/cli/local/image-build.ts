/** `cdk-lambda-container build <function>`: builds a function's image exactly as cdk-assets would. */
import { findFunction, ImageAsset } from './assembly';
import { engineSpawn, findEngine } from './engine';
import { writeStderr } from '../output';

/** The local tag cdk-assets gives an image asset before pushing it. */
export function localTag(asset: ImageAsset): string {
  return `cdkasset-${asset.hash.toLowerCase()}`;
}

/**
 * The `build` arguments cdk-assets passes for this asset (same order and flags), run in the
 * asset's directory; attestations are off through the environment (BUILDX_NO_DEFAULT_ATTESTATIONS).
 */
export function buildArguments(asset: ImageAsset): string[] {
  return [
    'build',
    ...Object.entries(asset.buildArgs ?? {}).flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]),
    ...Object.entries(asset.buildSecrets ?? {}).flatMap(([k, v]) => ['--secret', `id=${k},${v}`]),
    '--tag', localTag(asset),
    ...(asset.target ? ['--target', asset.target] : []),
    ...(asset.dockerFile ? ['--file', asset.dockerFile] : []),
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
  const fn = findFunction(assemblyDir, functionName);
  if (!fn.asset) {
    throw new Error(`${fn.path} uses an existing image (${JSON.stringify(fn.imageUri)}): there is nothing to build.`);
  }
  const engine = options.engine ?? findEngine();
  const args = buildArguments(fn.asset);
  const progress = options.quiet ? undefined : (chunk: string) => { writeStderr(chunk); };
  progress?.(`cdk-lambda-container: building ${fn.path} (${fn.asset.platform ?? 'default platform'}) with ${engine}: ${engine} ${args.join(' ')}\n`);
  const start = Date.now();
  const result = await engineSpawn(engine, args, { cwd: fn.asset.directory, env: { BUILDX_NO_DEFAULT_ATTESTATIONS: '1' }, progress });
  if (result.error || result.status !== 0) {
    const why = result.stderr.trim().slice(-2000);
    throw new Error(`building ${fn.path} failed (${engine} exit ${result.status ?? result.error?.message})${why && options.quiet ? `: ${why}` : ''}`);
  }
  return { tag: localTag(fn.asset), engine, seconds: (Date.now() - start) / 1000 };
}
