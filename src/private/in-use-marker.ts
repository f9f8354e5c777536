/**
 * The in-use markers of functions whose image is in a shared repository: custom resources
 * (assets/in-use-marker) that tag the images deployed functions and their published versions run,
 * so the repository's lifecycle never expires them.
 *
 * - The function's marker: the function's resource depends on it, so the image is marked before
 *   the function is pointed at it, and unmarked only after the function has moved on or is deleted.
 * - A marker per published version (`AWS::Lambda::Version` of such a function: `fn.currentVersion`,
 *   `new lambda.Version(...)`; an alias, weighted or not, points at versions, so its versions'
 *   markers cover it). The version depends on its marker: the image is marked before the version
 *   is published, and a deleted version's marker goes after it. The marker's logical ID follows the
 *   version's identity (its logical ID and the properties whose change makes CloudFormation publish
 *   it again), and it is kept or deleted as the version is (a retained version's marker is retained
 *   too, so its tag stays for as long as the version may exist). Versions are
 *   found at synth by an Aspect on the function's Stage, so versions made after the function (or in
 *   another stack of the Stage) are found too.
 */
import * as crypto from 'crypto';
import * as path from 'path';
import { AspectPriority, Aspects, CfnDeletionPolicy, CfnResource, CustomResource, CustomResourceProvider, CustomResourceProviderRuntime, IAspect, Lazy, Stack, Stage, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { RoutedImage } from './image-routing';
import { IN_USE_TAG_PREFIX } from './lifecycle-policy';

const PROVIDER_ID = 'CdkLambdaContainerInUseMarker';
const HANDLER_DIR = path.join(__dirname, '..', '..', 'assets', 'in-use-marker');
const MARKER_ID = 'ImageInUse';
/** CloudFormation's longest logical ID. */
const MAX_LOGICAL_ID = 255;

/** Repositories each stack's provider may already mark images in. */
const granted = new WeakMap<CustomResourceProvider, Set<string>>();
/** The routed image of each marked function, for its versions' markers. */
const markedFunctions = new WeakMap<lambda.IFunction, RoutedImage>();
/** Stages that already have the versions aspect. */
const stagesWithAspect = new WeakSet<IConstruct>();

export function markImageInUse(fn: lambda.Function, image: RoutedImage): CustomResource {
  const marker = markerResource(fn, image, {});
  dependsOn(fn.node.defaultChild as CfnResource, marker.node.defaultChild as CfnResource);
  markedFunctions.set(fn, image);
  const stage = Stage.of(fn) ?? fn.node.root;
  if (!stagesWithAspect.has(stage)) {
    stagesWithAspect.add(stage);
    Aspects.of(stage).add(new VersionMarkers(), { priority: AspectPriority.MUTATING });
  }
  return marker;
}

/** Gives each published version of a marked function a marker of its own. */
class VersionMarkers implements IAspect {
  public visit(node: IConstruct): void {
    if (!(node instanceof lambda.Version) || node.node.tryFindChild(MARKER_ID)) return;
    const image = markedFunctions.get(node.lambda);
    if (image) markVersionImage(node, image);
  }
}

/** The marker of a version, and the version's dependency on it. */
function markVersionImage(version: lambda.Version, image: RoutedImage): CustomResource {
  const marker = markerResource(version, image, { Kind: 'version' });
  const markerCfn = marker.node.defaultChild as CfnResource;
  const versionCfn = version.node.defaultChild as lambda.CfnVersion;
  const stack = Stack.of(version);
  // A new marker whenever CloudFormation would publish the version again (a new logical ID, as
  // currentVersion gets for each function configuration, or a changed property that replaces it);
  // an update of the marker (the function's image changed, the version did not) keeps its mark.
  markerCfn.overrideLogicalId(Lazy.uncachedString({ produce: () => versionMarkerLogicalId(stack, versionCfn) }));
  // Kept or deleted as the version is (its DeletionPolicy when it leaves the template, its
  // UpdateReplacePolicy when it is replaced): a retained version keeps its image marked.
  const policy = Lazy.uncachedString({ produce: () => (retains(versionCfn) ? CfnDeletionPolicy.RETAIN : CfnDeletionPolicy.DELETE) });
  markerCfn.addOverride('DeletionPolicy', policy);
  markerCfn.addOverride('UpdateReplacePolicy', policy);
  dependsOn(versionCfn, markerCfn);
  return marker;
}

/**
 * `source` depends on `target`: addResourceDependency where aws-cdk-lib has it (later releases
 * deprecate addDependency, with a warning on every synth); the lowest supported, 2.257, has only
 * addDependency.
 */
function dependsOn(source: CfnResource, target: CfnResource): void {
  const resource = source as CfnResource & { addResourceDependency?: CfnResource['addDependency'] };
  (resource.addResourceDependency ?? resource.addDependency).call(source, target);
}

function markerResource(scope: IConstruct, image: RoutedImage, extra: Record<string, string>): CustomResource {
  const stack = Stack.of(scope);
  const provider = CustomResourceProvider.getOrCreateProvider(stack, PROVIDER_ID, {
    codeDirectory: HANDLER_DIR,
    runtime: CustomResourceProviderRuntime.NODEJS_22_X,
    description: 'cdk-lambda-container: tags the image each function uses (in-use marker) in its shared repository',
  });
  const repository = image.repository;
  const known = (x: string) => !Token.isUnresolved(x);
  const account = known(repository.env.account) ? repository.env.account : stack.account;
  const region = known(repository.env.region) ? repository.env.region : stack.region;
  // Built from the name, not the repository's ARN attribute: no cross-stack export.
  const repositoryArn = `arn:${stack.partition}:ecr:${region}:${account}:repository/${repository.repositoryName}`;
  const grantedHere = granted.get(provider) ?? new Set<string>();
  granted.set(provider, grantedHere);
  if (!grantedHere.has(repository.repositoryName)) {
    grantedHere.add(repository.repositoryName);
    provider.addToRolePolicy({ Effect: 'Allow', Action: ['ecr:BatchGetImage', 'ecr:PutImage', 'ecr:BatchDeleteImage'], Resource: repositoryArn });
  }
  return new CustomResource(scope, MARKER_ID, {
    serviceToken: provider.serviceToken,
    resourceType: 'Custom::ImageInUseMarker',
    properties: {
      RepositoryName: repository.repositoryName,
      RegistryId: account,
      ImageTag: image.imageTag,
      MarkerPrefix: IN_USE_TAG_PREFIX,
      ...extra,
    },
  });
}

/**
 * `<version's logical ID>ImageInUse<hash>`, the hash over the version's properties that make
 * CloudFormation replace it (publish it again): FunctionName, CodeSha256, Description, RuntimePolicy.
 */
function versionMarkerLogicalId(stack: Stack, version: lambda.CfnVersion): string {
  const versionId: string = stack.resolve(version.logicalId);
  const identity = stack.resolve({ f: version.functionName, c: version.codeSha256, d: version.description, r: version.runtimePolicy });
  const hash = crypto.createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 8);
  const suffix = `${MARKER_ID}${hash}`;
  return `${versionId.slice(Math.max(0, versionId.length - (MAX_LOGICAL_ID - suffix.length)))}${suffix}`;
}

/** Whether the version stays when it leaves the template or is replaced. */
function retains(version: CfnResource): boolean {
  const keeps = (policy: CfnDeletionPolicy | undefined) => policy !== undefined && policy !== CfnDeletionPolicy.DELETE;
  return keeps(version.cfnOptions.deletionPolicy) || keeps(version.cfnOptions.updateReplacePolicy);
}
