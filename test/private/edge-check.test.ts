import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import { BaseImage, LambdaContainerFunction } from '../../src';
import { newStack, pythonProject } from '../util';

describe('registerEdgeCheck', () => {
  const base = () => ({ baseImage: BaseImage.python('3.13'), code: pythonProject().code, cmd: ['app.handler'] });

  test('throws when used with Lambda@Edge', () => {
    const { app, stack } = newStack();
    const fn = new LambdaContainerFunction(stack, 'Fn', base());
    new cloudfront.Distribution(stack, 'Cdn', {
      defaultBehavior: {
        origin: new origins.HttpOrigin('example.com'),
        edgeLambdas: [{ functionVersion: fn.currentVersion, eventType: cloudfront.LambdaEdgeEventType.ORIGIN_REQUEST }],
      },
    });
    expect(() => app.synth()).toThrow(/TestStack\/Fn: invalid use with Lambda@Edge \(distribution TestStack\/Cdn\/Resource\)/);
  });

  test('allows a distribution that does not use the function at the edge', () => {
    const { app, stack } = newStack();
    const fn = new LambdaContainerFunction(stack, 'Fn', base());
    fn.currentVersion;
    new cloudfront.Distribution(stack, 'Cdn', { defaultBehavior: { origin: new origins.HttpOrigin('example.com') } });
    expect(() => app.synth()).not.toThrow();
  });
});
