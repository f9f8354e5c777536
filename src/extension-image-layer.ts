/**
 * ExtensionImageLayer: what Lambda layers and extensions become for container-image functions
 * (Lambda accepts no layers on them): content copied into the image, before the dependencies and
 * the code, so a code change never rebuilds a layer.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import AdmZip from 'adm-zip';
import { IgnoreStrategy, Token } from 'aws-cdk-lib';
import { LayerFile, LayerPlan, OPT_DIR, permissionBits } from './private/layer-plan';

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
    const list = () => directoryFiles(directory, 'directory', options.exclude ?? []);
    return new ContextLayer('fromDirectory', directory, list, options.destination ?? OPT_DIR, options.allowOutsideOpt ?? false);
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
    return new ContextLayer('fromLayerAsset', zipOrDirectory, () => {
      const resolved = path.resolve(zipOrDirectory);
      if (fs.existsSync(resolved) && fs.statSync(resolved).isFile()) {
        return zipFiles(resolved);
      }
      return directoryFiles(zipOrDirectory, 'layer asset (a .zip file or a directory)', []);
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

class ContextLayer extends ExtensionImageLayer {
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
      this.cached = {
        description: `${this.kind}(${JSON.stringify(this.hostPath)})`,
        label: `${this.kind}(${path.basename(path.resolve(this.hostPath))})`,
        destination: this.destination,
        allowOutsideOpt: this.allowOutsideOpt,
        files: this.list(),
        environment: this.environment,
      };
    }
    return this.cached;
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
      image: { uri: this.uri, source },
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
    const description = `fromLayerVersionArn(${JSON.stringify(this.arn)})`;
    if (Token.isUnresolved(this.arn) || !LAYER_VERSION_ARN.test(this.arn)) {
      throw new Error(`ExtensionImageLayer.${description}: not a layer version ARN${Token.isUnresolved(this.arn) ? ' (a deploy-time value: the image is built before deployment)' : ''}. Fix: give a literal arn:aws:lambda:<region>:<account>:layer:<name>:<version>.`);
    }
    const credentialsFile = path.resolve(this.options.credentialsFile ?? process.env.CDK_LAMBDA_CONTAINER_LAYER_CREDENTIALS ?? path.join(os.homedir(), '.aws', 'credentials'));
    return {
      description,
      label: `fromLayerVersionArn(${this.arn})`,
      destination: OPT_DIR,
      allowOutsideOpt: false,
      fetch: { arn: this.arn, credentialsFile, profile: this.options.profile, fetcherImage: this.options.fetcherImage },
    };
  }
}

function singleFile(kind: string, file: string, options: FileLayerOptions, env: HookEnvironment, mode: number): ExtensionImageLayer {
  const destination = options.destination ?? `${OPT_DIR}/${path.basename(file)}`;
  const description = `${kind}(${JSON.stringify(file)})`;
  return new ContextLayer(kind, file, () => {
    const resolved = path.resolve(file);
    if (!fs.existsSync(resolved) || !fs.statSync(resolved).isFile()) {
      throw new Error(`ExtensionImageLayer.${description}: no such file (resolved to ${resolved}). Fix: give the path of the file, relative to where \`cdk synth\` runs or absolute.`);
    }
    return [{ relativePath: path.posix.basename(destination), mode, size: fs.statSync(resolved).size, source: resolved }];
  }, path.posix.dirname(destination), false, env(destination));
}

/** Every file under a directory but the excluded ones (symlinks kept as links), sorted, with its mode. */
function directoryFiles(directory: string, what: string, exclude: readonly string[]): LayerFile[] {
  const root = path.resolve(directory);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    throw new Error(`ExtensionImageLayer: no such ${what}: ${JSON.stringify(directory)} (resolved to ${root}). Fix: give the directory holding the layer's files, relative to where \`cdk synth\` runs or absolute.`);
  }
  const ignore = IgnoreStrategy.glob(root, [...exclude]);
  const files: LayerFile[] = [];
  const walk = (dir: string, rel: string) => {
    for (const name of fs.readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      if (ignore.ignores(full)) continue;
      const relativePath = rel ? `${rel}/${name}` : name;
      const stat = fs.lstatSync(full);
      if (stat.isSymbolicLink()) {
        files.push({ relativePath, mode: 0o777, size: 0, source: full, linkTarget: fs.readlinkSync(full) });
      } else if (stat.isDirectory()) {
        walk(full, relativePath);
      } else if (stat.isFile()) {
        files.push({ relativePath, mode: permissionBits(stat.mode), size: stat.size, source: full });
      }
    }
  };
  walk(root, '');
  return files;
}

/** The files of a layer .zip (directories implied), with the unix modes it records. */
function zipFiles(zipPath: string): LayerFile[] {
  let entries: AdmZip.IZipEntry[];
  try {
    entries = new AdmZip(zipPath).getEntries();
  } catch (e) {
    throw new Error(`ExtensionImageLayer.fromLayerAsset(${JSON.stringify(zipPath)}): not a readable .zip file (${(e as Error).message}). Fix: give the layer's .zip file or its directory.`);
  }
  return entries
    .filter(e => !e.isDirectory)
    .map(e => {
      const relativePath = path.posix.normalize(e.entryName);
      if (relativePath.startsWith('../') || relativePath.startsWith('/')) {
        throw new Error(`ExtensionImageLayer.fromLayerAsset(${JSON.stringify(zipPath)}): entry ${JSON.stringify(e.entryName)} points outside the layer. Fix: rebuild the .zip with relative paths.`);
      }
      const unixMode = permissionBits(Math.floor(e.attr / 0x10000)); // the high 16 bits hold st_mode
      const data = e.getData();
      // Zips made on Windows record no unix mode: files are readable, extensions executable.
      const mode = unixMode || (relativePath.startsWith('extensions/') ? 0o755 : 0o644);
      return { relativePath, mode, size: data.length, source: data };
    })
    .sort((a, b) => (a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0));
}

const contentHashes = new WeakMap<LayerPlan, string>();

/** The content hash of a layer's files: relative paths, modes, link targets and bytes (memoized per plan). */
export function layerContentHash(plan: LayerPlan): string {
  const known = contentHashes.get(plan);
  if (known) return known;
  const h = crypto.createHash('sha256');
  const add = (s: string | Uint8Array) => h.update(s).update('\0');
  add(plan.destination);
  for (const file of plan.files ?? []) {
    add(file.relativePath);
    add(file.mode.toString(8));
    if (file.linkTarget !== undefined) add(`-> ${file.linkTarget}`);
    else add(typeof file.source === 'string' ? fs.readFileSync(file.source) : file.source);
  }
  const hash = h.digest('hex');
  contentHashes.set(plan, hash);
  return hash;
}
