/**
 * Reads what a cloud assembly (`cdk.out`) says about container-image functions: the template's
 * AWS::Lambda::Function resources with PackageType Image, joined with the asset manifest's
 * docker images. The manifests are read through aws-cdk-lib's cloud-assembly schema (typed and
 * version-checked); the local tooling never needs the app to run again.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as cxschema from 'aws-cdk-lib/cloud-assembly-schema';
import { parseDockerfile } from '../../dockerfile/parse';
import { CODE_METADATA_KEY, CodeMetadata, DEPENDENCIES_COMMENT_PREFIX, GENERATED_HEADER, LAYER_COMMENT_PREFIX } from '../../private/image-recipe';
import { UsageError } from '../errors';

/** A container-image function found in a cloud assembly. */
export interface ImageFunction {
  readonly stack: string;
  readonly logicalId: string;
  /** Construct path (from `aws:cdk:path` metadata) or the logical ID. */
  readonly path: string;
  readonly architecture: string;
  readonly imageConfig: { Command?: string[]; EntryPoint?: string[]; WorkingDirectory?: string };
  readonly memorySize?: number;
  readonly timeout?: number;
  readonly environment: Record<string, unknown>;
  /** The image's asset, when it is built from a Docker image asset. */
  readonly asset?: ImageAsset;
  /** Where the asset is published for this function (the destination whose tag its ImageUri names). */
  readonly destination?: ImageDestination;
  /** The image URI as the template has it (a string or a CloudFormation expression). */
  readonly imageUri: unknown;
  /** The code directory the image's code layer is copied from (generated images synthesized with asset metadata). */
  readonly code?: FunctionCode;
}

/** A generated image's code directory on this machine, and what its code layer leaves out. */
export interface FunctionCode {
  /** Absolute. */
  readonly directory: string;
  /** Globs relative to `directory`. */
  readonly exclude: readonly string[];
}

/** A Docker image asset of the assembly. */
export interface ImageAsset {
  readonly hash: string;
  /** Build context directory (absolute). */
  readonly directory: string;
  readonly dockerFile: string;
  readonly platform?: string;
  readonly buildArgs?: Record<string, string>;
  /** Build secrets: id → source spec (`src=<file>`, `env=<variable>`), never the secret itself. */
  readonly buildSecrets?: Record<string, string>;
  readonly target?: string;
  /** Where cdk-assets publishes it. */
  readonly destinations: ImageDestination[];
}

/** A repository and tag an image asset is published to. */
export interface ImageDestination {
  readonly repositoryName: string;
  readonly imageTag: string;
}

/** The part of a CloudFormation template the tooling reads (templates have no schema in the assembly). */
interface Template {
  readonly Resources?: Record<string, {
    readonly Type: string;
    readonly Metadata?: Record<string, unknown>;
    readonly Properties?: {
      readonly PackageType?: string;
      readonly Code?: { readonly ImageUri?: unknown };
      readonly Architectures?: string[];
      readonly ImageConfig?: ImageFunction['imageConfig'];
      readonly MemorySize?: number;
      readonly Timeout?: number;
      readonly Environment?: { readonly Variables?: Record<string, unknown> };
    };
  }>;
}

/** The assembly's manifest, or an error that says how to get one. */
function loadAssembly(assemblyDir: string): cxschema.AssemblyManifest {
  const manifestFile = path.join(assemblyDir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) {
    throw new UsageError(`${assemblyDir} is not a cloud assembly (no manifest.json). Run \`cdk synth\` first, or give the cdk.out directory (--app).`);
  }
  return cxschema.Manifest.loadAssemblyManifest(manifestFile);
}

/** The artifacts of one type, with their properties typed. */
function artifactsOf<P>(manifest: cxschema.AssemblyManifest, type: cxschema.ArtifactType): Array<[string, P]> {
  return Object.entries(manifest.artifacts ?? {})
    .filter(([, artifact]) => artifact.type === type)
    .map(([id, artifact]) => [id, artifact.properties as P]);
}

/** Every Docker image asset of the assembly's stacks, by asset hash. */
export function readImageAssets(assemblyDir: string): Map<string, ImageAsset> {
  const manifest = loadAssembly(assemblyDir);
  const images = new Map<string, ImageAsset>();
  for (const [, properties] of artifactsOf<cxschema.AssetManifestProperties>(manifest, cxschema.ArtifactType.ASSET_MANIFEST)) {
    const assets = cxschema.Manifest.loadAssetManifest(path.join(assemblyDir, properties.file));
    for (const [hash, image] of Object.entries(assets.dockerImages ?? {})) {
      const destinations = Object.values(image.destinations).map(d => ({ repositoryName: d.repositoryName, imageTag: d.imageTag }));
      images.set(hash, {
        destinations: [...(images.get(hash)?.destinations ?? []), ...destinations],
        hash,
        directory: path.join(assemblyDir, image.source.directory ?? ''),
        dockerFile: image.source.dockerFile ?? 'Dockerfile',
        platform: image.source.platform,
        buildArgs: image.source.dockerBuildArgs,
        buildSecrets: image.source.dockerBuildSecrets,
        target: image.source.dockerBuildTarget,
      });
    }
  }
  return images;
}

export function readImageFunctions(assemblyDir: string): ImageFunction[] {
  const images = readImageAssets(assemblyDir);
  const manifest = loadAssembly(assemblyDir);
  const functions: ImageFunction[] = [];
  const stacks = artifactsOf<cxschema.AwsCloudFormationStackProperties>(manifest, cxschema.ArtifactType.AWS_CLOUDFORMATION_STACK);
  for (const [stack, properties] of stacks) {
    const template: Template = JSON.parse(fs.readFileSync(path.join(assemblyDir, properties.templateFile), 'utf8'));
    for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
      const p = resource.Properties ?? {};
      if (resource.Type !== 'AWS::Lambda::Function' || p.PackageType !== 'Image') continue;
      const uri = JSON.stringify(p.Code?.ImageUri ?? '');
      const hash = uri.match(/[0-9a-f]{64}/)?.[0];
      const asset = hash ? images.get(hash) : undefined;
      const cdkPath = resource.Metadata?.['aws:cdk:path'];
      const code = resource.Metadata?.[CODE_METADATA_KEY] as CodeMetadata | undefined;
      functions.push({
        stack,
        logicalId,
        path: typeof cdkPath === 'string' ? cdkPath.replace(/\/Resource$/, '') : `${stack}/${logicalId}`,
        architecture: p.Architectures?.[0] ?? 'x86_64',
        imageConfig: p.ImageConfig ?? {},
        memorySize: p.MemorySize,
        timeout: p.Timeout,
        environment: p.Environment?.Variables ?? {},
        asset,
        destination: asset?.destinations.find(d => uri.includes(`${d.repositoryName}:${d.imageTag}`)),
        imageUri: p.Code?.ImageUri,
        code: code && typeof code.path === 'string'
          ? { directory: path.resolve(assemblyDir, code.path), exclude: Array.isArray(code.exclude) ? code.exclude : [] }
          : undefined,
      });
    }
  }
  return functions;
}

/**
 * Whether `name` names `fn`: its construct path, the path's last part(s), or its logical ID. Without
 * path metadata (apps synthesized outside the CDK CLI) the path is Stack/LogicalId: the logical ID
 * without its 8-hex suffix matches too.
 */
export function functionNamed(fn: ImageFunction, name: string): boolean {
  return fn.path === name || fn.logicalId === name || fn.path.endsWith(`/${name}`) || fn.logicalId.replace(/[0-9A-F]{8}$/, '') === name;
}

/**
 * One function by construct path (`Stack/Fn`), path suffix (`Fn`) or logical ID; errors list
 * the image functions there are.
 */
export function findFunction(assemblyDir: string, name: string): ImageFunction {
  const functions = readImageFunctions(assemblyDir);
  const matches = functions.filter(f => functionNamed(f, name));
  if (matches.length === 1) {
    return matches[0];
  }
  const known = functions.map(f => f.path).join(', ') || '(none)';
  throw new UsageError(matches.length === 0
    ? `no container-image function "${name}" in ${assemblyDir}. Functions: ${known}`
    : `"${name}" matches several functions (${matches.map(f => f.path).join(', ')}): give the full construct path`);
}

/** The FROM image of the final stage of a Dockerfile, whether this library generated it, its extension layers and dependency manifest. */
export function describeDockerfile(file: string): { finalFrom?: string; generated: boolean; layers: string[]; dependencies?: string } {
  if (!fs.existsSync(file)) return { generated: false, layers: [] };
  const { instructions, comments } = parseDockerfile(fs.readFileSync(file, 'utf8'));
  const froms = instructions.filter(i => i.keyword === 'FROM').map(i => i.body.split(/\s+/)[0]);
  const generated = comments[0]?.line === 1 && comments[0].text === GENERATED_HEADER;
  const commented = (prefix: string) => (generated ? comments.filter(c => c.text.startsWith(prefix)).map(c => c.text.slice(prefix.length)) : []);
  const dependencies = commented(DEPENDENCIES_COMMENT_PREFIX)[0]?.match(/^\S+ \([^)]*\)/)?.[0];
  return { finalFrom: froms[froms.length - 1], generated, layers: commented(LAYER_COMMENT_PREFIX), dependencies };
}
