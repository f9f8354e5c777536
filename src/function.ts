import * as path from 'path';
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

/** Props of a {@link LambdaContainerFunction}. Give exactly one image source. */
export interface LambdaContainerFunctionProps extends lambda.FunctionOptions {
  /**
   * The image: `FunctionImage.fromBuild(...)`, `.fromDockerfile(...)` or `.fromEcr(...)`.
   * Share one `FunctionImage` between functions to build and push it once.
   * @default - built from `baseImage` + `code`, or from `dockerfile` + `buildContext`
   */
  readonly image?: FunctionImage;

  /**
   * Base image of a generated Dockerfile (shorthand for `FunctionImage.fromBuild`).
   * @default - no generated Dockerfile
   */
  readonly baseImage?: BaseImage;

  /**
   * Directory of the handler sources, with `baseImage` (the two come together).
   * @default - no generated Dockerfile
   */
  readonly code?: string;

  /**
   * Dependency manifest (`requirements.txt`, `package.json` + `package-lock.json`, `Gemfile`,
   * `go.mod`) installed before the code, with `baseImage`.
   * @default - the manifest of the base image's language found at the top of `code`, if any
   */
  readonly dependencies?: string;

  /**
   * Whether, without `dependencies`, the manifest of the base image's language at the top of
   * `code` is installed (see `FunctionImageBuildProps.detectDependencies`), with `baseImage`.
   * @default true
   */
  readonly detectDependencies?: boolean;

  /**
   * What is left out of the image: glob patterns of `code` (with `baseImage`), or patterns of the
   * build context added to its `.dockerignore` (with `dockerfile`/`buildContext`).
   * @default - with `baseImage`: .git, node_modules, __pycache__, *.pyc, .venv, cdk.out, .DS_Store,
   * .pytest_cache; with your Dockerfile: what its `.dockerignore` says
   */
  readonly exclude?: string[];

  /**
   * Lambda layers and extensions baked into the image: copied in the order given, after the base
   * image and before the dependencies and the code (with your own Dockerfile: right after its
   * final FROM). Lambda's own `layers` are not accepted on image functions.
   * @default - none
   */
  readonly imageLayers?: ExtensionImageLayer[];

  /**
   * A shared repository to publish the image into, with `baseImage` or `dockerfile` (for `image`,
   * give it to `FunctionImage.fromBuild` / `fromDockerfile`). The function marks the image it is
   * deployed with as in use there, so the repository's lifecycle never expires it.
   * @default - the bootstrap repository, as plain CDK does
   */
  readonly repository?: ISharedImageRepository;

  /**
   * Your own Dockerfile, relative to `buildContext` (shorthand for `FunctionImage.fromDockerfile`).
   * @default - 'Dockerfile' when `buildContext` is given
   */
  readonly dockerfile?: string;

  /**
   * Build context directory of your own Dockerfile.
   * @default - the directory of `dockerfile`
   */
  readonly buildContext?: string;

  /**
   * Build arguments of your own Dockerfile. Never pass credentials here.
   * @default - none
   */
  readonly buildArgs?: { [key: string]: string };

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
 *   code: 'src/thumbnailer',
 *   dependencies: 'src/thumbnailer/requirements.txt',
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

function selectImage(constructPath: string, props: LambdaContainerFunctionProps): FunctionImage {
  const sources = [
    props.image && 'image',
    (props.baseImage || props.code) && 'baseImage/code',
    (props.dockerfile || props.buildContext) && 'dockerfile/buildContext',
  ].filter(Boolean);
  if (sources.length !== 1) {
    fail(constructPath, {
      prop: 'image source',
      value: sources.length === 0 ? '(none)' : `(${sources.join(' and ')})`,
      message: 'a LambdaContainerFunction needs exactly one image source',
      fix: 'give either image, or baseImage with code, or dockerfile/buildContext',
    });
  }
  const shorthandOnly: Array<[string, unknown]> = [['dependencies', props.dependencies], ['detectDependencies', props.detectDependencies], ['exclude', props.exclude], ['buildArgs', props.buildArgs], ['imageLayers', props.imageLayers], ['repository', props.repository]];
  if (props.image) {
    const given = shorthandOnly.filter(([, v]) => v !== undefined).map(([k]) => k);
    if (given.length > 0) {
      fail(constructPath, { prop: given.join(', '), value: '(set)', message: 'these props describe a build and are ignored when image is given', fix: 'move them into FunctionImage.fromBuild(...) or FunctionImage.fromDockerfile(...)' });
    }
    return props.image;
  }
  if (props.baseImage || props.code) {
    if (!props.baseImage || !props.code) {
      const missing = props.baseImage ? 'code' : 'baseImage';
      fail(constructPath, { prop: missing, value: '(missing)', message: 'a generated image needs both baseImage and code', fix: `set ${missing}, e.g. ${missing === 'code' ? "code: 'src/handler'" : "baseImage: BaseImage.python('3.13')"}` });
    }
    if (props.buildArgs) {
      fail(constructPath, { prop: 'buildArgs', value: '(set)', message: 'generated Dockerfiles take no build arguments', fix: 'remove buildArgs, or bring your own Dockerfile' });
    }
    const { baseImage, code, dependencies, detectDependencies, exclude } = props;
    const { imageLayers: layers, repository } = props;
    return FunctionImage.fromBuild({ baseImage, code, dependencies, detectDependencies, exclude, layers, repository });
  }
  if (props.dependencies) {
    fail(constructPath, { prop: 'dependencies', value: JSON.stringify(props.dependencies), message: 'your own Dockerfile installs its dependencies itself', fix: 'remove dependencies and install them in your Dockerfile' });
  }
  if (props.detectDependencies !== undefined) {
    fail(constructPath, { prop: 'detectDependencies', value: String(props.detectDependencies), message: 'your own Dockerfile installs its dependencies itself', fix: 'remove detectDependencies' });
  }
  const dockerfile = props.dockerfile ?? 'Dockerfile';
  const context = props.buildContext ?? (props.dockerfile ? path.dirname(props.dockerfile) : '.');
  const file = props.buildContext ? dockerfile : path.basename(dockerfile);
  const { buildArgs, exclude, repository } = props;
  return FunctionImage.fromDockerfile(context, { file, buildArgs, exclude, layers: props.imageLayers, repository });
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
