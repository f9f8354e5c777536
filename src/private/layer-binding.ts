/**
 * Binding a function image's extension layers (the CDK side of layer-plan.ts): read and check the
 * layers, annotate the function, and say what the build context holds and the Dockerfile copies.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Annotations, FileSystem, IgnoreMode } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { BaseImage } from '../base-image';
import { StagedLayer, stageLayerFiles } from './build-context';
import { ExtensionImageLayer, layerContentHash } from '../extension-image-layer';
import { ArchitectureName, LAYER_CREDENTIALS_SECRET, RecipeLayer } from './image-recipe';
import { checkLayers, LayerPlan } from './layer-plan';
import { formatProblem } from './limits';

/** The script that fetches layer versions at build time, shipped in the package's assets/. */
const FETCH_SCRIPT_SOURCE = path.join(__dirname, '..', '..', 'assets', 'fetch-layer-version.py');

/**
 * The image that runs the layers' helper stages (fetching layer versions, fixing a publisher
 * path's timestamps): AWS's Python base image, which has a shell, python3 and boto3.
 */
export function layerHelperImage(architecture: ArchitectureName): string {
  return BaseImage.python('3.13')._uriFor(architecture);
}

/** A function image's layers, resolved. */
export interface ResolvedLayers {
  readonly recipe: RecipeLayer[];
  /** Layer files the build context holds. */
  readonly context: StagedLayer[];
  /** Image environment of the layers (wrapper script, runtime hooks). */
  readonly environment: Record<string, string>;
  /** Other context files (the fetch script): context path ← host file. */
  readonly files: Array<{ readonly name: string; readonly source: string }>;
  /** The build secret naming the credentials file of fetched layer versions (never its content). */
  readonly buildSecrets?: Record<string, string>;
  /** Identity of the layers' content and placement, for deduplicating assets. */
  readonly fingerprint: string;
}

/**
 * Reads and checks `layers`: errors name the construct and fail the synth; overlapping layers
 * and unpinned layer images are warnings on it. Context files go under `contextRoot`.
 */
export function resolveLayers(
  scope: IConstruct, layers: readonly ExtensionImageLayer[], architecture: ArchitectureName, contextRoot: string,
): ResolvedLayers {
  const fail = (prop: string, value: string, message: string, fix: string): never => {
    throw new Error(formatProblem(scope.node.path, { prop, value, message, fix }));
  };
  const plans: LayerPlan[] = layers.map((layer, i) => {
    try {
      return layer._plan();
    } catch (e) {
      throw new Error(`${scope.node.path}: invalid layers[${i}]: ${(e as Error).message}`);
    }
  });
  const check = checkLayers(plans);
  if (check.errors.length > 0) {
    throw new Error(check.errors.map(p => formatProblem(scope.node.path, p)).join('\n'));
  }
  for (const warning of check.warnings) {
    Annotations.of(scope).addWarningV2('cdk-lambda-container:layerOverlap', warning);
  }
  for (const plan of plans) {
    const tag = plan.image?.uri.split('/').pop() ?? '';
    if (plan.image && !plan.image.uri.includes('@') && (!tag.includes(':') || tag.endsWith(':latest'))) {
      Annotations.of(scope).addWarningV2('cdk-lambda-container:layerImageNotPinned', `${plan.description} is not pinned: each build copies whatever the reference points to then. Pin a version tag or a digest (@sha256:…).`);
    }
  }
  const credentialFiles = new Set(plans.flatMap(p => (p.fetch ? [p.fetch.credentialsFile] : [])));
  if (credentialFiles.size > 1) {
    fail('layers', [...credentialFiles].join(', '), 'layer versions of one image are fetched with one credentials file (one build secret)', 'give every fromLayerVersionArn the same credentialsFile (a profile can differ)');
  }
  const fetchScript = `${contextRoot}/fetch-layer-version.py`;
  const context: StagedLayer[] = [];
  const recipe: RecipeLayer[] = plans.map((plan, i) => {
    if (plan.fetch) {
      const fetcherImage = plan.fetch.fetcherImage ?? layerHelperImage(architecture);
      const fetch = { arn: plan.fetch.arn, fetcherImage, profile: plan.fetch.profile, script: fetchScript };
      return { description: plan.label, fetch, destination: plan.destination };
    }
    if (!plan.files) {
      return { description: plan.label, image: plan.image, destination: plan.destination };
    }
    const hash = layerContentHash(plan);
    const dir = `${contextRoot}/${i}-${hash.slice(0, 16)}`;
    context.push({ dir, hash, destination: plan.destination, files: plan.files });
    return { description: plan.label, contextDir: dir, destination: plan.destination };
  });
  const [credentialsFile] = credentialFiles;
  return {
    recipe,
    context,
    environment: check.environment,
    files: credentialsFile ? [{ name: fetchScript, source: FETCH_SCRIPT_SOURCE }] : [],
    buildSecrets: credentialsFile ? { [LAYER_CREDENTIALS_SECRET]: `src=${credentialsFile}` } : undefined,
    fingerprint: crypto.createHash('sha256').update(JSON.stringify([recipe, context.map(c => c.hash)])).digest('hex'),
  };
}

/**
 * A copy of your build context (what `.dockerignore` and `exclude` leave in) plus the layers'
 * files and the composed Dockerfile, in a temporary directory for `DockerImageAsset` to stage.
 * The asset hash comes from the content, so it does not change from one synth to the next.
 */
export function stageComposedContext(
  contextDir: string, file: string, dockerfile: string, layers: ResolvedLayers, exclude: readonly string[],
): string {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-lambda-container-context-'));
  const ignoreFile = path.join(contextDir, '.dockerignore');
  const ignored = fs.existsSync(ignoreFile)
    ? fs.readFileSync(ignoreFile, 'utf8').split(/\r?\n/).map(l => l.trim()).filter(l => l && !l.startsWith('#'))
    : [];
  // .dockerignore is applied here and left out: its patterns could hide the layers' folder.
  FileSystem.copyDirectory(contextDir, out, { exclude: [...ignored, ...exclude, '.dockerignore'], ignoreMode: IgnoreMode.DOCKER });
  stageLayerFiles(out, layers.context, layers.files);
  fs.writeFileSync(path.join(out, file), dockerfile);
  return out;
}
