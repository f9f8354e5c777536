import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { BaseImage, LambdaContainerFunction } from '../../src';
import { newStack, pythonProject } from '../util';

describe('registerEdgeCheck', () => {
  const base = () => ({ baseImage: BaseImage.python('3.13'), entry: pythonProject().entry, cmd: ['app.handler'] });

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

  test('refuses container-image functions only, in every distribution that uses one at the edge', () => {
    // GIVEN a container function and a .zip function, each at the edge of distributions
    const { app, stack } = newStack();
    const image = new LambdaContainerFunction(stack, 'Fn', base());
    const zip = new lambda.Function(stack, 'Zip', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({});') });
    const atEdge = (id: string, fn: lambda.Function) => new cloudfront.Distribution(stack, id, {
      defaultBehavior: {
        origin: new origins.HttpOrigin('example.com'),
        edgeLambdas: [{ functionVersion: fn.currentVersion, eventType: cloudfront.LambdaEdgeEventType.VIEWER_REQUEST }],
      },
    });
    atEdge('First', image);
    atEdge('WithZip', zip);
    atEdge('Second', image);
    // WHEN synthesized THEN one error per distribution that uses the container function, none for the .zip one
    let message = '';
    try {
      app.synth();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/TestStack\/Fn: invalid use with Lambda@Edge \(distribution TestStack\/First\/Resource\)/);
    expect(message).toMatch(/TestStack\/Fn: invalid use with Lambda@Edge \(distribution TestStack\/Second\/Resource\)/);
    expect(message).not.toMatch(/WithZip|TestStack\/Zip/);
  });
});
