/**
 * The in-use marker of a function whose image is in a shared repository: a custom resource
 * (assets/in-use-marker) that tags the image the function is deployed with, so the repository's
 * lifecycle never expires it. The function's resource depends on it: the image is marked before
 * the function is pointed at it, and unmarked only after the function has moved on or is deleted.
 */
import * as path from 'path';
import { CfnResource, CustomResource, CustomResourceProvider, CustomResourceProviderRuntime, Stack, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { RoutedImage } from './image-routing';
import { IN_USE_TAG_PREFIX } from './lifecycle-policy';

const PROVIDER_ID = 'CdkLambdaContainerInUseMarker';
const HANDLER_DIR = path.join(__dirname, '..', '..', 'assets', 'in-use-marker');

/** Repositories each stack's provider may already mark images in. */
const granted = new WeakMap<CustomResourceProvider, Set<string>>();

export function markImageInUse(fn: lambda.Function, image: RoutedImage): CustomResource {
  const stack = Stack.of(fn);
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
  const marker = new CustomResource(fn, 'ImageInUse', {
    serviceToken: provider.serviceToken,
    resourceType: 'Custom::ImageInUseMarker',
    properties: {
      RepositoryName: repository.repositoryName,
      RegistryId: account,
      ImageTag: image.imageTag,
      MarkerPrefix: IN_USE_TAG_PREFIX,
    },
  });
  (fn.node.defaultChild as CfnResource).addDependency(marker.node.defaultChild as CfnResource);
  return marker;
}
