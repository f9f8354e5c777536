/**
 * Registers a generated build context as a Docker image asset of its stack, once per content:
 * the context is staged straight into the cloud assembly (see build-context.ts) and the stack's
 * synthesizer gets the asset, as DockerImageAsset would register it.
 */
import * as path from 'path';
import { Stack, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ContextSpec, contextHash, stageContext } from './build-context';

export interface GeneratedAsset {
  readonly imageUri: string;
  /** The staged context, relative to the stack's assembly directory. */
  readonly assetPath: string;
  readonly hash: string;
}

/** Per stack: contexts already registered, by content hash. */
const registered = new WeakMap<Stack, Map<string, GeneratedAsset>>();

export interface GeneratedAssetOptions {
  readonly platform: string;
  readonly displayName: string;
  readonly buildSecrets?: Record<string, string>;
}

export function registerGeneratedImage(scope: IConstruct, spec: ContextSpec, options: GeneratedAssetOptions): GeneratedAsset {
  const hash = contextHash(spec);
  const stack = Stack.of(scope);
  let perStack = registered.get(stack);
  if (!perStack) {
    perStack = new Map();
    registered.set(stack, perStack);
  }
  let asset = perStack.get(hash);
  if (!asset) {
    const stage = Stage.of(stack);
    const outdir = stage?.assetOutdir;
    if (!outdir) {
      throw new Error(`${scope.node.path}: a generated image must be in a Stage (an App) to stage its build context.`);
    }
    // Relative to the stack's own assembly directory (nested stages keep assets at the top).
    const assetPath = path.relative(stage!.outdir, path.join(outdir, stageContext(outdir, hash, spec)));
    const location = stack.synthesizer.addDockerImageAsset({
      sourceHash: hash,
      directoryName: assetPath,
      dockerFile: 'Dockerfile',
      platform: options.platform,
      dockerBuildSecrets: options.buildSecrets,
      displayName: options.displayName,
    });
    asset = { imageUri: location.imageUri, assetPath, hash };
    perStack.set(hash, asset);
  }
  return asset;
}
