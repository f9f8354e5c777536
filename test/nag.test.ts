import { App, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { AwsSolutionsChecks } from 'cdk-nag';
import { TODAY, tempTree } from './util';
import { buildExampleApp } from '../examples/app';
import { BaseImage, FunctionImage, LambdaContainerFunction, RuntimeInterfaceClient } from '../src';

/** cdk-nag's AwsSolutions rules over every kind of function this library makes. */
test('adds nothing cdk-nag flags beyond lambda.Function\'s own basic execution role', () => {
  const app = new App({ context: { 'cdk-lambda-container:today': TODAY } });
  const stack = new Stack(app, 'Nag', { env: { account: '123456789012', region: 'us-east-1' } });
  const code = tempTree({ 'app.py': 'def handler(e, c): return 1\n', 'Dockerfile': 'FROM public.ecr.aws/lambda/python:3.13\nCOPY app.py /var/task/\nCMD ["app.handler"]\n' });
  new LambdaContainerFunction(stack, 'Generated', { baseImage: BaseImage.python('3.13'), entry: code, cmd: ['app.handler'] });
  new LambdaContainerFunction(stack, 'WithRic', { baseImage: BaseImage.fromRegistry('python:3.13-slim', { ric: RuntimeInterfaceClient.python() }), entry: code, cmd: ['app.handler'] });
  new LambdaContainerFunction(stack, 'OwnDockerfile', { image: FunctionImage.fromImageAsset(code) });
  const repository = new ecr.Repository(stack, 'Repo', { imageScanOnPush: true, imageTagMutability: ecr.TagMutability.IMMUTABLE });
  new LambdaContainerFunction(stack, 'FromEcr', { image: FunctionImage.fromEcr(repository, { tagOrDigest: 'sha256:' + 'c'.repeat(64) }), cmd: ['app.handler'] });

  // cdk-nag 3 is a policy-validation plugin; aws-cdk-lib 2.257 does not hand it the construct
  // tree, so it is invoked on the tree directly (its documented entry point for that case).
  const report = new AwsSolutionsChecks(app).validateScope(stack);
  const findings = report.violations.flatMap(v => v.violatingResources.map(r => `${(r as { constructPath?: string }).constructPath} ${v.ruleName.replace(/\[.*$/, '')}`));
  // Every function gets aws-cdk-lib's default role with the AWSLambdaBasicExecutionRole managed policy (IAM4).
  expect(findings.sort()).toEqual([
    'Nag/FromEcr/ServiceRole/Resource AwsSolutions-IAM4',
    'Nag/Generated/ServiceRole/Resource AwsSolutions-IAM4',
    'Nag/OwnDockerfile/ServiceRole/Resource AwsSolutions-IAM4',
    'Nag/WithRic/ServiceRole/Resource AwsSolutions-IAM4',
  ]);
});

/** cdk-nag's AwsSolutions rules over the example app (both stacks): zero unacknowledged findings. */
test('the example app has no unacknowledged AwsSolutions finding', () => {
  const app = new App({ context: { 'cdk-lambda-container:today': TODAY } });
  buildExampleApp(app);
  const checks = new AwsSolutionsChecks(app);
  const findings = app.node.children.filter((c): c is Stack => c instanceof Stack)
    .flatMap(stack => checks.validateScope(stack).violations)
    .flatMap(v => v.violatingResources.map(r => `${(r as { constructPath?: string }).constructPath} ${v.ruleName}`));
  expect(findings).toEqual([]);
});
