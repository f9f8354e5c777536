/**
 * LayerImage: extension layers built and published as an image of their own (`FROM scratch`,
 * the layers' files at their image paths), so other apps and teams copy them with
 * `ExtensionImageLayer.fromImage(uri)` — "build the extension image once, reuse it".
 */
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { I } from './dockerfile/model';
import { renderDockerfile } from './dockerfile/render';
import { ExtensionImageLayer } from './extension-image-layer';
import { architectureName } from './private/architecture';
import { registerGeneratedImage } from './private/generated-asset';
import { CONTEXT_LAYERS_DIR, GENERATED_HEADER, layerSteps } from './private/image-recipe';
import { layerHelperImage, resolveLayers } from './private/layer-binding';
import { fail } from './private/problems';
import { ISharedImageRepository } from './shared-image-repository';

/** Props of a {@link LayerImage}. */
export interface LayerImageProps {
  /** What the image holds, in this order (their files under /opt; checked as a function's layers are). */
  readonly imageLayers: ExtensionImageLayer[];

  /**
   * Architecture the image is built for (layer content such as native libraries and extension
   * binaries is architecture-specific).
   * @default lambda.Architecture.X86_64
   */
  readonly architecture?: lambda.Architecture;

  /**
   * A shared repository to publish the image into (its lineage keeps the newest images there;
   * nothing marks a layer image in use, as functions copy it at build time).
   * @default - the bootstrap repository
   */
  readonly repository?: ISharedImageRepository;
}

/**
 * Extension layers published as an image of their own: built `FROM scratch` by `cdk deploy`
 * like any image asset. Hand `imageUri` to other apps, which copy it with
 * `ExtensionImageLayer.fromImage(uri)` (its `/opt` by default). Environment a layer sets
 * (wrapper script, runtime hooks) is in the image config only: `fromImage` copies files, so
 * consumers set those variables themselves.
 *
 * @example
 * const telemetry = new LayerImage(this, 'Telemetry', {
 *   imageLayers: [ExtensionImageLayer.fromDirectory('layers/telemetry')],
 *   architecture: lambda.Architecture.ARM_64,
 * });
 * // telemetry.imageUri: publish it (e.g. a CfnOutput) for other apps' fromImage
 */
export class LayerImage extends Construct {
  /** URI of the image (resolved at deployment), tagged with its content hash. */
  public readonly imageUri: string;

  /** The image's tag: the content hash of its build context (after its lineage prefix in a shared repository). */
  public readonly imageTag: string;

  constructor(scope: Construct, id: string, props: LayerImageProps) {
    super(scope, id);
    if ((props as unknown as { layers?: unknown }).layers !== undefined) {
      fail(this, { prop: 'layers', value: '(set)', message: 'this prop of LayerImage was renamed before 1.0, and is ignored', fix: 'use imageLayers' });
    }
    if (!props.imageLayers || props.imageLayers.length === 0) {
      fail(this, { prop: 'imageLayers', value: '[]', message: 'a layer image needs at least one layer', fix: 'give the layers it should hold' });
    }
    const platform = props.architecture ?? lambda.Architecture.X86_64;
    const architecture = architectureName(this, platform);
    const layers = resolveLayers(this, props.imageLayers, architecture, CONTEXT_LAYERS_DIR);
    const { stages, copies } = layerSteps(layers.recipe, layerHelperImage(architecture));
    const environment = Object.keys(layers.environment).length > 0 ? [I.env(layers.environment)] : [];
    const dockerfile = renderDockerfile({
      header: [GENERATED_HEADER],
      stages: [...stages, { from: 'scratch', instructions: [...copies, ...environment] }],
    });
    const spec = {
      dockerfile, codeExclude: [], dependencyFiles: [], extraHash: platform.dockerPlatform, layers: layers.context, files: layers.files,
    };
    const asset = registerGeneratedImage(this, spec, {
      platform: platform.dockerPlatform,
      buildSecrets: layers.buildSecrets,
      displayName: `${this.node.path}/LayerImage-${architecture}`,
      repository: props.repository,
    });
    this.imageUri = asset.imageUri;
    this.imageTag = asset.routed?.imageTag ?? asset.hash;
  }
}
