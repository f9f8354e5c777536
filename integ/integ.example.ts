/**
 * Integration test of the example app: integ-runner synthesizes it and compares it with the
 * committed snapshot in integ.example.ts.snapshot/ (asset bodies are git-ignored).
 * `npx projen integ:update` re-records it; read the diff before committing.
 */
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App } from 'aws-cdk-lib';
import { ExampleStack, ImagesStack } from '../examples/app';

const app = new App();
// The example app as `cdk deploy --all` sees it: the shared repository's stack, then the functions'.
const images = new ImagesStack(app, 'LambdaContainerImages');
const stack = new ExampleStack(app, 'LambdaContainerExample', { repository: images.repository });
new IntegTest(app, 'LambdaContainerExampleTest', {
  testCases: [images, stack],
  // The images need a container engine and the stack an account: CI checks the snapshot only.
  diffAssets: true,
  stackUpdateWorkflow: false,
});
app.synth();
