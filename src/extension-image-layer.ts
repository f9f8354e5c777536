/**
 * ExtensionImageLayer: what Lambda layers and extensions become for container-image functions
 * (Lambda accepts no layers on them): content copied into the image, before the dependencies and
 * the code, so a code change never rebuilds a layer.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Token } from 'aws-cdk-lib';
import { directoryFiles, zipFiles } from './private/layer-files';
import { LayerContent, LayerFile, LayerPlan, OPT_DIR } from './private/layer-plan';
import { fail, requireFile } from './private/problems';

/** Options of {@link ExtensionImageLayer.fromDirectory}. */
export interface DirectoryLayerOptions {
  /**
   * Absolute directory of the image the directory's content is copied into. With the default,
   * an `extensions/` folder lands in `/opt/extensions`, where Lambda starts external extensions.
   * @default '/opt'
   */
  readonly destination?: string;

  /**
   * Allow a destination outside `/opt`.
   * @default false
   */
  readonly allowOutsideOpt?: boolean;

  /**
   * Glob patterns (relative to the directory) left out of the layer, e.g. `['*.md', 'tests']`.
   * @default - nothing is left out
   */
  readonly exclude?: string[];
}

/** Options of {@link ExtensionImageLayer.fromImage}. */
export interface ImageLayerOptions {
  /**
   * Path in the publisher's image to copy (a file or a directory).
   * @default '/opt'
   */
  readonly source?: string;

  /**
   * Absolute path in the function's image it is copied to. For the Lambda Web Adapter:
   * `source: '/lambda-adapter'`, `destination: '/opt/extensions/lambda-adapter'`.
   * @default - the same path as `source`
   */
  readonly destination?: string;

  /**
   * Allow a destination outside `/opt`.
   * @default false
   */
  readonly allowOutsideOpt?: boolean;
}

/** Options of {@link ExtensionImageLayer.fromLayerVersionArn}. */
export interface LayerVersionArnOptions {
  /**
   * An AWS config or shared-credentials file (INI) that can call `lambda:GetLayerVersion` on
   * the layer, passed to the image build as a build secret (cdk-assets: `--secret
   * id=lambda-layer-credentials,src=<file>`). Only its path is written to the cloud assembly;
   * its content never enters an image layer, the image history or the Dockerfile.
   * @default - $CDK_LAMBDA_CONTAINER_LAYER_CREDENTIALS at synth, else ~/.aws/credentials
   */
  readonly credentialsFile?: string;

  /**
   * Profile of that file to use.
   * @default - the default profile
   */
  readonly profile?: string;

  /**
   * Image of the throwaway stage that fetches the layer; it needs python3 and boto3.
   * @default - AWS's Python 3.13 base image for the function's architecture
   */
  readonly fetcherImage?: string;
}

/** Options of the single-file layers (wrapper script, runtime hooks). */
export interface FileLayerOptions {
  /**
   * Absolute path of the file in the image.
   * @default - `/opt/<file name>`
   */
  readonly destination?: string;
}

/**
 * Content for a container-image function that a Lambda layer or extension would give a `.zip`
 * function: files under `/opt`, external extensions in `/opt/extensions`, a wrapper script, or
 * a runtime's startup hook. Layers are copied into the image in the order given, after the base
 * image and before the dependencies and the code; the same layer gives byte-identical image
 * layers in every function (fixed timestamps), so a shared repository stores it once.
 */
export abstract class ExtensionImageLayer {
  /**
   * A directory's content, copied to `/opt` (or `destination`). Files in its `extensions/`
   * folder must be executable: Lambda runs each as an external extension.
   */
  public static fromDirectory(directory: string, options: DirectoryLayerOptions = {}): ExtensionImageLayer {
    const list = () => directoryFiles(directory, 'fromDirectory(directory)', options.exclude ?? []);
    return new FilesLayer('fromDirectory', directory, list, options.destination ?? OPT_DIR, options.allowOutsideOpt ?? false);
  }

  /**
   * A path of a publisher's layer image (`COPY --from`), e.g. the Lambda Web Adapter:
   * `fromImage('public.ecr.aws/awsguru/aws-lambda-adapter:0.9.1', { source: '/lambda-adapter', destination: '/opt/extensions/lambda-adapter' })`.
   * Pin the image by tag or digest: the build copies whatever it points to.
   */
  public static fromImage(imageUri: string, options: ImageLayerOptions = {}): ExtensionImageLayer {
    return new ImageLayer(imageUri, options);
  }

  /**
   * The content of an existing Lambda layer: its `.zip` file or the directory it was zipped
   * from. It lands in `/opt`, as Lambda extracts layers (`python/`, `nodejs/`, `bin/`,
   * `extensions/`…); file modes in the zip are kept.
   */
  public static fromLayerAsset(zipOrDirectory: string): ExtensionImageLayer {
    return new FilesLayer('fromLayerAsset', zipOrDirectory, () => {
      const resolved = path.resolve(zipOrDirectory);
      if (fs.existsSync(resolved) && fs.statSync(resolved).isFile()) {
        return zipFiles(zipOrDirectory, 'fromLayerAsset(zipOrDirectory)');
      }
      return directoryFiles(zipOrDirectory, 'fromLayerAsset(zipOrDirectory)', []);
    }, OPT_DIR, false);
  }

  /**
   * A published Lambda layer version (yours, a partner's, or AWS's), fetched while the image
   * builds — in a throwaway stage that receives credentials as a build secret and ends
   * `FROM scratch` with the layer's files only — and copied to `/opt`. No credential is ever
   * in an image layer, the image history, the Dockerfile or the asset manifest's build args.
   */
  public static fromLayerVersionArn(layerVersionArn: string, options: LayerVersionArnOptions = {}): ExtensionImageLayer {
    return new ArnLayer(layerVersionArn, options);
  }

  /**
   * A wrapper script (internal extension): copied as an executable to `/opt/<name>` and named
   * by `AWS_LAMBDA_EXEC_WRAPPER`, so the runtime starts through it. Works on AWS base images
   * (their bootstrap honours the variable); an image may have one wrapper.
   */
  public static wrapperScript(file: string, options: FileLayerOptions = {}): ExtensionImageLayer {
    return singleFile('wrapperScript', file, options, dest => ({ AWS_LAMBDA_EXEC_WRAPPER: dest }), 0o755);
  }

  /** A Java agent (internal extension): the jar copied to `/opt/<name>`, added to `JAVA_TOOL_OPTIONS` as `-javaagent:`. */
  public static javaAgent(jar: string, options: FileLayerOptions = {}): ExtensionImageLayer {
    return singleFile('javaAgent', jar, options, dest => ({ JAVA_TOOL_OPTIONS: `-javaagent:${dest}` }), 0o644);
  }

  /** A Node.js module preloaded in the runtime (internal extension): copied to `/opt/<name>`, added to `NODE_OPTIONS` as `--require`. */
  public static nodeRequire(file: string, options: FileLayerOptions = {}): ExtensionImageLayer {
    return singleFile('nodeRequire', file, options, dest => ({ NODE_OPTIONS: `--require ${dest}` }), 0o644);
  }

  /** A .NET startup hook assembly (internal extension): copied to `/opt/<name>`, added to `DOTNET_STARTUP_HOOKS`. */
  public static dotnetStartupHook(assembly: string, options: FileLayerOptions = {}): ExtensionImageLayer {
    return singleFile('dotnetStartupHook', assembly, options, dest => ({ DOTNET_STARTUP_HOOKS: dest }), 0o644);
  }

  /**
   * What the layer adds to an image. Read once: the same object used by many functions lists
   * and hashes its files once.
   * @internal
   */
  public abstract _plan(): LayerPlan;
}

/** A layer whose files are known at synth: listed (and hashed) once, however many functions use it. */
class FilesLayer extends ExtensionImageLayer {
  private cached?: LayerPlan;

  constructor(
    private readonly kind: string,
    private readonly hostPath: string,
    private readonly list: () => LayerFile[],
    private readonly destination: string,
    private readonly allowOutsideOpt: boolean,
    private readonly environment?: Record<string, string>,
  ) {
    super();
  }

  public _plan(): LayerPlan {
    if (!this.cached) {
      this.cached = this.plan({ kind: 'files', files: this.list() });
    }
    return this.cached;
  }

  private plan(content: LayerContent): LayerPlan {
    return {
      description: `${this.kind}(${JSON.stringify(this.hostPath)})`,
      label: `${this.kind}(${path.basename(path.resolve(this.hostPath))})`,
      destination: this.destination,
      allowOutsideOpt: this.allowOutsideOpt,
      content,
      environment: this.environment,
    };
  }
}

class ImageLayer extends ExtensionImageLayer {
  constructor(private readonly uri: string, private readonly options: ImageLayerOptions) {
    super();
  }

  public _plan(): LayerPlan {
    const source = this.options.source ?? OPT_DIR;
    return {
      description: `fromImage(${JSON.stringify(this.uri)})`,
      label: `fromImage(${this.uri})`,
      destination: this.options.destination ?? source,
      allowOutsideOpt: this.options.allowOutsideOpt ?? false,
      content: { kind: 'image', uri: this.uri, source },
    };
  }
}

type HookEnvironment = (destination: string) => Record<string, string>;

/** `arn:<partition>:lambda:<region>:<account>:layer:<name>:<version>` */
const LAYER_VERSION_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:layer:[A-Za-z0-9_-]+:\d+$/;

class ArnLayer extends ExtensionImageLayer {
  constructor(private readonly arn: string, private readonly options: LayerVersionArnOptions) {
    super();
  }

  public _plan(): LayerPlan {
    if (Token.isUnresolved(this.arn) || !LAYER_VERSION_ARN.test(this.arn)) {
      const token = Token.isUnresolved(this.arn);
      fail(undefined, {
        prop: 'fromLayerVersionArn(layerVersionArn)',
        value: token ? '(a deploy-time value)' : JSON.stringify(this.arn),
        message: `not a layer version ARN${token ? ' known at synth: the image is built before deployment' : ''}`,
        fix: 'give a literal arn:aws:lambda:<region>:<account>:layer:<name>:<version>',
      });
    }
    const credentialsFile = path.resolve(this.options.credentialsFile ?? process.env.CDK_LAMBDA_CONTAINER_LAYER_CREDENTIALS ?? path.join(os.homedir(), '.aws', 'credentials'));
    return {
      description: `fromLayerVersionArn(${JSON.stringify(this.arn)})`,
      label: `fromLayerVersionArn(${this.arn})`,
      destination: OPT_DIR,
      allowOutsideOpt: false,
      content: { kind: 'fetch', arn: this.arn, credentialsFile, profile: this.options.profile, fetcherImage: this.options.fetcherImage },
    };
  }
}

function singleFile(kind: string, file: string, options: FileLayerOptions, env: HookEnvironment, mode: number): ExtensionImageLayer {
  const destination = options.destination ?? `${OPT_DIR}/${path.basename(file)}`;
  return new FilesLayer(kind, file, () => {
    const resolved = requireFile(undefined, `${kind}(file)`, file, 'give the path of the file, relative to where `cdk synth` runs or absolute');
    return [{ relativePath: path.posix.basename(destination), mode, size: fs.statSync(resolved).size, source: resolved }];
  }, path.posix.dirname(destination), false, env(destination));
}
