/**
 * Integration test: extension layers in an image function (which Lambda does not allow natively):
 * an external extension from a directory, a wrapper script and a library from a layer's layout.
 * Assertions (run when deployed): the function answers through the Lambda API with the extension
 * registered before it ran, the wrapper in front of the runtime and the layer's library importable.
 * integ-runner verifies the committed snapshot in the fast suite; `npx projen integ:update`
 * re-records it (read the diff).
 */
import * as path from 'path';
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import { BaseImage, ExtensionImageLayer, LambdaContainerFunction } from '../src';

const fixtures = path.join(__dirname, 'fixtures', 'extension-layers');
const app = new App();
const stack = new Stack(app, 'ExtensionLayers');
const fn = new LambdaContainerFunction(stack, 'Reporter', {
  baseImage: BaseImage.python('3.13'),
  entry: path.join(fixtures, 'function'),
  cmd: ['app.handler'],
  imageLayers: [
    ExtensionImageLayer.fromDirectory(path.join(fixtures, 'extension')), // extensions/recorder → /opt/extensions
    ExtensionImageLayer.wrapperScript(path.join(fixtures, 'wrapper.sh')), // AWS_LAMBDA_EXEC_WRAPPER
    ExtensionImageLayer.fromLayerAsset(path.join(fixtures, 'library')), // python/ → /opt/python
  ],
});

const integ = new IntegTest(app, 'ExtensionLayersTest', {
  testCases: [stack],
  diffAssets: true,
  stackUpdateWorkflow: false,
});
integ.assertions.invokeFunction({ functionName: fn.functionName }).expect(ExpectedResult.objectLike({
  StatusCode: 200,
  Payload: Match.serializedJson({
    extensions: ['recorder'],
    installed: ['recorder'],
    wrapped_by: 'wrapper.sh',
    shared: 'from the layer',
  }),
}));
app.synth();
