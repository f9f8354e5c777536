import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { newStack, tempTree, TODAY } from './util';
import { BaseImage, FunctionImage, LambdaContainerFunction, SharedImageRepository, SharedImageRepositorySynthesizer } from '../src';
import { describeDockerfile, findFunction, readImageFunctions } from '../src/cli/cloud-assembly';
import { main } from '../src/cli/main';
import { summarize } from '../src/cli/summary';

function synthesizedApp() {
  const { app, stack } = newStack({ 'aws:cdk:enable-path-metadata': true });
  const code = tempTree({ 'app.py': 'def a(e, c): return 1\n' });
  const image = FunctionImage.fromBuild({ baseImage: BaseImage.python('3.13'), code });
  new LambdaContainerFunction(stack, 'A', { image, cmd: ['app.a'] });
  new LambdaContainerFunction(stack, 'B', { image, cmd: ['app.b'], architecture: lambda.Architecture.X86_64 });
  return app.synth().directory;
}

describe('readImageFunctions', () => {
  test('joins each image function with its asset', () => {
    const dir = synthesizedApp();
    const fns = readImageFunctions(dir);
    expect(fns.map(f => f.path)).toEqual(['TestStack/A', 'TestStack/B']);
    expect(fns[0].asset?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(fns[0].asset?.hash).toBe(fns[1].asset?.hash);
    expect(fns[1].imageConfig).toEqual({ Command: ['app.b'] });
    expect(describeDockerfile(path.join(fns[0].asset!.directory, 'Dockerfile'))).toEqual({ finalFrom: 'public.ecr.aws/lambda/python:3.13-x86_64', generated: true, layers: [] });
  });

  test('explains what to do when the directory is not a cloud assembly', () => {
    expect(() => readImageFunctions(tempTree({ x: '' }))).toThrow(/not a cloud assembly \(no manifest\.json\)\. Run `cdk synth` first/);
  });
});

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
    new LambdaContainerFunction(functions, 'Routed', { baseImage: BaseImage.python('3.13'), code: tempTree({ 'app.py': '' }), cmd: ['app.h'], repository });
    new LambdaContainerFunction(functions, 'Plain', { baseImage: BaseImage.python('3.13'), code: tempTree({ 'p.py': '' }), cmd: ['p.h'] });
    const dir = app.synth().directory;
    const text = summarize(dir, dir);
    expect(text).toMatch(/^\.: 2 container-image functions in 1 stack, 2 distinct images, published to shared, cdk-hnb659fds-container-assets-\$\{AWS::AccountId\}-\$\{AWS::Region\}$/m);
    expect(text).toMatch(/Functions\/Routed\n(.*\n)* {2}repository {4}shared \(tag functions\.routed_[0-9a-f]{6}-[0-9a-f]{64}\)/);
    expect(text).toMatch(/Functions\/Plain\n(.*\n)* {2}repository {4}cdk-hnb659fds-container-assets-\$\{AWS::AccountId\}-\$\{AWS::Region\} \(tag [0-9a-f]{64}\)/);
  });

  test('prints which dependency manifest each generated image installs, and where it came from', () => {
    const { app, stack } = newStack();
    new LambdaContainerFunction(stack, 'Found', { baseImage: BaseImage.python('3.13'), code: tempTree({ 'app.py': '', 'requirements.txt': 'boto3\n' }), cmd: ['app.h'] });
    const explicit = tempTree({ 'app.py': '', 'req/requirements.txt': 'boto3\n' });
    new LambdaContainerFunction(stack, 'Given', { baseImage: BaseImage.python('3.13'), code: explicit, dependencies: path.join(explicit, 'req', 'requirements.txt'), cmd: ['app.h'] });
    new LambdaContainerFunction(stack, 'None', { baseImage: BaseImage.python('3.13'), code: tempTree({ 'n.py': '' }), cmd: ['n.h'] });
    const dir = app.synth().directory;
    const text = summarize(dir, dir);
    expect(text).toMatch(/TestStack\/Found[0-9A-F]*\n {2}image source {2}.*\n {2}dependencies {2}requirements\.txt \(pip, found in the code directory\)\n/);
    expect(text).toMatch(/TestStack\/Given[0-9A-F]*\n {2}image source {2}.*\n {2}dependencies {2}requirements\.txt \(pip, the dependencies prop\)\n/);
    expect(text).toMatch(/TestStack\/None[0-9A-F]*\n {2}image source {2}.*\n {2}architecture/);
  });

  test('the CLI rejects unknown commands with usage', async () => {
    const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await main(['frobnicate'])).toBe(1);
    expect(spy.mock.calls[0][0]).toMatch(/unknown command "frobnicate".*Usage/s);
    spy.mockRestore();
  });
});

describe('findFunction', () => {
  test('finds a function by path, last path part, logical ID, or logical ID without its hash', () => {
    const { app, stack } = newStack();
    new LambdaContainerFunction(stack, 'Resize', { baseImage: BaseImage.python('3.13'), code: tempTree({ 'app.py': '' }), cmd: ['app.h'] });
    const dir = app.synth().directory;
    const logicalId = readImageFunctions(dir)[0].logicalId;
    for (const name of ['Resize', logicalId]) {
      expect(findFunction(dir, name).logicalId).toBe(logicalId);
    }
    expect(() => findFunction(dir, 'Crop')).toThrow(new RegExp(`no container-image function "Crop" in .*Functions: TestStack/${logicalId}`));
  });
});
