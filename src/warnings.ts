/**
 * The ids of the warnings this library adds at synth. Acknowledge one where you accept it:
 * `Annotations.of(fn).acknowledgeWarning(WarningIds.LAYER_OVERLAP, 'the wrapper replaces the file on purpose')`
 * (on the function, or a scope above it for all of its functions). The README lists each with
 * what it means.
 */
export class WarningIds {
  /** The function's AWS base image runtime is deprecated by Lambda. */
  public static readonly RUNTIME_DEPRECATED = 'cdk-lambda-container:runtimeDeprecated';
  /** The function's AWS base image runtime will be deprecated within 180 days. */
  public static readonly RUNTIME_DEPRECATION_SOON = 'cdk-lambda-container:runtimeDeprecationSoon';
  /** The function's AWS base image is built on Amazon Linux 2, past its end of life. */
  public static readonly AMAZON_LINUX_2_END_OF_LIFE = 'cdk-lambda-container:amazonLinux2EndOfLife';
  /** The code directory has a `pyproject.toml` and no `requirements.txt`: nothing is installed. */
  public static readonly DEPENDENCIES_NOT_INSTALLED = 'cdk-lambda-container:dependenciesNotInstalled';
  /** Two extension layers write the same path in the image: the later one wins. */
  public static readonly LAYER_OVERLAP = 'cdk-lambda-container:layerOverlap';
  /** A publisher's layer image is referenced without a version tag or digest. */
  public static readonly LAYER_IMAGE_NOT_PINNED = 'cdk-lambda-container:layerImageNotPinned';
  /** Your Dockerfile's final ENTRYPOINT is not an absolute path. */
  public static readonly DOCKERFILE_RELATIVE_ENTRYPOINT = 'cdk-lambda-container:dockerfileRelativeEntrypoint';
  /** Your Dockerfile's final stage has a relative WORKDIR. */
  public static readonly DOCKERFILE_RELATIVE_WORKDIR = 'cdk-lambda-container:dockerfileRelativeWorkdir';
  /** Your Dockerfile's final stage uses an instruction Lambda ignores (EXPOSE, HEALTHCHECK, VOLUME, STOPSIGNAL). */
  public static readonly DOCKERFILE_IGNORED_INSTRUCTION = 'cdk-lambda-container:dockerfileIgnoredInstruction';
  /** Your single-stage Dockerfile installs compilers or build tools into the function image. */
  public static readonly DOCKERFILE_SINGLE_STAGE_COMPILERS = 'cdk-lambda-container:dockerfileSingleStageCompilers';
  /** Your Dockerfile installs dependencies after copying the whole context. */
  public static readonly DOCKERFILE_CODE_BEFORE_DEPENDENCIES = 'cdk-lambda-container:dockerfileCodeBeforeDependencies';

  private constructor() {}
}

/** One of the ids above. */
export type WarningId = (typeof WarningIds)[Exclude<keyof typeof WarningIds, 'prototype'>];
