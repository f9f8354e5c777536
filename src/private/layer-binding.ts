/**
 * Binding a function image's extension layers (the CDK side of layer-plan.ts): read and check the
 * layers, annotate the function, and say what the build context holds and the Dockerfile copies.
 */
import * as path from 'path';
import { IConstruct } from 'constructs';
import { StagedLayer } from './build-context';
import { ArchitectureName, LAYER_CREDENTIALS_SECRET, RecipeLayer } from './image-recipe';
import { layerContentHash } from './layer-files';
import { checkLayers, LayerPlan } from './layer-plan';
import { fail, ProblemError, warn } from './problems';
import { BaseImage } from '../base-image';
import type { ExtensionImageLayer } from '../extension-image-layer';
import { WarningIds } from '../warnings';

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
}

/**
 * Reads and checks `layers`: errors name the construct and fail the synth; overlapping layers
 * and unpinned layer images are warnings on it. Context files go under `contextRoot`.
 */
export function resolveLayers(
  scope: IConstruct, layers: readonly ExtensionImageLayer[], architecture: ArchitectureName, contextRoot: string,
): ResolvedLayers {
  const plans: LayerPlan[] = layers.map((layer, i) => {
    try {
      return layer._plan();
    } catch (e) {
      if (!(e instanceof ProblemError)) throw e;
      fail(scope, ...e.problems.map(p => ({ ...p, prop: `imageLayers[${i}] ${p.prop}` })));
    }
  });
  const check = checkLayers(plans);
  if (check.errors.length > 0) fail(scope, ...check.errors);
  for (const warning of check.warnings) {
    warn(scope, WarningIds.LAYER_OVERLAP, warning);
  }
  const credentialFiles = new Set<string>();
  for (const plan of plans) {
    if (plan.content.kind === 'fetch') credentialFiles.add(plan.content.credentialsFile);
    if (plan.content.kind !== 'image') continue;
    const uri = plan.content.uri;
    const tag = uri.split('/').pop() ?? '';
    if (!uri.includes('@') && (!tag.includes(':') || tag.endsWith(':latest'))) {
      warn(scope, WarningIds.LAYER_IMAGE_NOT_PINNED, `${plan.description} is not pinned: each build copies whatever the reference points to then. Pin a version tag or a digest (@sha256:…).`);
    }
  }
  if (credentialFiles.size > 1) {
    fail(scope, { prop: 'imageLayers', value: [...credentialFiles].join(', '), message: 'layer versions of one image are fetched with one credentials file (one build secret)', fix: 'give every fromLayerVersionArn the same credentialsFile (a profile can differ)' });
  }
  const fetchScript = `${contextRoot}/fetch-layer-version.py`;
  const context: StagedLayer[] = [];
  const recipe = plans.map((plan, i): RecipeLayer => {
    const placed = { description: plan.label, destination: plan.destination };
    const content = plan.content;
    switch (content.kind) {
      case 'fetch': {
        const fetcherImage = content.fetcherImage ?? layerHelperImage(architecture);
        return { ...placed, content: { kind: 'fetch', arn: content.arn, fetcherImage, profile: content.profile, script: fetchScript } };
      }
      case 'image':
        return { ...placed, content: { kind: 'image', uri: content.uri, source: content.source } };
      case 'files': {
        const hash = layerContentHash(plan);
        const dir = `${contextRoot}/${i}-${hash.slice(0, 16)}`;
        context.push({ dir, hash, destination: plan.destination, files: content.files });
        return { ...placed, content: { kind: 'files', contextDir: dir } };
      }
    }
  });
  const [credentialsFile] = credentialFiles;
  return {
    recipe,
    context,
    environment: check.environment,
    files: credentialsFile ? [{ name: fetchScript, source: FETCH_SCRIPT_SOURCE }] : [],
    buildSecrets: credentialsFile ? { [LAYER_CREDENTIALS_SECRET]: `src=${credentialsFile}` } : undefined,
  };
}
