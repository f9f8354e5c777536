import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { FunctionImage, LambdaContainerFunction } from '../../src';
import { newStack } from '../util';

describe('LambdaContainerFunction from ECR', () => {
  test('references the image by digest and lets Lambda pull it', () => {
    const { stack } = newStack();
    const repo = new ecr.Repository(stack, 'Repo');
    new LambdaContainerFunction(stack, 'Fn', { image: FunctionImage.fromEcr(repo, { tagOrDigest: 'sha256:' + 'b'.repeat(64) }), cmd: ['app.handler'] });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', { Code: { ImageUri: { 'Fn::Join': ['', Match.arrayWith([`@sha256:${'b'.repeat(64)}`])] } } });
    template.hasResourceProperties('AWS::ECR::Repository', { RepositoryPolicyText: { Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })] } });
  });

  test('throws on the mutable "latest" tag', () => {
    const { stack } = newStack();
    const repo = ecr.Repository.fromRepositoryName(stack, 'Repo', 'fns');
    expect(() => new LambdaContainerFunction(stack, 'Fn', { image: FunctionImage.fromEcr(repo, { tagOrDigest: 'latest' }) }))
      .toThrow(/TestStack\/Fn: invalid tagOrDigest "latest".*Fix: use the image digest/);
  });
});
