/**
 * The options of `FunctionImage`'s factories, shared by the public factories and the sources in
 * private/ (as aws-lambda-nodejs keeps its props in lib/types.ts): the import graph has no circle.
 */
import type * as ecr_assets from 'aws-cdk-lib/aws-ecr-assets';
import type { BaseImage } from './base-image';
import type { ExtensionImageLayer } from './extension-image-layer';
import type { ISharedImageRepository } from './shared-image-repository';

/** Options of an image built from a Dockerfile this library generates for an entry directory. */
export interface EntryImageOptions {
  /** The image to start FROM: an AWS Lambda base image, or any Linux image with a Runtime Interface Client. */
  readonly baseImage: BaseImage;

  /**
   * A dependency manifest (`requirements.txt`, `package.json` with its `package-lock.json`
   * beside it, `Gemfile`, or `go.mod`), installed in its own layer before the code so a code
   * change never reinstalls dependencies. Its lockfile is copied with it when present.
   * @default - the manifest of the base image's language found at the top of the entry
   * directory, if any (see `detectDependencies`)
   */
  readonly dependencies?: string;

  /**
   * Whether, without `dependencies`, the manifest of the base image's language at the top of the
   * entry directory is installed, as aws-lambda-python-alpha and NodejsFunction do:
   * `requirements.txt` (python), `package.json` that declares dependencies, with
   * `package-lock.json` (nodejs), `Gemfile` (ruby), `go.mod` (go). A manifest of another language
   * there is an error (it would not be installed); so is a `package.json` with dependencies and
   * no lockfile. Files excluded by `exclude` are not looked at. Set `false` to copy such files
   * with the code and install nothing.
   * @default true
   */
  readonly detectDependencies?: boolean;

  /**
   * Glob patterns (relative to the entry directory) left out of the image.
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
  readonly imageLayers?: ExtensionImageLayer[];

  /**
   * A shared repository to publish the image into (its stack deployed first; the stack of the
   * image needs `SharedImageRepositorySynthesizer`). Functions running it mark it in use there.
   * @default - the bootstrap repository, as plain CDK does
   */
  readonly repository?: ISharedImageRepository;
}

/** Options of an image built from your own Dockerfile (as `DockerImageCode.fromImageAsset`). */
export interface ImageAssetOptions {
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
  readonly imageLayers?: ExtensionImageLayer[];

  /**
   * A shared repository to publish the image into (its stack deployed first; the stack of the
   * image needs `SharedImageRepositorySynthesizer`). Functions running it mark it in use there.
   * @default - the bootstrap repository, as plain CDK does
   */
  readonly repository?: ISharedImageRepository;
}

/** Options of an existing image in ECR (as `DockerImageCode.fromEcr`). */
export interface EcrImageOptions {
  /**
   * Tag or digest (`sha256:…`) of the image. A digest or an immutable, content-addressed tag is
   * strongly recommended: re-pointing a tag does not update functions that use it.
   */
  readonly tagOrDigest: string;
}
