/**
 * Integration test of the example app: integ-runner synthesizes it and compares it with the
 * committed snapshot in integ.example.ts.snapshot/ (asset bodies are git-ignored).
 * `npx projen integ:update` re-records it; read the diff before committing.
 * Assertions (run when deployed, e2e/integ.e2e.ts): every function but the thumbnailer answers
 * through the Lambda API (one image, two CMDs, two answers; the RIC on Debian; the custom
 * runtime's bootstrap, arm64), and the repository holds the images with their in-use markers.
 * The thumbnailer needs an object in its bucket first: e2e/deploy.e2e.ts invokes it.
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App } from 'aws-cdk-lib';
import { ExampleStack, ImagesStack } from '../examples/app';
import { LambdaContainerFunction } from '../src';

const app = new App();
// The example app as `cdk deploy --all` sees it: the shared repository's stack, then the functions'.
const images = new ImagesStack(app, 'LambdaContainerImages');
const stack = new ExampleStack(app, 'LambdaContainerExample', { repository: images.repository });
const integ = new IntegTest(app, 'LambdaContainerExampleTest', {
  testCases: [images, stack],
  diffAssets: true,
  stackUpdateWorkflow: false,
});

const fn = (id: string) => (stack.node.findChild(id) as LambdaContainerFunction).functionName;
const answers = (functionName: string, payload: object, answer: object) =>
  integ.assertions.invokeFunction({ functionName, payload: JSON.stringify(payload) })
    .expect(ExpectedResult.objectLike({ StatusCode: 200, Payload: Match.serializedJson(answer) }));

answers(fn('CreateOrder'), { body: JSON.stringify({ item: 'book' }) }, Match.objectLike({ statusCode: 201 }));
answers(fn('ListOrders'), {}, Match.objectLike({ statusCode: 200, body: '{"orders": [], "table": "orders"}' } /* Python's json.dumps */));
answers(fn('Greeter'), { name: 'integ' }, Match.objectLike({ greeting: 'Hello, integ!' }));
answers(fn('CustomRuntime'), { ping: 1 }, { echo: { ping: 1 }, handler: '' });
integ.assertions.awsApiCall('ECR', 'describeImages', { repositoryName: images.repository.repositoryName })
  .expect(ExpectedResult.objectLike({ imageDetails: Match.arrayWith([Match.objectLike({ imageTags: Match.arrayWith([Match.stringLikeRegexp('^inuse-')]) })]) }));
app.synth();
