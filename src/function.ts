import { CfnResource, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { BaseImage } from './base-image';
import { ExtensionImageLayer } from './extension-image-layer';
import { FunctionImage } from './function-image';
import { architectureName } from './private/architecture';
import { registerEdgeCheck } from './private/edge-check';
import { BoundFunctionImage } from './private/image-source';
import { markImageInUse } from './private/in-use-marker';
import { checkEnvironment, checkEphemeralStorage, checkImageConfig, checkMemorySize, checkReservedNames, checkTimeout } from './private/limits';
import { fail, failIfAny, Problem, validationMessages, warn } from './private/problems';
import { ISharedImageRepository } from './shared-image-repository';

/**
 * Props of a {@link LambdaContainerFunction}: an `image`, or the shorthand `baseImage` + `entry`
 * (what `FunctionImage.fromEntry` takes most often), plus the function's ImageConfig and the
 * options of every `lambda.Function`.
 */
export interface LambdaContainerFunctionProps extends lambda.FunctionOptions {
  /**
   * The image: `FunctionImage.fromEntry(...)`, `.fromImageAsset(...)` (your Dockerfile) or
   * `.fromEcr(...)`. Share one `FunctionImage` between functions to build and push it once.
   * @default - built from `baseImage` + `entry`
   */
  readonly image?: FunctionImage;

  /**
   * Base image of a generated Dockerfile, with `entry` (shorthand for
   * `FunctionImage.fromEntry(entry, { baseImage, imageLayers, repository })`).
   * @default - no generated Dockerfile: give `image`
   */
  readonly baseImage?: BaseImage;

  /**
   * Directory of the handler sources, with `baseImage`, as the Python and Node.js functions'
   * `entry`. A dependency manifest of the base image's language at its top (`requirements.txt`,
   * `package.json` + `package-lock.json`, `Gemfile`, `go.mod`) is installed in a layer of its
   * own; for other manifests, `exclude` and more, use `image: FunctionImage.fromEntry(...)`.
   * @default - no generated Dockerfile: give `image`
   */
  readonly entry?: string;

  /**
   * Lambda layers and extensions baked into the image, with `baseImage` + `entry`: copied in the
   * order given, after the base image and before the dependencies and the code. Lambda's own
   * `layers` are not accepted on image functions. (With `image`, give them to its factory.)
   * @default - none
   */
  readonly imageLayers?: ExtensionImageLayer[];

  /**
   * A shared repository to publish the image into, with `baseImage` + `entry` (with `image`,
   * give it to its factory). The function marks the image it is deployed with as in use there,
   * so the repository's lifecycle never expires it.
   * @default - the bootstrap repository, as plain CDK does
   */
  readonly repository?: ISharedImageRepository;

  /**
   * The function's CMD (ImageConfig.Command): for AWS base images and RICs, the handler, e.g.
   * `['app.handler']`. Several functions can share one image with different `cmd`.
   * @default - the image's CMD
   */
  readonly cmd?: string[];

  /**
   * The function's ENTRYPOINT (ImageConfig.EntryPoint); the executable must be an absolute path.
   * @default - the image's ENTRYPOINT
   */
  readonly entrypoint?: string[];

  /**
   * The function's working directory (ImageConfig.WorkingDirectory), an absolute path.
   * @default - the image's WORKDIR
   */
  readonly workingDirectory?: string;
}

/**
 * An AWS Lambda function packaged as a container image.
 *
 * A real `lambda.Function` (grants, metrics, `addEnvironment`, connections, versions all work)
 * whose image is generated from a base image and a code directory, built from your Dockerfile, or
 * taken from ECR. The architecture is always explicit: it picks the base image tag, the build
 * platform and the function's `Architectures` (x86_64 unless set). Anything Lambda would reject is
 * reported at synth with the construct path, the prop, the value and the fix.
 *
 * @example
 * new LambdaContainerFunction(this, 'Thumbnailer', {
 *   baseImage: BaseImage.python('3.13'),
 *   entry: 'src/thumbnailer', // its requirements.txt is installed in a layer of its own
 *   cmd: ['app.handler'],
 *   architecture: lambda.Architecture.ARM_64,
 * });
 */
export class LambdaContainerFunction extends lambda.Function {
  /**
   * Context key that fixes "today" (an ISO date such as `2026-11-22`) for the deprecation
   * warnings, so a synth is reproducible whatever day it runs.
   */
  public static readonly DEPRECATION_DATE_CONTEXT = 'cdk-lambda-container:today';

  /** The image source this function runs. */
  public readonly image: FunctionImage;

  private readonly trackedEnvironment: Record<string, string>;

  constructor(scope: Construct, id: string, props: LambdaContainerFunctionProps) {
    const constructPath = scope.node.path ? `${scope.node.path}/${id}` : id;
    const architecture = props.architecture ?? lambda.Architecture.X86_64;
    architectureName(constructPath, architecture); // refuses what Lambda runs no images of, before anything binds
    const image = selectImage(constructPath, props);
    validateOptions(constructPath, props);
    const { cmd, entrypoint, workingDirectory } = props;
    const code = new ContainerImageCode(image, architecture, { cmd, entrypoint, workingDirectory });

    super(scope, id, {
      ...props,
      architecture,
      code,
      handler: lambda.Handler.FROM_IMAGE,
      runtime: lambda.Runtime.FROM_IMAGE,
    });
    this.image = image;
    this.trackedEnvironment = { ...(props.environment ?? {}) };

    const bound = code.bound!;
    const entrypointProblem = props.entrypoint && bound.checkEntrypoint?.(props.entrypoint[0]);
    if (entrypointProblem) fail(this, entrypointProblem);
    const ownEntrypoint = props.entrypoint !== undefined || bound.imageHasEntrypoint;
    if (bound.requiresHandler && !ownEntrypoint && props.cmd === undefined && !bound.imageHasCmd) {
      fail(this, {
        prop: 'cmd',
        value: '(missing)',
        message: `Lambda needs a handler for ${bound.baseImage?.imageUri ?? 'this image'} and the image sets no CMD`,
        fix: bound.baseImage?.family === 'provided'
          ? "set cmd to the handler your bootstrap reads (e.g. cmd: ['function.handler'], with bootstrap in /var/runtime), or run the bootstrap itself with entrypoint: ['/var/task/bootstrap']"
          : `set cmd to the handler, e.g. cmd: ['${exampleHandler(bound.baseImage)}']`,
      });
    }
    if (bound.routed) {
      markImageInUse(this, bound.routed);
    }
    this.warnAboutDeprecations(bound.baseImage);
    this.node.addValidation({ validate: () => this.validateEnvironment() });
    registerEdgeCheck(this);
  }

  /** Adds an environment variable (checked at synth against Lambda's 4 KB limit and reserved names). */
  public addEnvironment(key: string, value: string, options?: lambda.EnvironmentOptions): this {
    failIfAny(this, checkReservedNames([key]));
    super.addEnvironment(key, value, options);
    // Called by the base constructor before this class's fields exist.
    if (this.trackedEnvironment) {
      this.trackedEnvironment[key] = value;
    }
    return this;
  }

  private validateEnvironment(): string[] {
    const resolved: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.trackedEnvironment)) {
      if (!Token.isUnresolved(k)) {
        // Unresolved values count as empty: the check then only fails when it surely would.
        resolved[k] = Token.isUnresolved(v) ? '' : v;
      }
    }
    return validationMessages(this, checkEnvironment(resolved));
  }

  private warnAboutDeprecations(baseImage: BaseImage | undefined) {
    if (!baseImage) return;
    const today = this.node.tryGetContext(LambdaContainerFunction.DEPRECATION_DATE_CONTEXT) ?? new Date().toISOString().slice(0, 10);
    for (const notice of baseImage._deprecationNotices(today)) {
      warn(this, notice.id, notice.message);
    }
  }
}

/** The lambda.Code of a container function: binds the image once, then serves ImageConfig. */
class ContainerImageCode extends lambda.Code {
  public readonly isInline = false;
  public bound?: BoundFunctionImage;

  constructor(
    private readonly image: FunctionImage,
    private readonly architecture: lambda.Architecture,
    private readonly config: { cmd?: string[]; entrypoint?: string[]; workingDirectory?: string },
  ) {
    super();
  }

  public bind(scope: Construct): lambda.CodeConfig {
    this.bound = this.image._bind(scope, this.architecture);
    return { image: { imageUri: this.bound.imageUri, ...this.config } };
  }

  public bindToResource(resource: CfnResource): void {
    this.bound?.addResourceMetadata?.(resource);
  }
}

/**
 * Props renamed or moved before 1.0 (README: "Migrating to the 1.0 names"). TypeScript flags them
 * in an object literal, but not in a props object built elsewhere, nor in JavaScript: without
 * this, `code` would be ignored and the error would say `entry` is missing.
 */
const MOVED_PROPS: Record<string, string> = {
  code: "entry: 'src/handler' (renamed)",
  dependencies: 'image: FunctionImage.fromEntry(entry, { baseImage, dependencies })',
  detectDependencies: 'image: FunctionImage.fromEntry(entry, { baseImage, detectDependencies })',
  exclude: 'image: FunctionImage.fromEntry(entry, { baseImage, exclude }), or FunctionImage.fromImageAsset(directory, { exclude })',
  dockerfile: "image: FunctionImage.fromImageAsset(directory, { file: 'Dockerfile' })",
  buildContext: 'image: FunctionImage.fromImageAsset(buildContext)',
  buildArgs: 'image: FunctionImage.fromImageAsset(directory, { buildArgs })',
};

function selectImage(constructPath: string, props: LambdaContainerFunctionProps): FunctionImage {
  const moved = Object.keys(MOVED_PROPS).filter(k => (props as unknown as Record<string, unknown>)[k] !== undefined);
  if (moved.length > 0) {
    fail(constructPath, ...moved.map(prop => ({
      prop,
      value: '(set)',
      message: 'this prop of LambdaContainerFunction was renamed or moved before 1.0, and is ignored',
      fix: `use ${MOVED_PROPS[prop]}`,
    })));
  }
  const generated = props.baseImage !== undefined || props.entry !== undefined;
  if (props.image && generated) {
    fail(constructPath, {
      prop: props.baseImage ? 'baseImage' : 'entry',
      value: '(set)',
      message: 'give either image or baseImage + entry, not both',
      fix: 'remove baseImage and entry, or remove image',
    });
  }
  if (props.image) {
    const given = (['imageLayers', 'repository'] as const).filter(k => props[k] !== undefined);
    if (given.length > 0) {
      fail(constructPath, { prop: given.join(', '), value: '(set)', message: 'these props describe a build and are ignored when image is given', fix: `move them into the image's factory, e.g. FunctionImage.fromEntry(entry, { baseImage, ${given.join(', ')} })` });
    }
    return props.image;
  }
  if (!props.baseImage || props.entry === undefined) {
    const missing = !generated ? 'image' : props.baseImage ? 'entry' : 'baseImage';
    const example = {
      image: "image: FunctionImage.fromImageAsset('docker/handler'), or baseImage: BaseImage.python('3.13') with entry: 'src/handler'",
      entry: "entry: 'src/handler' (the directory of the handler sources)",
      baseImage: "baseImage: BaseImage.python('3.13')",
    }[missing];
    fail(constructPath, {
      prop: missing,
      value: '(missing)',
      message: generated ? 'a generated image needs both baseImage and entry' : 'a LambdaContainerFunction needs an image source',
      fix: `set ${example}`,
    });
  }
  const { baseImage, imageLayers, repository } = props;
  return FunctionImage.fromEntry(props.entry, { baseImage, imageLayers, repository });
}

function validateOptions(constructPath: string, props: LambdaContainerFunctionProps) {
  const problems: Problem[] = [];
  if (props.memorySize !== undefined && !Token.isUnresolved(props.memorySize)) {
    problems.push(...checkMemorySize(props.memorySize));
  }
  if (props.timeout && !props.timeout.isUnresolved()) {
    problems.push(...checkTimeout(props.timeout.toSeconds()));
  }
  if (props.ephemeralStorageSize && !props.ephemeralStorageSize.isUnresolved()) {
    problems.push(...checkEphemeralStorage(props.ephemeralStorageSize.toMebibytes()));
  }
  problems.push(...checkImageConfig({
    cmd: resolvedList(props.cmd),
    entrypoint: resolvedList(props.entrypoint),
    workingDirectory: props.workingDirectory && !Token.isUnresolved(props.workingDirectory) ? props.workingDirectory : undefined,
  }));
  problems.push(...checkReservedNames(Object.keys(props.environment ?? {})));
  for (const [prop, set] of [['paramsAndSecrets', props.paramsAndSecrets], ['adotInstrumentation', props.adotInstrumentation]] as const) {
    if (set) {
      problems.push({ prop, value: '(set)', message: 'it adds a Lambda layer, and Lambda does not accept layers on container-image functions', fix: 'bake the extension into the image instead: imageLayers: [ExtensionImageLayer.fromDirectory(...)] with the extension in extensions/' });
    }
  }
  if (props.layers && props.layers.length > 0) {
    problems.push({ prop: 'layers', value: `(${props.layers.length} layer${props.layers.length > 1 ? 's' : ''})`, message: 'Lambda does not accept layers on container-image functions', fix: 'bake the layer\'s content into the image instead: imageLayers: [ExtensionImageLayer.fromLayerAsset(\'layer.zip\')] (or fromDirectory, fromImage)' });
  }
  failIfAny(constructPath, problems);
}

function resolvedList(list: string[] | undefined): string[] | undefined {
  if (list === undefined || Token.isUnresolved(list) || list.some(x => Token.isUnresolved(x))) return undefined;
  return list;
}

function exampleHandler(baseImage: BaseImage | undefined): string {
  const language = baseImage?.ric?.language ?? baseImage?.family;
  switch (language) {
    case 'nodejs': return 'index.handler';
    case 'java': return 'com.example.Handler::handleRequest';
    case 'ruby': return 'app.App::Handler.process';
    default: return 'app.handler';
  }
}
