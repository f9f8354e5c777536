import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecr_assets from 'aws-cdk-lib/aws-ecr-assets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { BaseImage } from './base-image';
import { ExtensionImageLayer } from './extension-image-layer';
import { DockerfileImage } from './private/dockerfile-image';
import { EcrImage } from './private/ecr-image';
import { GeneratedImage } from './private/generated-image';
import { BoundFunctionImage, ImageSource } from './private/image-source';
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
    return new SourcedFunctionImage(new GeneratedImage(props));
  }

  /** An image built from your own Dockerfile in `directory` (the build context). */
  public static fromDockerfile(directory: string, options: DockerfileImageOptions = {}): FunctionImage {
    return new SourcedFunctionImage(new DockerfileImage(directory, options));
  }

  /** An existing image in an ECR repository (same region as the function). */
  public static fromEcr(repository: ecr.IRepository, options: EcrImageOptions): FunctionImage {
    return new SourcedFunctionImage(new EcrImage(repository, options));
  }

  /**
   * Binds the image to a function of the given architecture.
   * @internal
   */
  public abstract _bind(scope: Construct, architecture: lambda.Architecture): BoundFunctionImage;
}

/** The sources live in src/private/ (one file each); this wraps them in the public type. */
class SourcedFunctionImage extends FunctionImage {
  constructor(private readonly source: ImageSource) {
    super();
  }

  public _bind(scope: Construct, architecture: lambda.Architecture): BoundFunctionImage {
    return this.source.bind(scope, architecture);
  }
}
