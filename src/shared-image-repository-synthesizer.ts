import * as fs from 'fs';
import * as path from 'path';
import { DefaultStackSynthesizer, DefaultStackSynthesizerProps, DockerImageAssetLocation, DockerImageAssetSource, ISynthesisSession, Stack, SynthesizeStackArtifactOptions, Token } from 'aws-cdk-lib';
import * as cxschema from 'aws-cdk-lib/cloud-assembly-schema';
import { contentTag } from './private/repository-naming';

/**
 * Where one image goes: a shared repository and the tag prefix of the image's lineage.
 * @internal
 */
export interface ImageRoute {
  readonly repositoryName: string;
  /** The repository's account and region when known at synth (else the deploying environment's). */
  readonly account?: string;
  readonly region?: string;
  readonly tagPrefix: string;
  /** The stack that creates the repository, when it is in this app: routed builds wait for it. */
  readonly repositoryStack?: Stack;
}

/** Bootstrap version the routed assets need (the same as DefaultStackSynthesizer's assets). */
const ASSETS_BOOTSTRAP_VERSION = 6;

/**
 * A `DefaultStackSynthesizer` that can also publish images into a `SharedImageRepository`.
 *
 * Everything else (file assets, images without a repository, roles, bootstrap checks) is the
 * default synthesizer's. Images routed to a shared repository go into a second asset manifest,
 * `<stack>.shared-images.json`, which depends on the repository's stack: the CDK CLI then builds
 * and pushes them only after that stack is deployed, so a first `cdk deploy --all` works (without
 * it, cdk-assets fails with "No ECR repository named …", aws-cdk #12076). The stack itself
 * depends on that manifest and on the repository's stack.
 *
 * Use it as the App's `defaultStackSynthesizer`, or as the `synthesizer` of each stack with
 * functions whose images go to a shared repository. Takes the same props as
 * `DefaultStackSynthesizer`.
 */
export class SharedImageRepositorySynthesizer extends DefaultStackSynthesizer {
  private readonly options: DefaultStackSynthesizerProps;
  // Per-stack state, set again in bind(): reusableBind() shares this object's fields between stacks.
  private routedImages: Record<string, cxschema.DockerImageAsset> = {};
  private routedDependencies: Set<string> = new Set();
  private nextRoute?: ImageRoute;
  private routedManifestId?: string;

  constructor(props: DefaultStackSynthesizerProps = {}) {
    super(props);
    this.options = props;
  }

  public bind(stack: Stack): void {
    super.bind(stack);
    this.routedImages = {};
    this.routedDependencies = new Set();
    this.nextRoute = undefined;
    this.routedManifestId = undefined;
  }

  public addDockerImageAsset(asset: DockerImageAssetSource): DockerImageAssetLocation {
    const route = this.nextRoute;
    if (!route) {
      return super.addDockerImageAsset(asset);
    }
    this.nextRoute = undefined;
    return this._addRoutedImage(route, asset);
  }

  /**
   * Runs `register` (which creates a DockerImageAsset) with its image routed to `route`.
   * @internal
   */
  public _withRoute<T>(route: ImageRoute, register: () => T): T {
    this.nextRoute = route;
    try {
      return register();
    } finally {
      this.nextRoute = undefined;
    }
  }

  /**
   * Adds an image asset published into a shared repository; returns its location.
   * @internal
   */
  public _addRoutedImage(route: ImageRoute, asset: DockerImageAssetSource): DockerImageAssetLocation {
    const stack = this.boundStack;
    const imageTag = contentTag(route.tagPrefix, asset.sourceHash);
    const resolved = (value: string | undefined) => (value !== undefined && !Token.isUnresolved(value) ? value : undefined);
    const account = resolved(route.account);
    const region = resolved(route.region);
    const destinationId = `${route.repositoryName}-${account ?? 'current_account'}-${region ?? 'current_region'}`;
    const entry = this.routedImages[asset.sourceHash] ?? {
      displayName: asset.displayName,
      source: {
        executable: asset.executable,
        directory: asset.directoryName,
        dockerBuildArgs: asset.dockerBuildArgs,
        dockerBuildContexts: asset.dockerBuildContexts,
        dockerBuildSecrets: asset.dockerBuildSecrets,
        dockerBuildSsh: asset.dockerBuildSsh,
        dockerBuildTarget: asset.dockerBuildTarget,
        dockerFile: asset.dockerFile,
        networkMode: asset.networkMode,
        platform: asset.platform,
        dockerOutputs: asset.dockerOutputs,
        cacheFrom: asset.dockerCacheFrom,
        cacheTo: asset.dockerCacheTo,
        cacheDisabled: asset.dockerCacheDisabled,
      },
      destinations: {},
    };
    this.routedImages[asset.sourceHash] = {
      ...entry,
      destinations: {
        ...entry.destinations,
        [destinationId]: {
          repositoryName: route.repositoryName,
          imageTag,
          region,
          assumeRoleArn: this.imagePublishingRole(account, region),
          assumeRoleExternalId: this.options.imageAssetPublishingExternalId,
          assumeRoleAdditionalOptions: this.options.imageAssetPublishingRoleAdditionalOptions,
        },
      },
    };
    if (route.repositoryStack) {
      this.routedDependencies.add(route.repositoryStack.artifactId);
    }
    const uriAccount = account ?? stack.account;
    const uriRegion = region ?? stack.region;
    return {
      imageUri: `${uriAccount}.dkr.ecr.${uriRegion}.${stack.urlSuffix}/${route.repositoryName}:${imageTag}`,
      repositoryName: route.repositoryName,
      imageTag,
    };
  }

  public synthesize(session: ISynthesisSession): void {
    this.routedManifestId = Object.keys(this.routedImages).length > 0 ? this.emitRoutedManifest(session) : undefined;
    super.synthesize(session);
  }

  protected emitArtifact(session: ISynthesisSession, options: SynthesizeStackArtifactOptions = {}): void {
    super.emitArtifact(session, {
      ...options,
      additionalDependencies: [...(options.additionalDependencies ?? []), ...(this.routedManifestId ? [this.routedManifestId] : [])],
    });
  }

  private emitRoutedManifest(session: ISynthesisSession): string {
    const artifactId = `${this.boundStack.artifactId}.shared-images`;
    const file = `${artifactId}.json`;
    const manifest: cxschema.AssetManifest = { version: cxschema.Manifest.version(), dockerImages: this.routedImages };
    fs.writeFileSync(path.join(session.assembly.outdir, file), JSON.stringify(manifest, undefined, 2));
    const dependencies = [...this.routedDependencies].sort();
    session.assembly.addArtifact(artifactId, {
      type: cxschema.ArtifactType.ASSET_MANIFEST,
      properties: {
        file,
        requiresBootstrapStackVersion: ASSETS_BOOTSTRAP_VERSION,
        bootstrapStackVersionSsmParameter: this.specialize(
          this.options.bootstrapStackVersionSsmParameter ?? DefaultStackSynthesizer.DEFAULT_BOOTSTRAP_STACK_VERSION_SSM_PARAMETER),
      },
      dependencies: dependencies.length > 0 ? dependencies : undefined,
    });
    return artifactId;
  }

  /** The image-publishing role of the repository's account (placeholders where it is the deploying one). */
  private imagePublishingRole(account: string | undefined, region: string | undefined): string {
    let arn = this.specialize(this.options.imageAssetPublishingRoleArn ?? DefaultStackSynthesizer.DEFAULT_IMAGE_ASSET_PUBLISHING_ROLE_ARN);
    if (account) arn = arn.split('${AWS::AccountId}').join(account);
    if (region) arn = arn.split('${AWS::Region}').join(region);
    return arn;
  }

  private specialize(template: string): string {
    return template.split('${Qualifier}').join(this.bootstrapQualifier ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER);
  }
}
