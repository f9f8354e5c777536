import { Template } from 'aws-cdk-lib/assertions';
import { BaseImage, ExtensionImageLayer, FunctionImage, LambdaContainerFunction } from '../../src';
import { newStack, tempTree, telemetryDir } from '../util';

describe('ExtensionImageLayer in a generated image', () => {
  test('layers change the image: same code with and without a layer gives two assets', () => {
    const { stack } = newStack();
    const code = tempTree({ 'app.py': '' });
    const image = FunctionImage.fromBuild({ baseImage: BaseImage.python('3.13'), code, layers: [ExtensionImageLayer.fromDirectory(telemetryDir())] });
    new LambdaContainerFunction(stack, 'With', { image, cmd: ['app.handler'] });
    new LambdaContainerFunction(stack, 'Without', { baseImage: BaseImage.python('3.13'), code, cmd: ['app.handler'] });
    const uris = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')).map((f: any) => JSON.stringify(f.Properties.Code.ImageUri));
    expect(new Set(uris).size).toBe(2);
  });
});
