/**
 * Routing of image assets into a shared repository: the checks that make a routed image
 * deployable (synthesizer, stacks, region, account), the lineage tag prefix, and the stack
 * dependency on the repository's stack.
 */
import { Stack, Stage, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { fail } from './problems';
import { ISharedImageRepository, SharedImageRepository } from '../shared-image-repository';
import { ImageRoute, SharedImageRepositorySynthesizer } from '../shared-image-repository-synthesizer';
import { lineageTagPrefix } from './repository-naming';

/** An image published into a shared repository, as the function that runs it sees it. */
export interface RoutedImage {
  readonly repository: ISharedImageRepository;
  readonly imageTag: string;
}

export interface ImageRouting {
  readonly repository: ISharedImageRepository;
  readonly synthesizer: SharedImageRepositorySynthesizer;
  readonly route: ImageRoute;
}

/**
 * Checks that images of `scope` can go to `repository` and returns where they go. The lineage is
 * named after `scope` (the first function or layer image that binds the image).
 */
export function routeTo(scope: IConstruct, repository: ISharedImageRepository): ImageRouting {
  const stack = Stack.of(scope);
  const refuse = (value: string, message: string, fix: string): never => fail(scope, { prop: 'repository', value, message, fix });
  const name = JSON.stringify(repository.repositoryName);
  const synthesizer = stack.synthesizer;
  if (!(synthesizer instanceof SharedImageRepositorySynthesizer)) {
    refuse(name, `the stack ${stack.stackName} uses ${synthesizer.constructor.name}, which publishes every image into the bootstrap repository`,
      'give the App `defaultStackSynthesizer: new SharedImageRepositorySynthesizer()` (or the stack `synthesizer: new SharedImageRepositorySynthesizer()`)');
  }
  const managed = repository instanceof SharedImageRepository;
  const repositoryStack = Stack.of(repository);
  if (managed && repositoryStack === stack) {
    refuse(name, `the repository is in the same stack (${stack.stackName}) as the image, and cdk-assets looks the repository up before that stack is deployed ("No ECR repository named …")`,
      'put the SharedImageRepository in a stack of its own: the image builds then wait for that stack');
  }
  if (managed && Stage.of(repositoryStack) !== Stage.of(stack)) {
    refuse(name, `the repository's stack ${repositoryStack.node.path} is in another Stage, and deployments of one Stage cannot wait for another's`,
      'create the repository in this Stage, or deploy its Stage first and use SharedImageRepository.fromRepositoryName here');
  }
  const known = (x: string) => !Token.isUnresolved(x);
  if (known(stack.region) && known(repository.env.region) && stack.region !== repository.env.region) {
    refuse(name, `the repository is in ${repository.env.region} and the image's stack in ${stack.region}, and Lambda pulls only from its own region`,
      `create a SharedImageRepository in ${stack.region} for this stack`);
  }
  if (managed && known(stack.account) && known(repository.env.account) && stack.account !== repository.env.account
    && !(repository as SharedImageRepository).pullAccounts.includes(stack.account)) {
    refuse(name, `the repository is in account ${repository.env.account} and the function's stack in ${stack.account}, which may not pull from it`,
      `add '${stack.account}' to the repository's pullAccounts`);
  }
  const tagPrefix = lineageTagPrefix(scope.node.path);
  if (managed) {
    (repository as SharedImageRepository)._addLineage(tagPrefix);
    // addStackDependency where aws-cdk-lib has it (later releases deprecate addDependency, with a
    // warning on every synth); the lowest supported, 2.257, has only addDependency.
    const dependent = stack as Stack & { addStackDependency?: Stack['addDependency'] };
    (dependent.addStackDependency ?? dependent.addDependency).call(stack, repositoryStack, `images published into ${repository.repositoryName}`);
  }
  return {
    repository,
    synthesizer: synthesizer as SharedImageRepositorySynthesizer,
    route: {
      repositoryName: repository.repositoryName,
      account: repository.env.account,
      region: repository.env.region,
      tagPrefix,
      repositoryStack: managed ? repositoryStack : undefined,
    },
  };
}
