/**
 * A function image built from a Dockerfile this library generates: the code directory, its
 * dependency manifest (given or found), the layers and the RIC, rendered in AWS's stable →
 * volatile order and staged as one asset per distinct content.
 */
import * as fs from 'fs';
import * as path from 'path';
import { IgnoreStrategy, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct, IConstruct } from 'constructs';
import { architectureName } from './architecture';
import { ContextSpec, DEFAULT_CODE_EXCLUDES } from './build-context';
import { dependencyKindOf, DependencyKind, detectDependencies, KNOWN_MANIFESTS } from './dependencies';
import { addImageResourceMetadata, registerGeneratedImage } from './generated-asset';
import { codeDestination, CONTEXT_LAYERS_DIR, functionImageRecipe, TASK_ROOT } from './image-recipe';
import { BoundFunctionImage, ImageSource } from './image-source';
import { resolveLayers } from './layer-binding';
import { checkImageConfig } from './limits';
import { fail, failIfAny, Problem, requireDirectory, requireFile, warn } from './problems';
import { renderDockerfile } from '../dockerfile/render';
import type { EntryImageOptions } from '../types';
import { WarningIds } from '../warnings';

/** The dependency manifest an image installs: its kind, its files (manifest first), and whether it was found in the code directory. */
interface ResolvedDependencies {
  readonly kind: DependencyKind;
  readonly files: readonly string[];
  readonly detected: boolean;
}

export class GeneratedImage implements ImageSource {
  /** Bound once per stack and architecture: N functions sharing this image check, render and hash it once. */
  private readonly bound = new Map<string, BoundFunctionImage>();

  constructor(private readonly entry: string, private readonly props: EntryImageOptions) {}

  public bind(scope: Construct, architecture: lambda.Architecture): BoundFunctionImage {
    const key = `${Stack.of(scope).node.addr}/${architecture.name}`;
    let bound = this.bound.get(key);
    if (!bound) {
      bound = this.bindOnce(scope, architecture);
      this.bound.set(key, bound);
    }
    return bound;
  }

  private bindOnce(scope: Construct, architecture: lambda.Architecture): BoundFunctionImage {
    const image = this.props;
    const baseImage = image.baseImage;
    const arch = architectureName(scope, architecture);
    const codeDir = requireDirectory(scope, 'entry', this.entry, 'give the directory that holds the handler sources, relative to where `cdk synth` runs or absolute');
    failIfAny(scope, checkImageConfig({ cmd: image.cmd, entrypoint: image.entrypoint, workingDirectory: image.workingDirectory }).map(p => ({ ...p, prop: `image ${p.prop}` })));
    const ric = baseImage.ric?._recipe;
    const dependencies = this.resolveDependencies(scope, ric?.language ?? baseImage.family, codeDir);
    const destination = codeDestination({ ric });
    const checkEntrypoint = (exe: string) => entrypointSymlinkProblem(codeDir, destination, exe);
    const imageEntrypointProblem = image.entrypoint && checkEntrypoint(image.entrypoint[0]);
    if (imageEntrypointProblem) {
      fail(scope, { ...imageEntrypointProblem, prop: 'image entrypoint' });
    }

    const layers = resolveLayers(scope, image.imageLayers ?? [], arch, CONTEXT_LAYERS_DIR);
    const dockerfile = renderDockerfile(functionImageRecipe({
      base: baseImage._uriFor(arch),
      layers: layers.recipe,
      layerEnvironment: layers.environment,
      ric,
      dependencies: dependencies && {
        kind: dependencies.kind, files: dependencies.files.map(f => path.basename(f)), detected: dependencies.detected,
      },
      image: { cmd: image.cmd, entrypoint: image.entrypoint, workingDirectory: image.workingDirectory, environment: image.environment },
    }));
    const platform = architecture.dockerPlatform;
    const spec: ContextSpec = {
      dockerfile,
      codeDir,
      codeExclude: image.exclude ?? DEFAULT_CODE_EXCLUDES,
      dependencyFiles: dependencies?.files ?? [],
      extraHash: platform,
      layers: layers.context,
      files: layers.files,
    };
    const asset = registerGeneratedImage(scope, spec, {
      platform,
      buildSecrets: layers.buildSecrets,
      displayName: `${Stack.of(scope).node.path}/ContainerImage/${path.basename(codeDir)}-${arch}`,
      repository: image.repository,
    });
    return {
      imageUri: asset.imageUri,
      routed: asset.routed,
      requiresHandler: baseImage._requiresHandler,
      imageHasCmd: image.cmd !== undefined,
      imageHasEntrypoint: image.entrypoint !== undefined,
      baseImage,
      checkEntrypoint,
      addResourceMetadata: resource => addImageResourceMetadata(resource, asset, spec),
    };
  }

  /** The manifest given as `dependencies`, else the one found at the top of the entry directory. */
  private resolveDependencies(scope: IConstruct, language: string | undefined, codeDir: string): ResolvedDependencies | undefined {
    const { dependencies, detectDependencies: detect, exclude } = this.props;
    if (dependencies !== undefined) return checkManifest(scope, dependencies, language, false);
    if (detect === false) return undefined;
    const ignore = IgnoreStrategy.glob(codeDir, [...(exclude ?? DEFAULT_CODE_EXCLUDES)]);
    const names = fs.readdirSync(codeDir, { withFileTypes: true })
      .filter(e => e.isFile() && !ignore.ignores(path.join(codeDir, e.name))).map(e => e.name);
    const found = detectDependencies(names, language, name => fs.readFileSync(path.join(codeDir, name), 'utf8'));
    const entry = JSON.stringify(this.entry);
    failIfAny(scope, found.foreign.map(f => ({
      prop: 'entry',
      value: entry,
      message: `it holds ${f.file}, a ${f.kind} manifest for ${f.language}, and the base image is ${language}: it would be copied and not installed`,
      fix: `move ${f.file} out of the entry directory, add it to exclude, use a ${f.language} base image, or set detectDependencies: false`,
    })));
    if (found.unsupported) {
      fail(scope, { prop: 'entry', value: entry, message: `its ${found.unsupported.file} is not installable: ${found.unsupported.why}`, fix: found.unsupported.fix });
    }
    for (const file of found.notInstalled) {
      warn(scope, WarningIds.DEPENDENCIES_NOT_INSTALLED,
        `${scope.node.path}: entry ${entry} has ${file} and no requirements.txt: its dependencies are not installed. `
        + 'Export them (`uv export --no-hashes -o requirements.txt`, `poetry export -o requirements.txt`) or give `dependencies`.');
    }
    return found.manifest === undefined ? undefined : checkManifest(scope, path.join(codeDir, found.manifest), language, true);
  }
}

/** A dependency manifest that this base image's language installs, with its lockfile. */
function checkManifest(scope: IConstruct, manifest: string, language: string | undefined, detected: boolean): ResolvedDependencies {
  const file = requireFile(scope, 'dependencies', manifest, `give the path of the dependency manifest: ${KNOWN_MANIFESTS}`);
  const problem = (message: string, fix: string): Problem => ({ prop: 'dependencies', value: JSON.stringify(manifest), message, fix });
  const info = dependencyKindOf(path.basename(file));
  if (!info) {
    fail(scope, problem('unknown dependency manifest', `use one of ${KNOWN_MANIFESTS}, or install dependencies in your own Dockerfile with FunctionImage.fromImageAsset`));
  }
  if (info.language !== language) {
    fail(scope, problem(`a ${info.kind} manifest cannot be installed on a ${language ?? 'custom'} base image`, `use the ${language ?? 'base image\'s'} language's manifest, or a base image for ${info.language}`));
  }
  const dir = path.dirname(file);
  const companions = info.companions.map(c => path.join(dir, c)).filter(c => fs.existsSync(c));
  if (info.requiredCompanion && companions.length === 0) {
    fail(scope, problem(`no ${info.requiredCompanion.join(' or ')} beside it (the image installs with \`npm ci\`, which needs a lockfile)`, `run \`npm install\` in ${dir} and keep the lockfile`));
  }
  return { kind: info.kind, files: [file, ...companions], detected };
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
