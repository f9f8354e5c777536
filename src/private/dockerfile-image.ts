/**
 * A function image built from your own Dockerfile: linted at synth, built for the function's
 * architecture, and, with layers, composed with the layers' stages and staged into the cloud
 * assembly like a generated context.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Annotations, Stack, Stage } from 'aws-cdk-lib';
import * as ecr_assets from 'aws-cdk-lib/aws-ecr-assets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct, IConstruct } from 'constructs';
import { architectureName } from './architecture';
import { ContextSpec } from './build-context';
import { addImageResourceMetadata, registerGeneratedImage } from './generated-asset';
import { layerSteps } from './image-recipe';
import { routeTo } from './image-routing';
import { BoundFunctionImage, ImageSource } from './image-source';
import { layerHelperImage, ResolvedLayers, resolveLayers } from './layer-binding';
import { fail, requireDirectory, warn } from './problems';
import { composeDockerfile } from '../dockerfile/compose';
import { lintDockerfile, LintRule } from '../dockerfile/lint';
import { I } from '../dockerfile/model';
import type { ImageAssetOptions } from '../types';
import { WarningId, WarningIds } from '../warnings';

const IMAGE_SCOPE_ID = 'LambdaContainerImages';
/** Where layers' files go in a copy of your build context (out of the way of your own files). */
const OWN_CONTEXT_LAYERS_DIR = '.cdk-lambda-container/layers';

/** The warning each lint rule reports under (credentials are an error, not a warning). */
const LINT_WARNINGS: Record<Exclude<LintRule, 'credentials'>, WarningId> = {
  relativeEntrypoint: WarningIds.DOCKERFILE_RELATIVE_ENTRYPOINT,
  relativeWorkdir: WarningIds.DOCKERFILE_RELATIVE_WORKDIR,
  ignoredInstruction: WarningIds.DOCKERFILE_IGNORED_INSTRUCTION,
  singleStageCompilers: WarningIds.DOCKERFILE_SINGLE_STAGE_COMPILERS,
  codeBeforeDependencies: WarningIds.DOCKERFILE_CODE_BEFORE_DEPENDENCIES,
};

export class DockerfileImage implements ImageSource {
  constructor(private readonly directory: string, private readonly options: ImageAssetOptions) {}

  public bind(scope: Construct, architecture: lambda.Architecture): BoundFunctionImage {
    const platform = architecture.dockerPlatform;
    const dir = requireDirectory(scope, 'directory', this.directory, 'give the directory to build in (the Docker build context)');
    const file = this.options.file ?? 'Dockerfile';
    if (!fs.existsSync(path.join(dir, file))) {
      fail(scope, { prop: 'file', value: JSON.stringify(file), message: `no such file in the build context ${dir}`, fix: 'give the Dockerfile path relative to the build context directory' });
    }
    if (this.options.platform && this.options.platform.platform !== platform) {
      fail(scope, { prop: 'platform', value: JSON.stringify(this.options.platform.platform), message: `it contradicts the function's architecture ${architecture.name} (which needs ${platform}); the image would fail with "exec format error"`, fix: 'remove platform (it follows architecture) or set architecture to match it' });
    }
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    lintOwnDockerfile(scope, text, file);
    const layers = this.options.imageLayers ?? [];
    if (layers.length === 0) return this.bindAsIs(scope, platform, dir, file);
    const resolved = resolveLayers(scope, layers, architectureName(scope, architecture), OWN_CONTEXT_LAYERS_DIR);
    return this.bindWithLayers(scope, architecture, dir, file, text, resolved);
  }

  /** Your context and Dockerfile as they are: a `DockerImageAsset`, one per distinct build in the stack. */
  private bindAsIs(scope: Construct, platform: string, dir: string, file: string): BoundFunctionImage {
    const stack = Stack.of(scope);
    const repository = this.options.repository;
    const key = crypto.createHash('sha256')
      .update(JSON.stringify([dir, file, this.options.buildArgs ?? {}, this.options.target ?? '', this.options.exclude ?? [], platform, repository?.repositoryName ?? '']))
      .digest('hex').slice(0, 16);
    const images = (stack.node.tryFindChild(IMAGE_SCOPE_ID) as Construct | undefined) ?? new Construct(stack, IMAGE_SCOPE_ID);
    let asset = images.node.tryFindChild(key) as ecr_assets.DockerImageAsset | undefined;
    if (!asset) {
      const assetProps: ecr_assets.DockerImageAssetProps = {
        directory: dir,
        file,
        buildArgs: this.options.buildArgs,
        target: this.options.target,
        exclude: this.options.exclude,
        platform: ecr_assets.Platform.custom(platform),
        displayName: `${scope.node.path}/Image`,
      };
      const routing = repository && routeTo(scope, repository);
      asset = routing
        ? routing.synthesizer._withRoute(routing.route, () => new ecr_assets.DockerImageAsset(images, key, assetProps))
        : new ecr_assets.DockerImageAsset(images, key, assetProps);
    }
    const imageAsset = asset;
    return {
      imageUri: imageAsset.imageUri,
      routed: repository && { repository, imageTag: imageAsset.imageTag },
      imageHasCmd: true,
      addResourceMetadata: resource => imageAsset.addResourceMetadata(resource, 'Code.ImageUri'),
    };
  }

  /**
   * Your Dockerfile with the layers' stages and COPY steps, in a copy of your context (what
   * `.dockerignore` and `exclude` leave in) with the layers' files, staged into the cloud assembly
   * once per content like a generated context.
   */
  private bindWithLayers(
    scope: Construct, architecture: lambda.Architecture, dir: string, file: string, text: string, layers: ResolvedLayers,
  ): BoundFunctionImage {
    const arch = architectureName(scope, architecture);
    const { stages, copies } = layerSteps(layers.recipe, layerHelperImage(arch));
    if (Object.keys(layers.environment).length > 0) copies.push(I.env(layers.environment));
    let dockerfile: string;
    try {
      dockerfile = composeDockerfile(text, { stages, copies });
    } catch (e) {
      fail(scope, { prop: 'file', value: JSON.stringify(file), message: `the layers cannot be added: ${(e as Error).message}`, fix: 'give a Dockerfile with a FROM instruction' });
    }
    const { buildArgs, target } = this.options;
    const spec: ContextSpec = {
      dockerfile,
      dockerfileName: file,
      // .dockerignore is applied here and left out: its patterns could hide the layers' folder.
      baseContext: { dir, exclude: [...dockerignorePatterns(dir), ...(this.options.exclude ?? []), '.dockerignore', ...assemblyInside(scope, dir)] },
      codeExclude: [],
      dependencyFiles: [],
      extraHash: JSON.stringify([architecture.dockerPlatform, buildArgs ?? {}, target ?? '']),
      layers: layers.context,
      files: layers.files,
    };
    const options = { buildArgs, target };
    const asset = registerGeneratedImage(scope, spec, {
      ...options,
      platform: architecture.dockerPlatform,
      buildSecrets: layers.buildSecrets,
      displayName: `${scope.node.path}/Image`,
      repository: this.options.repository,
    });
    return {
      imageUri: asset.imageUri,
      routed: asset.routed,
      imageHasCmd: true,
      addResourceMetadata: resource => addImageResourceMetadata(resource, asset, spec, options),
    };
  }
}

/** The patterns of a context's `.dockerignore`, as `DockerImageAsset` reads them. */
function dockerignorePatterns(dir: string): string[] {
  const file = path.join(dir, '.dockerignore');
  return fs.existsSync(file)
    ? fs.readFileSync(file, 'utf8').split(/\r?\n/).map(l => l.trim()).filter(l => l && !l.startsWith('#'))
    : [];
}

/** The cloud assembly's asset directory, when it is inside the context: never copied into itself. */
function assemblyInside(scope: IConstruct, dir: string): string[] {
  const outdir = Stage.of(scope)?.assetOutdir;
  const rel = outdir ? path.relative(dir, path.resolve(outdir)) : '..';
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? [rel.split(path.sep).join('/')] : [];
}

/** Your Dockerfile's lint findings, as annotations on the function (credentials fail the synth). */
function lintOwnDockerfile(scope: IConstruct, text: string, display: string): void {
  for (const finding of lintDockerfile(text)) {
    const message = `${display}:${finding.line}: ${finding.message}. Fix: ${finding.fix}.`;
    if (finding.rule === 'credentials') {
      Annotations.of(scope).addError(message);
    } else {
      warn(scope, LINT_WARNINGS[finding.rule], message);
    }
  }
}
