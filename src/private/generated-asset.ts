/**
 * Registers a generated build context as a Docker image asset of its stack, once per content:
 * the context is staged straight into the cloud assembly (see build-context.ts) and the stack's
 * synthesizer gets the asset, as DockerImageAsset would register it.
 */
import * as path from 'path';
import { CfnResource, Stack, Stage } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { IConstruct } from 'constructs';
import { ContextSpec, contextHash, stageContext } from './build-context';
import { CODE_METADATA_KEY, CodeMetadata } from './image-recipe';
import { RoutedImage, routeTo } from './image-routing';
import { fail } from './problems';
import { ISharedImageRepository } from '../shared-image-repository';

export interface GeneratedAsset {
  readonly imageUri: string;
  /** The staged context, relative to the stack's assembly directory. */
  readonly assetPath: string;
  readonly hash: string;
  /** Where the image is published, when it goes to a shared repository. */
  readonly routed?: RoutedImage;
}

/** Per App (the construct tree's root): directory fingerprints of this synthesis. */
const fingerprints = new WeakMap<IConstruct, Map<string, string>>();

/** Per stack: contexts already registered, by content hash. */
const registered = new WeakMap<Stack, Map<string, GeneratedAsset>>();

export interface GeneratedAssetOptions {
  readonly platform: string;
  readonly displayName: string;
  readonly buildSecrets?: Record<string, string>;
  readonly buildArgs?: Record<string, string>;
  readonly target?: string;
  /** Publish into a shared repository instead of the bootstrap one (the lineage is named after `scope`). */
  readonly repository?: ISharedImageRepository;
}

export function registerGeneratedImage(scope: IConstruct, spec: ContextSpec, options: GeneratedAssetOptions): GeneratedAsset {
  const stack = Stack.of(scope);
  const root = stack.node.root;
  let memo = fingerprints.get(root);
  if (!memo) {
    memo = new Map();
    fingerprints.set(root, memo);
  }
  const hash = contextHash(spec, memo);
  let perStack = registered.get(stack);
  if (!perStack) {
    perStack = new Map();
    registered.set(stack, perStack);
  }
  const key = options.repository ? `${hash}@${options.repository.repositoryName}` : hash;
  let asset = perStack.get(key);
  if (!asset) {
    const stage = Stage.of(stack);
    const outdir = stage?.assetOutdir;
    if (!outdir) {
      fail(scope, { prop: 'scope', value: `(the root ${stack.node.root.constructor.name})`, message: 'an image built at synth needs a Stage (an App) to stage its build context', fix: 'create the stack inside a cdk.App (or a Stage)' });
    }
    // Relative to the stack's own assembly directory (nested stages keep assets at the top).
    const assetPath = path.relative(stage!.outdir, path.join(outdir, stageContext(outdir, hash, spec)));
    const source = {
      sourceHash: hash,
      directoryName: assetPath,
      dockerFile: spec.dockerfileName ?? 'Dockerfile',
      platform: options.platform,
      dockerBuildArgs: options.buildArgs,
      dockerBuildTarget: options.target,
      dockerBuildSecrets: options.buildSecrets,
      displayName: options.displayName,
    };
    const routing = options.repository && routeTo(scope, options.repository);
    if (routing) {
      const location = routing.synthesizer._addRoutedImage(routing.route, source);
      asset = { imageUri: location.imageUri, assetPath, hash, routed: { repository: routing.repository, imageTag: location.imageTag! } };
    } else {
      asset = { imageUri: stack.synthesizer.addDockerImageAsset(source).imageUri, assetPath, hash };
    }
    perStack.set(key, asset);
  }
  return asset;
}

/**
 * Adds the `aws:asset:*` metadata of a generated image to a function resource (for SAM and the
 * local tooling), as `DockerImageAsset.addResourceMetadata` does for its own assets.
 */
export function addImageResourceMetadata(resource: CfnResource, asset: GeneratedAsset, spec: ContextSpec, options: Pick<GeneratedAssetOptions, 'buildArgs' | 'target'> = {}): void {
  if (!resource.node.tryGetContext(cxapi.ASSET_RESOURCE_METADATA_ENABLED_CONTEXT)) return;
  resource.cfnOptions.metadata = {
    ...resource.cfnOptions.metadata,
    [cxapi.ASSET_RESOURCE_METADATA_PATH_KEY]: asset.assetPath,
    [cxapi.ASSET_RESOURCE_METADATA_DOCKERFILE_PATH_KEY]: spec.dockerfileName ?? 'Dockerfile',
    [cxapi.ASSET_RESOURCE_METADATA_DOCKER_BUILD_ARGS_KEY]: options.buildArgs ?? {},
    ...(options.target ? { [cxapi.ASSET_RESOURCE_METADATA_DOCKER_BUILD_TARGET_KEY]: options.target } : {}),
    [cxapi.ASSET_RESOURCE_METADATA_PROPERTY_KEY]: 'Code.ImageUri',
    ...(spec.codeDir ? { [CODE_METADATA_KEY]: codeMetadata(resource, spec.codeDir, spec.codeExclude) } : {}),
  };
}

/** Where the code directory is, for `--reload`: relative to the stack's assembly directory, as `aws:asset:path`. */
function codeMetadata(resource: CfnResource, codeDir: string, exclude: readonly string[]): CodeMetadata {
  const outdir = Stage.of(resource)!.outdir;
  return { path: path.relative(outdir, path.resolve(codeDir)).split(path.sep).join('/'), exclude: [...exclude] };
}
