import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Annotations, IgnoreStrategy, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecr_assets from 'aws-cdk-lib/aws-ecr-assets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct, IConstruct } from 'constructs';
import { BaseImage } from './base-image';
import { DEFAULT_CODE_EXCLUDES } from './private/build-context';
import { dependencyKindOf, detectDependencies, KNOWN_MANIFESTS } from './private/dependencies';
import { composeDockerfile } from './dockerfile/compose';
import { lintDockerfile } from './dockerfile/lint';
import { I } from './dockerfile/model';
import { renderDockerfile } from './dockerfile/render';
import { ExtensionImageLayer } from './extension-image-layer';
import { registerGeneratedImage } from './private/generated-asset';
import { ArchitectureName, codeDestination, CONTEXT_LAYERS_DIR, functionImageRecipe, layerSteps, platformOf, TASK_ROOT } from './private/image-recipe';
import { layerHelperImage, resolveLayers, stageComposedContext } from './private/layer-binding';
import { checkImageConfig, formatProblem, Problem } from './private/limits';
import { RoutedImage, routeTo } from './private/image-routing';
import { ISharedImageRepository } from './shared-image-repository';

/** Props of an image built from a Dockerfile this library generates. */
export interface FunctionImageBuildProps {
  /** The image to start FROM: an AWS Lambda base image, or any Linux image with a Runtime Interface Client. */
  readonly baseImage: BaseImage;

  /**
   * Directory of the handler sources, copied into `${LAMBDA_TASK_ROOT}` (AWS base images) or
   * `/function` (other base images), as the last and most volatile layer.
   */
  readonly code: string;

  /**
   * A dependency manifest (`requirements.txt`, `package.json` with its `package-lock.json`
   * beside it, `Gemfile`, or `go.mod`), installed in its own layer before the code so a code
   * change never reinstalls dependencies. Its lockfile is copied with it when present.
   * @default - the manifest of the base image's language found at the top of `code`, if any
   * (see `detectDependencies`)
   */
  readonly dependencies?: string;

  /**
   * Whether, without `dependencies`, the manifest of the base image's language at the top of
   * `code` is installed, as aws-lambda-python-alpha and NodejsFunction do: `requirements.txt`
   * (python), `package.json` that declares dependencies, with `package-lock.json` (nodejs),
   * `Gemfile` (ruby), `go.mod` (go). A manifest of another language there is an error (it would
   * not be installed); so is a `package.json` with dependencies and no lockfile. Files excluded
   * by `exclude` are not looked at. Set `false` to copy such files with the code and install nothing.
   * @default true
   */
  readonly detectDependencies?: boolean;

  /**
   * Glob patterns (relative to `code`) left out of the image.
   * @default - .git, node_modules, __pycache__, *.pyc, .venv, cdk.out, .DS_Store, .pytest_cache
   */
  readonly exclude?: string[];

  /**
   * CMD baked into the image (functions can override it with their own `cmd`).
   * @default - none in the image: each function gives its `cmd`
   */
  readonly cmd?: string[];

  /**
   * ENTRYPOINT baked into the image (absolute path).
   * @default - the base image's (AWS base images), or the Runtime Interface Client's
   */
  readonly entrypoint?: string[];

  /**
   * WORKDIR baked into the image (absolute path).
   * @default - the base image's (AWS base images), or `/function`
   */
  readonly workingDirectory?: string;

  /**
   * ENV baked into the image. Prefer the function's `environment` for configuration: it does
   * not change the image, so it does not cost a build.
   * @default - none
   */
  readonly environment?: { [key: string]: string };

  /**
   * Lambda layers and extensions for the image: copied in the order given, right after the base
   * image and before the dependencies and the code, so a code change never rebuilds them.
   * @default - none
   */
  readonly layers?: ExtensionImageLayer[];

  /**
   * A shared repository to publish the image into (its stack deployed first; the stack of the
   * image needs `SharedImageRepositorySynthesizer`). Functions running it mark it in use there.
   * @default - the bootstrap repository, as plain CDK does
   */
  readonly repository?: ISharedImageRepository;
}

/** Options of an image built from your own Dockerfile. */
export interface DockerfileImageOptions {
  /**
   * Path of the Dockerfile, relative to the build context directory.
   * @default 'Dockerfile'
   */
  readonly file?: string;

  /**
   * Build arguments (`--build-arg`). Never pass credentials here: they end up in the asset
   * manifest and the image history.
   * @default - none
   */
  readonly buildArgs?: { [key: string]: string };

  /**
   * Target stage to build (`--target`).
   * @default - the last stage
   */
  readonly target?: string;

  /**
   * Glob patterns of the build context to leave out (added to `.dockerignore`).
   * @default - what .dockerignore says
   */
  readonly exclude?: string[];

  /**
   * Platform to build for. Must agree with the function's `architecture` (it is set from it
   * when omitted): a contradiction is an error, never a silent override.
   * @default - the function's architecture
   */
  readonly platform?: ecr_assets.Platform;

  /**
   * Lambda layers and extensions added to your Dockerfile: their stages go before its first
   * FROM, their COPY steps right after the final stage's FROM (below everything your final stage
   * does). The build runs on a copy of the context with the layers' files added.
   * @default - none
   */
  readonly layers?: ExtensionImageLayer[];

  /**
   * A shared repository to publish the image into (its stack deployed first; the stack of the
   * image needs `SharedImageRepositorySynthesizer`). Functions running it mark it in use there.
   * @default - the bootstrap repository, as plain CDK does
   */
  readonly repository?: ISharedImageRepository;
}

/** Options of an existing image in ECR. */
export interface EcrImageOptions {
  /**
   * Tag or digest (`sha256:…`) of the image. A digest or an immutable, content-addressed tag is
   * strongly recommended: re-pointing a tag does not update functions that use it.
   */
  readonly tagOrDigest: string;
}

/**
 * A function's image, bound to a function: its URI and what is needed to describe it.
 * @internal
 */
export interface BoundFunctionImage {
  readonly imageUri: string;
  /** Whether Lambda needs a CMD (handler); undefined when unknown (bring-your-own images). */
  readonly requiresHandler?: boolean;
  /** Whether the image itself sets CMD. */
  readonly imageHasCmd: boolean;
  /** Whether the image sets its own ENTRYPOINT (which then decides whether it needs a CMD). */
  readonly imageHasEntrypoint?: boolean;
  /** The base image, when the Dockerfile is generated. */
  readonly baseImage?: BaseImage;
  /** Checks a function-level ENTRYPOINT executable against the build context (symlinks). */
  readonly checkEntrypoint?: (exe: string) => Problem | undefined;
  /** Where the image is published, when it goes to a shared repository (functions mark it in use). */
  readonly routed?: RoutedImage;
  /** Adds `aws:asset:*` metadata (for SAM and the local tooling) to the function resource. */
  readonly addResourceMetadata?: (resource: import('aws-cdk-lib').CfnResource) => void;
}

const IMAGE_SCOPE_ID = 'LambdaContainerImages';
/** Where layers' files go in a copy of your build context (out of the way of your own files). */
const OWN_CONTEXT_LAYERS_DIR = '.cdk-lambda-container/layers';

/**
 * Where a `LambdaContainerFunction`'s image comes from. One `FunctionImage` can serve many
 * functions, each with its own `cmd`/`entrypoint`/`workingDirectory` (ImageConfig): it is
 * built and pushed once per architecture.
 */
export abstract class FunctionImage {
  /**
   * An image built from a Dockerfile generated by this library (AWS's layer order, multi-stage
   * for non-AWS base images, architecture-specific base tags). Functions whose generated images
   * are identical share one asset automatically, even across `FunctionImage` objects.
   */
  public static fromBuild(props: FunctionImageBuildProps): FunctionImage {
    return new GeneratedImage(props);
  }

  /** An image built from your own Dockerfile in `directory` (the build context). */
  public static fromDockerfile(directory: string, options: DockerfileImageOptions = {}): FunctionImage {
    return new DockerfileImage(directory, options);
  }

  /** An existing image in an ECR repository (same region as the function). */
  public static fromEcr(repository: ecr.IRepository, options: EcrImageOptions): FunctionImage {
    return new EcrImage(repository, options);
  }

  /**
   * Binds the image to a function of the given architecture.
   * @internal
   */
  public abstract _bind(scope: Construct, architecture: ArchitectureName): BoundFunctionImage;
}

function fail(scope: IConstruct, prop: string, value: string, message: string, fix: string): never {
  throw new Error(formatProblem(scope.node.path, { prop, value, message, fix }));
}


class GeneratedImage extends FunctionImage {
  /** Bound once per stack and architecture: N functions sharing this image check, render and hash it once. */
  private readonly bound = new Map<string, BoundFunctionImage>();

  constructor(private readonly props: FunctionImageBuildProps) {
    super();
  }

  public _bind(scope: Construct, architecture: ArchitectureName): BoundFunctionImage {
    const key = `${Stack.of(scope).node.addr}/${architecture}`;
    let bound = this.bound.get(key);
    if (!bound) {
      bound = this.bindOnce(scope, architecture);
      this.bound.set(key, bound);
    }
    return bound;
  }

  private bindOnce(scope: Construct, architecture: ArchitectureName): BoundFunctionImage {
    const image = this.props;
    const baseImage = image.baseImage;
    const codeDir = path.resolve(this.props.code);
    if (!fs.existsSync(codeDir) || !fs.statSync(codeDir).isDirectory()) {
      fail(scope, 'code', JSON.stringify(this.props.code), `no such directory (resolved to ${codeDir})`, 'give the directory that holds the handler sources, relative to where `cdk synth` runs or absolute');
    }
    const problems = checkImageConfig({ cmd: image.cmd, entrypoint: image.entrypoint, workingDirectory: image.workingDirectory });
    if (problems.length > 0) {
      throw new Error(problems.map(p => formatProblem(scope.node.path, { ...p, prop: `image ${p.prop}` })).join('\n'));
    }
    const ric = baseImage.ric?._recipe;
    const dependencies = this.resolveDependencies(scope, ric?.language ?? baseImage.family, codeDir);
    const destination = codeDestination({ ric });
    const checkEntrypoint = (exe: string) => entrypointSymlinkProblem(codeDir, destination, exe);
    const imageEntrypointProblem = image.entrypoint && checkEntrypoint(image.entrypoint[0]);
    if (imageEntrypointProblem) {
      throw new Error(formatProblem(scope.node.path, { ...imageEntrypointProblem, prop: 'image entrypoint' }));
    }

    const layers = resolveLayers(scope, this.props.layers ?? [], architecture, CONTEXT_LAYERS_DIR);
    const dockerfile = renderDockerfile(functionImageRecipe({
      base: baseImage._uriFor(architecture),
      layers: layers.recipe,
      layerEnvironment: layers.environment,
      ric,
      dependencies: dependencies && {
        kind: dependencies.kind, files: dependencies.files.map(f => path.basename(f)), detected: dependencies.detected,
      },
      image: { cmd: image.cmd, entrypoint: image.entrypoint, workingDirectory: image.workingDirectory, environment: image.environment },
    }));
    const platform = platformOf(architecture);
    const spec = {
      dockerfile,
      codeDir,
      codeExclude: this.props.exclude ?? DEFAULT_CODE_EXCLUDES,
      dependencyFiles: dependencies?.files ?? [],
      extraHash: platform,
      layers: layers.context,
      files: layers.files,
    };
    const asset = registerGeneratedImage(scope, spec, {
      platform,
      buildSecrets: layers.buildSecrets,
      displayName: `${Stack.of(scope).node.path}/ContainerImage/${path.basename(codeDir)}-${architecture}`,
      repository: this.props.repository,
    });
    const assetPath = asset.assetPath;
    return {
      imageUri: asset.imageUri,
      routed: asset.routed,
      requiresHandler: baseImage._requiresHandler,
      imageHasCmd: image.cmd !== undefined,
      imageHasEntrypoint: image.entrypoint !== undefined,
      baseImage,
      checkEntrypoint,
      addResourceMetadata: resource => {
        if (!resource.node.tryGetContext(cxapi.ASSET_RESOURCE_METADATA_ENABLED_CONTEXT)) return;
        resource.cfnOptions.metadata = {
          ...resource.cfnOptions.metadata,
          [cxapi.ASSET_RESOURCE_METADATA_PATH_KEY]: assetPath,
          [cxapi.ASSET_RESOURCE_METADATA_DOCKERFILE_PATH_KEY]: 'Dockerfile',
          [cxapi.ASSET_RESOURCE_METADATA_DOCKER_BUILD_ARGS_KEY]: {},
          [cxapi.ASSET_RESOURCE_METADATA_PROPERTY_KEY]: 'Code.ImageUri',
        };
      },
    };
  }

  private resolveDependencies(scope: IConstruct, language: string | undefined, codeDir: string) {
    if (this.props.dependencies !== undefined) return this.checkManifest(scope, this.props.dependencies, language, false);
    if (this.props.detectDependencies === false) return undefined;
    const ignore = IgnoreStrategy.glob(codeDir, [...(this.props.exclude ?? DEFAULT_CODE_EXCLUDES)]);
    const names = fs.readdirSync(codeDir, { withFileTypes: true })
      .filter(e => e.isFile() && !ignore.ignores(path.join(codeDir, e.name))).map(e => e.name);
    const found = detectDependencies(names, language, name => fs.readFileSync(path.join(codeDir, name), 'utf8'));
    const code = JSON.stringify(this.props.code);
    for (const f of found.foreign) {
      fail(scope, 'code', code, `it holds ${f.file}, a ${f.kind} manifest for ${f.language}, and the base image is ${language}: it would be copied and not installed`,
        `move ${f.file} out of the code directory, add it to exclude, use a ${f.language} base image, or set detectDependencies: false`);
    }
    if (found.unsupported) {
      fail(scope, 'code', code, `its ${found.unsupported.file} is not installable: ${found.unsupported.why}`, found.unsupported.fix);
    }
    for (const file of found.notInstalled) {
      Annotations.of(scope).addWarningV2('cdk-lambda-container:dependenciesNotInstalled',
        `${scope.node.path}: code ${code} has ${file} and no requirements.txt: its dependencies are not installed. `
        + 'Export them (`uv export --no-hashes -o requirements.txt`, `poetry export -o requirements.txt`) or give `dependencies`.');
    }
    return found.manifest === undefined ? undefined : this.checkManifest(scope, path.join(codeDir, found.manifest), language, true);
  }

  private checkManifest(scope: IConstruct, manifest: string, language: string | undefined, detected: boolean) {
    const file = path.resolve(manifest);
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
      fail(scope, 'dependencies', JSON.stringify(manifest), `no such file (resolved to ${file})`, `give the path of the dependency manifest: ${KNOWN_MANIFESTS}`);
    }
    const info = dependencyKindOf(path.basename(file));
    if (!info) {
      fail(scope, 'dependencies', JSON.stringify(manifest), 'unknown dependency manifest', `use one of ${KNOWN_MANIFESTS}, or install dependencies in your own Dockerfile with FunctionImage.fromDockerfile`);
    }
    if (info.language !== language) {
      fail(scope, 'dependencies', JSON.stringify(manifest), `a ${info.kind} manifest cannot be installed on a ${language ?? 'custom'} base image`, `use the ${language ?? 'base image\'s'} language's manifest, or a base image for ${info.language}`);
    }
    const dir = path.dirname(file);
    const companions = info.companions.map(c => path.join(dir, c)).filter(c => fs.existsSync(c));
    if (info.requiredCompanion && companions.length === 0) {
      fail(scope, 'dependencies', JSON.stringify(manifest), `no ${info.requiredCompanion.join(' or ')} beside it (the image installs with \`npm ci\`, which needs a lockfile)`, `run \`npm install\` in ${dir} and keep the lockfile`);
    }
    return { kind: info.kind, files: [file, ...companions], detected };
  }
}

/** Lambda rejects an entrypoint that is a symlink: catch it when it comes from the code directory. */
function entrypointSymlinkProblem(codeDir: string, destination: string, exe: string): Problem | undefined {
  for (const prefix of [destination, TASK_ROOT.replace(/[{}]/g, ''), '/var/task']) {
    if (exe.startsWith(prefix + '/')) {
      const source = path.join(codeDir, exe.slice(prefix.length + 1));
      if (isSymlink(source)) {
        return { prop: 'entrypoint', value: JSON.stringify(exe), message: `it is a symlink in the build context (${source} -> ${fs.readlinkSync(source)}), and Lambda does not run a symlinked entrypoint`, fix: 'point entrypoint at the real file, or replace the link with the file itself' };
      }
      return undefined;
    }
  }
  return undefined;
}

function isSymlink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

class DockerfileImage extends FunctionImage {
  constructor(private readonly directory: string, private readonly options: DockerfileImageOptions) {
    super();
  }

  public _bind(scope: Construct, architecture: ArchitectureName): BoundFunctionImage {
    const platform = platformOf(architecture);
    const dir = path.resolve(this.directory);
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
      fail(scope, 'buildContext', JSON.stringify(this.directory), `no such directory (resolved to ${dir})`, 'give the directory to build in (the Docker build context)');
    }
    const file = this.options.file ?? 'Dockerfile';
    if (!fs.existsSync(path.join(dir, file))) {
      fail(scope, 'dockerfile', JSON.stringify(file), `no such file in the build context ${dir}`, 'give the Dockerfile path relative to the build context');
    }
    if (this.options.platform && this.options.platform.platform !== platform) {
      fail(scope, 'platform', JSON.stringify(this.options.platform.platform), `it contradicts the function's architecture ${architecture} (which needs ${platform}); the image would fail with "exec format error"`, 'remove platform (it follows architecture) or set architecture to match it');
    }
    lintOwnDockerfile(scope, path.join(dir, file), file);
    const layers = this.options.layers && this.options.layers.length > 0
      ? resolveLayers(scope, this.options.layers, architecture, OWN_CONTEXT_LAYERS_DIR)
      : undefined;
    const stack = Stack.of(scope);
    const repository = this.options.repository;
    const key = crypto.createHash('sha256')
      .update(JSON.stringify([dir, file, this.options.buildArgs ?? {}, this.options.target ?? '', this.options.exclude ?? [], platform, layers?.fingerprint ?? '', repository?.repositoryName ?? '']))
      .digest('hex').slice(0, 16);
    const images = (stack.node.tryFindChild(IMAGE_SCOPE_ID) as Construct | undefined) ?? new Construct(stack, IMAGE_SCOPE_ID);
    let asset = images.node.tryFindChild(key) as ecr_assets.DockerImageAsset | undefined;
    if (!asset) {
      let directory = dir;
      if (layers) {
        const { stages, copies } = layerSteps(layers.recipe, layerHelperImage(architecture));
        if (Object.keys(layers.environment).length > 0) copies.push(I.env(layers.environment));
        let text: string;
        try {
          text = composeDockerfile(fs.readFileSync(path.join(dir, file), 'utf8'), { stages, copies });
        } catch (e) {
          fail(scope, 'dockerfile', JSON.stringify(file), `the layers cannot be added: ${(e as Error).message}`, 'give a Dockerfile with a FROM instruction');
        }
        directory = stageComposedContext(dir, file, text, layers, this.options.exclude ?? []);
      }
      const assetProps: ecr_assets.DockerImageAssetProps = {
        directory,
        file,
        buildArgs: this.options.buildArgs,
        buildSecrets: layers?.buildSecrets,
        target: this.options.target,
        exclude: layers ? undefined : this.options.exclude,
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
}

/** Your Dockerfile's lint findings, as annotations on the function (credentials fail the synth). */
function lintOwnDockerfile(scope: IConstruct, file: string, display: string): void {
  for (const finding of lintDockerfile(fs.readFileSync(file, 'utf8'))) {
    const text = `${display}:${finding.line}: ${finding.message}. Fix: ${finding.fix}.`;
    if (finding.severity === 'error') {
      Annotations.of(scope).addError(text);
    } else {
      Annotations.of(scope).addWarningV2(`cdk-lambda-container:dockerfile-${finding.rule}`, text);
    }
  }
}

class EcrImage extends FunctionImage {
  constructor(private readonly repository: ecr.IRepository, private readonly options: EcrImageOptions) {
    super();
  }

  public _bind(scope: Construct): BoundFunctionImage {
    const tagOrDigest = this.options.tagOrDigest;
    if (tagOrDigest === 'latest') {
      fail(scope, 'tagOrDigest', '"latest"', 're-pointing a mutable tag never updates a deployed function, so "latest" deploys whatever it pointed to first', 'use the image digest (sha256:…) or an immutable, content-addressed tag');
    }
    // Same as aws-cdk-lib's EcrImageCode: Lambda pulls with its service principal.
    this.repository.grantPull(new iam.ServicePrincipal('lambda.amazonaws.com'));
    return {
      imageUri: this.repository.repositoryUriForTagOrDigest(tagOrDigest),
      imageHasCmd: true,
    };
  }
}
