import { ArchitectureName } from './private/image-recipe';
import { fail } from './private/problems';
import { DeprecationNotice, deprecationNotices } from './private/runtime-deprecations';
import { RuntimeInterfaceClient } from './runtime-interface-client';

/** Options for AWS Lambda base images (public.ecr.aws/lambda/*). */
export interface AwsBaseImageOptions {
  /**
   * Pin the base image by digest (`sha256:` + 64 hex digits) of the architecture-specific tag
   * the function uses (e.g. the digest of `python:3.12-arm64` for an ARM_64 function). Pinned
   * builds are reproducible; update the digest to take AWS's patches.
   * @default - not pinned: the architecture-specific tag
   */
  readonly digest?: string;

  /**
   * Registry and namespace to pull AWS base images from, e.g. an ECR pull-through cache
   * (`123456789012.dkr.ecr.eu-west-1.amazonaws.com/ecr-public/lambda`).
   * @default 'public.ecr.aws/lambda'
   */
  readonly registry?: string;
}

/** Options for a base image that is not an AWS Lambda base image. */
export interface RegistryBaseImageOptions {
  /**
   * The Runtime Interface Client installed in a build stage and set as ENTRYPOINT.
   * @default - none: the image must implement the Lambda Runtime API itself (give `entrypoint`)
   */
  readonly ric?: RuntimeInterfaceClient;
}

const DEFAULT_REGISTRY = 'public.ecr.aws/lambda';
const DIGEST = /^sha256:[0-9a-f]{64}$/;

/**
 * The image a function's Dockerfile starts FROM.
 *
 * AWS Lambda base images ship the runtime, its Runtime Interface Client and the Runtime Interface
 * Emulator; they are cached by Lambda and are the recommended start. Any other Linux image works
 * with a `RuntimeInterfaceClient`.
 */
export class BaseImage {
  /** AWS base image for Python, e.g. `BaseImage.python('3.13')`. */
  public static python(version: string, options: AwsBaseImageOptions = {}): BaseImage {
    return BaseImage.aws('python', version, options);
  }

  /** AWS base image for Node.js, e.g. `BaseImage.nodejs('22')`. */
  public static nodejs(version: string, options: AwsBaseImageOptions = {}): BaseImage {
    return BaseImage.aws('nodejs', version, options);
  }

  /** AWS base image for Java, e.g. `BaseImage.java('21')` (Java 8 on Amazon Linux 2 is `'8.al2'`). */
  public static java(version: string, options: AwsBaseImageOptions = {}): BaseImage {
    return BaseImage.aws('java', version, options);
  }

  /** AWS base image for .NET, e.g. `BaseImage.dotnet('8')`. */
  public static dotnet(version: string, options: AwsBaseImageOptions = {}): BaseImage {
    return BaseImage.aws('dotnet', version, options);
  }

  /** AWS base image for Ruby, e.g. `BaseImage.ruby('3.4')`. */
  public static ruby(version: string, options: AwsBaseImageOptions = {}): BaseImage {
    return BaseImage.aws('ruby', version, options);
  }

  /** OS-only AWS base image on Amazon Linux 2023, for Go, Rust and custom runtimes (`bootstrap`). */
  public static providedAl2023(options: AwsBaseImageOptions = {}): BaseImage {
    return BaseImage.aws('provided', 'al2023', options);
  }

  /** OS-only AWS base image on Amazon Linux 2 (end of life 2026-06-30: prefer `providedAl2023`). */
  public static providedAl2(options: AwsBaseImageOptions = {}): BaseImage {
    return BaseImage.aws('provided', 'al2', options);
  }

  /**
   * Any other Linux image (`python:3.12-slim`, `node:22-bookworm`, a private registry URI…).
   * Give the `ric` for its language so the image speaks the Lambda Runtime API; multi-arch images
   * are built for the function's architecture through `--platform`.
   */
  public static fromRegistry(imageUri: string, options: RegistryBaseImageOptions = {}): BaseImage {
    if (!/^[\w.\-/:@]+$/.test(imageUri) || imageUri.includes('//')) {
      fail('BaseImage.fromRegistry', { prop: 'imageUri', value: JSON.stringify(imageUri), message: 'not an image reference', fix: 'give a reference such as "python:3.12-slim" or "123456789012.dkr.ecr.us-east-1.amazonaws.com/base:1.0"' });
    }
    return new BaseImage(imageUri, undefined, undefined, undefined, options.ric);
  }

  private static aws(family: string, version: string, options: AwsBaseImageOptions): BaseImage {
    if (!/^[0-9a-z.]+$/.test(version)) {
      fail(`BaseImage.${family}`, { prop: 'version', value: JSON.stringify(version), message: 'not the version part of an AWS base image tag', fix: 'use it as the tag has it, e.g. "3.12" for public.ecr.aws/lambda/python:3.12' });
    }
    if (options.digest !== undefined && !DIGEST.test(options.digest)) {
      fail(`BaseImage.${family}('${version}')`, { prop: 'digest', value: JSON.stringify(options.digest), message: 'not an image digest', fix: 'give "sha256:" followed by 64 lowercase hex digits, as `docker buildx imagetools inspect` prints it for the architecture-specific tag' });
    }
    const registry = (options.registry ?? DEFAULT_REGISTRY).replace(/\/+$/, '');
    return new BaseImage(`${registry}/${family}:${version}`, family, version, options.digest, undefined);
  }

  /**
   * The image reference without the architecture suffix, e.g.
   * `public.ecr.aws/lambda/python:3.12` or `python:3.12-slim`.
   */
  public readonly imageUri: string;

  /** AWS base image family (python, nodejs, java, dotnet, ruby, provided); undefined for other images. */
  public readonly family?: string;

  /** AWS base image version (the tag without architecture); undefined for other images. */
  public readonly version?: string;

  /** The Runtime Interface Client installed on a non-AWS base image. */
  public readonly ric?: RuntimeInterfaceClient;

  private readonly digest?: string;

  private constructor(
    imageUri: string,
    family: string | undefined,
    version: string | undefined,
    digest: string | undefined,
    ric: RuntimeInterfaceClient | undefined,
  ) {
    this.imageUri = imageUri;
    this.family = family;
    this.version = version;
    this.digest = digest;
    this.ric = ric;
  }

  /** Whether this is an AWS Lambda base image (which ships the RIC and the RIE). */
  public get isAwsBaseImage(): boolean {
    return this.family !== undefined;
  }

  /**
   * The reference to build FROM for an architecture: AWS images get the architecture-specific
   * tag (`3.12-arm64`) and the digest when pinned; other images are left as given (the build's
   * `--platform` picks the architecture of a multi-arch image).
   * @internal
   */
  public _uriFor(architecture: ArchitectureName): string {
    if (!this.isAwsBaseImage) {
      return this.imageUri;
    }
    const tagged = `${this.imageUri}-${architecture}`;
    return this.digest ? `${tagged}@${this.digest}` : tagged;
  }

  /**
   * Whether functions on this image need a CMD when they keep the image's ENTRYPOINT: the AWS
   * base images' `/lambda-entrypoint.sh` takes the handler (for `provided` images, the handler
   * your bootstrap reads) as its one argument.
   * @internal
   */
  public get _requiresHandler(): boolean {
    if (this.ric) {
      return this.ric._recipe.requiresHandler;
    }
    return this.isAwsBaseImage;
  }

  /**
   * Deprecation notices for this image on `today` (ISO date).
   * @internal
   */
  public _deprecationNotices(today: string): DeprecationNotice[] {
    return this.family && this.version ? deprecationNotices(this.family, this.version, today) : [];
  }
}
