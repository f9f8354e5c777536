import { CfnParameter } from 'aws-cdk-lib';
import { newStack, tempTree } from './util';
import { BaseImage, ExtensionImageLayer, LambdaContainerFunction } from '../src';

describe('ExtensionImageLayer', () => {
  describe('fromLayerVersionArn', () => {
    test('not a layer version ARN, or a deploy-time value: an error naming the construct and the fix', () => {
      const { stack } = newStack();
      const make = (id: string, arn: string) => new LambdaContainerFunction(stack, id, { baseImage: BaseImage.python('3.13'), entry: tempTree({ 'app.py': '' }), cmd: ['app.handler'], imageLayers: [ExtensionImageLayer.fromLayerVersionArn(arn, { credentialsFile: '/x' })] });
      expect(() => make('A', 'arn:aws:lambda:us-east-1:123456789012:function:f')).toThrow(/^TestStack\/A: invalid imageLayers\[0\] fromLayerVersionArn\(layerVersionArn\) "arn:aws:lambda:us-east-1:123456789012:function:f": not a layer version ARN\. Fix: give a literal arn:aws:lambda/);
      const deployTime = new CfnParameter(stack, 'LayerArn').valueAsString;
      expect(() => make('B', deployTime)).toThrow(/invalid imageLayers\[0\] fromLayerVersionArn\(layerVersionArn\) \(a deploy-time value\): not a layer version ARN known at synth: the image is built before deployment/);
    });
  });
});
