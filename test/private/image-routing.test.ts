import { App, DefaultStackSynthesizer } from 'aws-cdk-lib';
import { BaseImage, LambdaContainerFunction } from '../../src';
import { ENV, handler, TODAY, twoStacks } from '../util';

describe('routeTo', () => {
  describe('fails at synth when a routed image could not deploy', () => {
    test('a stack without the synthesizer', () => {
      const app = new App({ context: { 'cdk-lambda-container:today': TODAY } });
      const { repository, functions } = twoStacks({ app, functions: { synthesizer: new DefaultStackSynthesizer() } });
      expect(() => new LambdaContainerFunction(functions, 'Api', { baseImage: BaseImage.python('3.13'), entry: handler(), cmd: ['app.handler'], repository }))
        .toThrow(/Functions\/Api: invalid repository "shared": the stack Functions uses DefaultStackSynthesizer, which publishes every image into the bootstrap repository\. Fix: give the App `defaultStackSynthesizer: new SharedImageRepositorySynthesizer\(\)`/);
    });

    test('the repository in the function\'s own stack', () => {
      const { images, repository } = twoStacks();
      expect(() => new LambdaContainerFunction(images, 'Api', { baseImage: BaseImage.python('3.13'), entry: handler(), cmd: ['app.handler'], repository }))
        .toThrow(/Images\/Api: invalid repository "shared": the repository is in the same stack \(Images\) as the image, and cdk-assets looks the repository up before that stack is deployed .*Fix: put the SharedImageRepository in a stack of its own/);
    });

    test('another region', () => {
      const { repository, functions } = twoStacks({ functions: { env: { account: ENV.account, region: 'us-east-1' } } });
      expect(() => new LambdaContainerFunction(functions, 'Api', { baseImage: BaseImage.python('3.13'), entry: handler(), cmd: ['app.handler'], repository }))
        .toThrow(/invalid repository "shared": the repository is in eu-west-1 and the image's stack in us-east-1, and Lambda pulls only from its own region\. Fix: create a SharedImageRepository in us-east-1/);
    });

    test('another account not in pullAccounts', () => {
      const { repository, functions } = twoStacks({ functions: { env: { account: '222222222222', region: ENV.region } } });
      expect(() => new LambdaContainerFunction(functions, 'Api', { baseImage: BaseImage.python('3.13'), entry: handler(), cmd: ['app.handler'], repository }))
        .toThrow(/the repository is in account 111111111111 and the function's stack in 222222222222, which may not pull from it\. Fix: add '222222222222' to the repository's pullAccounts/);
    });
  });
});
