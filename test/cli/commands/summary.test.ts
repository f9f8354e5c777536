import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { BaseImage, ExtensionImageLayer, FunctionImage, LambdaContainerFunction, SharedImageRepository, SharedImageRepositorySynthesizer } from '../../../src';
import { summarize } from '../../../src/cli/commands/summary';
import { newStack, synthesizedApp, tempTree, telemetryDir, TODAY } from '../../util';

describe('summary', () => {
  test('prints source, architecture, ImageConfig, Dockerfile and asset hash per function', () => {
    const dir = synthesizedApp();
    const text = summarize(dir, dir);
    expect(text).toMatch(/^\.: 2 container-image functions in 1 stack, 1 distinct image, published to cdk-hnb659fds-container-assets-123456789012-us-east-1$/m);
    expect(text).toMatch(/TestStack\/B\n {2}image source {2}generated Dockerfile, FROM public\.ecr\.aws\/lambda\/python:3\.13-x86_64\n {2}architecture {2}x86_64 \(build platform linux\/amd64\)\n {2}ImageConfig {3}Command=\["app\.b"\]\n {2}Dockerfile {4}asset\.[0-9a-f]{64}\/Dockerfile\n {2}asset hash {4}[0-9a-f]{64}/);
  });

  test('prints the repository and tag each function\'s image is published to', () => {
    const app = new App({ defaultStackSynthesizer: new SharedImageRepositorySynthesizer(), context: { 'cdk-lambda-container:today': TODAY, 'aws:cdk:enable-path-metadata': true } });
    const repository = new SharedImageRepository(new Stack(app, 'Images'), 'Repository', { repositoryName: 'shared' });
    const functions = new Stack(app, 'Functions');
    new LambdaContainerFunction(functions, 'Routed', { baseImage: BaseImage.python('3.13'), entry: tempTree({ 'app.py': '' }), cmd: ['app.h'], repository });
    new LambdaContainerFunction(functions, 'Plain', { baseImage: BaseImage.python('3.13'), entry: tempTree({ 'p.py': '' }), cmd: ['p.h'] });
    const dir = app.synth().directory;
    const text = summarize(dir, dir);
    expect(text).toMatch(/^\.: 2 container-image functions in 1 stack, 2 distinct images, published to shared, cdk-hnb659fds-container-assets-\$\{AWS::AccountId\}-\$\{AWS::Region\}$/m);
    expect(text).toMatch(/Functions\/Routed\n(.*\n)* {2}repository {4}shared \(tag functions\.routed_[0-9a-f]{6}-[0-9a-f]{64}\)/);
    expect(text).toMatch(/Functions\/Plain\n(.*\n)* {2}repository {4}cdk-hnb659fds-container-assets-\$\{AWS::AccountId\}-\$\{AWS::Region\} \(tag [0-9a-f]{64}\)/);
  });

  test('prints which dependency manifest each generated image installs, and where it came from', () => {
    const { app, stack } = newStack();
    new LambdaContainerFunction(stack, 'Found', { baseImage: BaseImage.python('3.13'), entry: tempTree({ 'app.py': '', 'requirements.txt': 'boto3\n' }), cmd: ['app.h'] });
    const explicit = tempTree({ 'app.py': '', 'req/requirements.txt': 'boto3\n' });
    new LambdaContainerFunction(stack, 'Given', { image: FunctionImage.fromEntry(explicit, { baseImage: BaseImage.python('3.13'), dependencies: path.join(explicit, 'req', 'requirements.txt') }), cmd: ['app.h'] });
    new LambdaContainerFunction(stack, 'None', { baseImage: BaseImage.python('3.13'), entry: tempTree({ 'n.py': '' }), cmd: ['n.h'] });
    const dir = app.synth().directory;
    const text = summarize(dir, dir);
    expect(text).toMatch(/TestStack\/Found[0-9A-F]*\n {2}image source {2}.*\n {2}dependencies {2}requirements\.txt \(pip, found in the code directory\)\n/);
    expect(text).toMatch(/TestStack\/Given[0-9A-F]*\n {2}image source {2}.*\n {2}dependencies {2}requirements\.txt \(pip, the dependencies prop\)\n/);
    expect(text).toMatch(/TestStack\/None[0-9A-F]*\n {2}image source {2}.*\n {2}architecture/);
  });

  test('the summary lists a function\'s image layers', () => {
    const { app, stack } = newStack();
    new LambdaContainerFunction(stack, 'Fn', { baseImage: BaseImage.python('3.13'), entry: tempTree({ 'app.py': '' }), cmd: ['app.handler'], imageLayers: [ExtensionImageLayer.fromDirectory(telemetryDir())] });
    app.synth();
    expect(summarize(app.outdir)).toMatch(/^ {2}image layers {2}fromDirectory\(telemetry\)$/m);
  });
});
