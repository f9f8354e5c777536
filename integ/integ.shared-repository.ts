/**
 * Integration test: one SharedImageRepository used from two stacks, one of them with extension
 * layers. Assertions (run when deployed): both stacks' images are in the repository under their
 * lineage tags, each marked in use, and each function answers through the Lambda API.
 * integ-runner verifies the committed snapshot in the fast suite; `npx projen integ:update`
 * re-records it (read the diff).
 */
import * as path from 'path';
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { BaseImage, ExtensionImageLayer, LambdaContainerFunction, SharedImageRepository, SharedImageRepositorySynthesizer } from '../src';

const examples = path.join(__dirname, '..', 'examples');
const app = new App({ defaultStackSynthesizer: new SharedImageRepositorySynthesizer() });

const images = new Stack(app, 'SharedRepositoryImages');
const repository = new SharedImageRepository(images, 'Repository', {
  repositoryName: 'integ-shared-repository',
  removalPolicy: RemovalPolicy.DESTROY,
  emptyOnDelete: true,
});

// Two stacks, one repository: the shared Python base layers are stored once.
const orders = new Stack(app, 'SharedRepositoryOrders');
const listOrders = new LambdaContainerFunction(orders, 'ListOrders', {
  baseImage: BaseImage.python('3.13'),
  entry: path.join(examples, 'functions', 'orders'),
  cmd: ['app.list_orders'],
  environment: { TABLE_NAME: 'orders' },
  repository,
});

const reports = new Stack(app, 'SharedRepositoryReports');
const withLayers = new LambdaContainerFunction(reports, 'WithLayers', {
  baseImage: BaseImage.python('3.13'),
  entry: path.join(examples, 'functions', 'orders'),
  cmd: ['app.create_order'],
  imageLayers: [
    ExtensionImageLayer.fromDirectory(path.join(examples, 'layers', 'telemetry')),
    ExtensionImageLayer.fromLayerAsset(path.join(examples, 'layers', 'image-utils')),
  ],
  environment: { TABLE_NAME: 'reports' },
  repository,
});

const integ = new IntegTest(app, 'SharedRepositoryTest', {
  testCases: [images, orders, reports],
  diffAssets: true,
  stackUpdateWorkflow: false,
});

for (const [fn, tagPrefix] of [[listOrders, 'sharedrepositoryorders.listorders_'], [withLayers, 'sharedrepositoryreports.withlayers_']] as const) {
  // The image is in the shared repository under its lineage tag (and images are marked in use).
  const tagged = (pattern: string) => Match.arrayWith([Match.objectLike({ imageTags: Match.arrayWith([Match.stringLikeRegexp(pattern)]) })]);
  integ.assertions.awsApiCall('ECR', 'describeImages', { repositoryName: repository.repositoryName })
    .expect(ExpectedResult.objectLike({ imageDetails: tagged(`^${tagPrefix.replace(/\./g, '\\.')}`) }));
  integ.assertions.awsApiCall('ECR', 'describeImages', { repositoryName: repository.repositoryName })
    .expect(ExpectedResult.objectLike({ imageDetails: tagged('^inuse-') }));
  integ.assertions.invokeFunction({ functionName: fn.functionName })
    .expect(ExpectedResult.objectLike({ StatusCode: 200, Payload: Match.stringLikeRegexp('"statusCode": 20[01]') }));
}
app.synth();
