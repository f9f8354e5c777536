import * as fs from 'fs';
import * as path from 'path';
import { Annotations as CoreAnnotations, CfnParameter, Duration, Size, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { assetHashSerializer, dockerImages, newStack, NODE_CODE, pythonProject, tempTree } from './util';
import { BaseImage, FunctionImage, LambdaContainerFunction, LambdaContainerFunctionProps, SharedImageRepository } from '../src';

describe('LambdaContainerFunction with a generated image', () => {
  test('creates an image function whose architecture is explicit (x86_64 by default)', () => {
    const { stack } = newStack();
    const { entry, requirements } = pythonProject();
    new LambdaContainerFunction(stack, 'Fn', { image: FunctionImage.fromEntry(entry, { baseImage: BaseImage.python('3.13'), dependencies: requirements }), cmd: ['app.handler'] });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      PackageType: 'Image',
      Architectures: ['x86_64'],
      ImageConfig: { Command: ['app.handler'] },
      Code: { ImageUri: Match.anyValue() },
    });
  });

  test('uses the arm64 base image tag and platform when architecture is ARM_64', () => {
    const { app, stack } = newStack();
    const { entry } = pythonProject();
    new LambdaContainerFunction(stack, 'Fn', { baseImage: BaseImage.python('3.13'), entry, cmd: ['app.handler'], architecture: lambda.Architecture.ARM_64 });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { Architectures: ['arm64'] });
    const [image] = Object.values(dockerImages(app));
    expect(image.source.platform).toBe('linux/arm64');
    const dockerfile = fs.readFileSync(path.join(app.outdir, image.source.directory, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM public\.ecr\.aws\/lambda\/python:3\.13-arm64$/m);
  });

  test('is a real lambda.Function: grants, metrics and addEnvironment work', () => {
    const { stack } = newStack();
    const { entry } = pythonProject();
    const fn = new LambdaContainerFunction(stack, 'Fn', { baseImage: BaseImage.python('3.13'), entry, cmd: ['app.handler'], environment: { STAGE: 'test' } });
    const bucket = new s3.Bucket(stack, 'Bucket');
    bucket.grantRead(fn);
    fn.addEnvironment('BUCKET', bucket.bucketName);
    expect(fn.metricErrors().metricName).toBe('Errors');
    const role = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    fn.grantInvoke(role);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: { STAGE: 'test', BUCKET: { Ref: Match.anyValue() } } } });
    template.hasResourceProperties('AWS::IAM::Policy', { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'lambda:InvokeFunction' })]) } });
  });

  test('matches the snapshot (asset hashes masked)', () => {
    const { stack } = newStack();
    const { entry, requirements } = pythonProject();
    const image = FunctionImage.fromEntry(entry, { baseImage: BaseImage.python('3.13'), dependencies: requirements });
    new LambdaContainerFunction(stack, 'Resize', { image, cmd: ['app.resize'], architecture: lambda.Architecture.ARM_64, memorySize: 1024, timeout: Duration.seconds(30) });
    new LambdaContainerFunction(stack, 'Crop', { image, cmd: ['app.crop'], architecture: lambda.Architecture.ARM_64 });
    expect.addSnapshotSerializer(assetHashSerializer);
    expect(Template.fromStack(stack).toJSON()).toMatchSnapshot();
  });
});

describe('validation', () => {
  const base = () => ({ baseImage: BaseImage.python('3.13'), entry: pythonProject().entry, cmd: ['app.handler'] });

  test.each<[string, object, RegExp]>([
    ['a relative entrypoint', { entrypoint: ['bootstrap'] }, /invalid entrypoint "bootstrap": .*absolute path.*Fix: use the absolute path, e\.g\. "\/var\/task\/bootstrap"/],
    ['a relative working directory', { workingDirectory: 'app' }, /invalid workingDirectory "app"/],
    ['too many cmd entries', { cmd: Array(1501).fill('x') }, /invalid cmd \(1501 entries\).*at most 1500/],
    ['too many entrypoint entries', { entrypoint: ['/x', ...Array(1500).fill('a')] }, /invalid entrypoint \(1501 entries\)/],
    ['a working directory over 1000 characters', { workingDirectory: '/' + 'a'.repeat(1000) }, /invalid workingDirectory \(1001 characters\)/],
    ['memory below 128 MB', { memorySize: 64 }, /invalid memorySize 64 MB: .*128 to 10240 MB.*Fix: set memorySize between 128 and 10240/],
    ['memory above 10240 MB', { memorySize: 10241 }, /invalid memorySize 10241 MB/],
    ['a timeout over 900 s', { timeout: Duration.minutes(16) }, /invalid timeout 960 s/],
    ['ephemeral storage below 512 MB', { ephemeralStorageSize: Size.mebibytes(256) }, /invalid ephemeralStorageSize 256 MB/],
    ['ephemeral storage above 10240 MB', { ephemeralStorageSize: Size.gibibytes(11) }, /invalid ephemeralStorageSize 11264 MB/],
    ['an unsupported architecture', { architecture: lambda.Architecture.custom('riscv64') }, /invalid architecture "riscv64"/],
    ['layers', { layers: [lambda.LayerVersion.fromLayerVersionArn(new Stack(), 'L', 'arn:aws:lambda:us-east-1:123456789012:layer:x:1')] }, /invalid layers \(1 layer\): Lambda does not accept layers on container-image functions.*Fix: .*imageLayers: \[ExtensionImageLayer/],
  ])('throws on %s, naming the construct path, the prop and the fix', (_name, extra, message) => {
    const { stack } = newStack();
    expect(() => new LambdaContainerFunction(stack, 'Fn', { ...base(), ...extra })).toThrow(message);
    expect(() => new LambdaContainerFunction(stack, 'Fn2', { ...base(), ...extra })).toThrow(/^TestStack\/Fn2: invalid /);
  });

  test('throws on options that add layers (parameters and secrets extension, ADOT)', () => {
    const { stack } = newStack();
    expect(() => new LambdaContainerFunction(stack, 'Fn', { ...base(), paramsAndSecrets: lambda.ParamsAndSecretsLayerVersion.fromVersion(lambda.ParamsAndSecretsVersions.V1_0_103) }))
      .toThrow(/TestStack\/Fn: invalid paramsAndSecrets \(set\): it adds a Lambda layer.*Fix: .*imageLayers: \[ExtensionImageLayer\.fromDirectory/);
  });

  test('does not validate unresolved tokens early', () => {
    const { stack } = newStack();
    const memory = new CfnParameter(stack, 'Memory', { type: 'Number' });
    const dir = new CfnParameter(stack, 'Dir');
    expect(() => new LambdaContainerFunction(stack, 'Fn', { ...base(), memorySize: memory.valueAsNumber, workingDirectory: dir.valueAsString })).not.toThrow();
  });

  test('fails synth when the environment exceeds 4 KB, counting variables added later', () => {
    const { app, stack } = newStack();
    const fn = new LambdaContainerFunction(stack, 'Fn', { ...base(), environment: { A: 'x'.repeat(3000) } });
    fn.addEnvironment('B', 'y'.repeat(2000));
    expect(() => app.synth()).toThrow(/TestStack\/Fn: invalid environment \(5002 bytes\).*4096 bytes.*largest is A/);
  });

  test('throws on reserved environment variable names, in props and in addEnvironment', () => {
    const { stack } = newStack();
    expect(() => new LambdaContainerFunction(stack, 'Fn', { ...base(), environment: { AWS_REGION: 'eu-west-1', _HANDLER: 'x' } }))
      .toThrow(/TestStack\/Fn: invalid environment AWS_REGION, _HANDLER: Lambda sets these variables itself.*Fix: remove AWS_REGION, _HANDLER/);
    const fn = new LambdaContainerFunction(stack, 'Ok', base());
    expect(() => fn.addEnvironment('LAMBDA_TASK_ROOT', '/x')).toThrow(/TestStack\/Ok: invalid environment LAMBDA_TASK_ROOT/);
  });

  test('throws when a handler image gets no cmd', () => {
    const { stack } = newStack();
    expect(() => new LambdaContainerFunction(stack, 'Fn', { baseImage: BaseImage.nodejs('22'), entry: tempTree(NODE_CODE) }))
      .toThrow(/TestStack\/Fn: invalid cmd \(missing\).*Fix: set cmd to the handler, e\.g\. cmd: \['index\.handler'\]/);
  });

  test('throws when a provided image has neither cmd nor its own entrypoint, and accepts either', () => {
    const { stack } = newStack();
    const entry = tempTree({ bootstrap: '#!/bin/sh\n' });
    expect(() => new LambdaContainerFunction(stack, 'Fn', { baseImage: BaseImage.providedAl2023(), entry }))
      .toThrow(/invalid cmd \(missing\).*entrypoint: \['\/var\/task\/bootstrap'\]/);
    expect(() => new LambdaContainerFunction(stack, 'Cmd', { baseImage: BaseImage.providedAl2023(), entry, cmd: ['function.handler'] })).not.toThrow();
    expect(() => new LambdaContainerFunction(stack, 'Entry', { baseImage: BaseImage.providedAl2023(), entry, entrypoint: ['/var/task/bootstrap'] })).not.toThrow();
  });

  test('throws on zero or several image sources, and on half a generated image', () => {
    const { stack } = newStack();
    expect(() => new LambdaContainerFunction(stack, 'None', {}))
      .toThrow(/^TestStack\/None: invalid image \(missing\): a LambdaContainerFunction needs an image source\. Fix: set image: FunctionImage\.fromImageAsset/);
    expect(() => new LambdaContainerFunction(stack, 'Two', { image: FunctionImage.fromImageAsset('.'), ...base() }))
      .toThrow(/^TestStack\/Two: invalid baseImage \(set\): give either image or baseImage \+ entry, not both/);
    expect(() => new LambdaContainerFunction(stack, 'Half', { baseImage: BaseImage.python('3.13') }))
      .toThrow(/^TestStack\/Half: invalid entry \(missing\): a generated image needs both baseImage and entry\. Fix: set entry: 'src\/handler'/);
    expect(() => new LambdaContainerFunction(stack, 'OtherHalf', { entry: 'src' }))
      .toThrow(/^TestStack\/OtherHalf: invalid baseImage \(missing\): a generated image needs both baseImage and entry/);
  });

  test('props renamed or moved before 1.0 are refused with the new way, also from an object TypeScript cannot check', () => {
    const { stack } = newStack();
    const old: Record<string, unknown> = { baseImage: BaseImage.python('3.13'), code: pythonProject().entry, dependencies: 'requirements.txt', cmd: ['app.handler'] };
    expect(() => new LambdaContainerFunction(stack, 'Old', old as LambdaContainerFunctionProps))
      .toThrow(/^TestStack\/Old: invalid code \(set\): this prop of LambdaContainerFunction was renamed or moved before 1\.0, and is ignored\. Fix: use entry: 'src\/handler' \(renamed\)\.\nTestStack\/Old: invalid dependencies \(set\): .*Fix: use image: FunctionImage\.fromEntry\(entry, \{ baseImage, dependencies \}\)\.$/);
    const own: Record<string, unknown> = { buildContext: 'docker', cmd: ['app.handler'] };
    expect(() => new LambdaContainerFunction(stack, 'Own', own as LambdaContainerFunctionProps)).toThrow(/invalid buildContext \(set\).*FunctionImage\.fromImageAsset\(buildContext\)/);
  });

  test('Lambda layers are refused with the way to bake them in', () => {
    const { stack } = newStack();
    const layer = lambda.LayerVersion.fromLayerVersionArn(stack, 'L', 'arn:aws:lambda:us-east-1:123456789012:layer:x:1');
    expect(() => new LambdaContainerFunction(stack, 'Fn', { baseImage: BaseImage.python('3.13'), entry: tempTree({ 'app.py': '' }), cmd: ['app.handler'], layers: [layer] }))
      .toThrow(/Fix: bake the layer's content into the image instead: imageLayers: \[ExtensionImageLayer\.fromLayerAsset/);
  });
});

describe('build props', () => {
  test('build props next to an image are an error that names them and where they go', () => {
    const { stack } = newStack();
    const image = FunctionImage.fromEntry(pythonProject().entry, { baseImage: BaseImage.python('3.13') });
    const repository = SharedImageRepository.fromRepositoryName(stack, 'Repo', 'images');
    expect(() => new LambdaContainerFunction(stack, 'Shared', { image, cmd: ['app.handler'], imageLayers: [], repository }))
      .toThrow(/TestStack\/Shared: invalid imageLayers, repository \(set\): these props describe a build and are ignored when image is given\. Fix: move them into the image's factory, e\.g\. FunctionImage\.fromEntry\(entry, \{ baseImage, imageLayers, repository \}\)/);
  });
});

describe('deprecation warnings', () => {
  test('warns at synth for a deprecated runtime with the date and the replacement', () => {
    const { stack } = newStack();
    new LambdaContainerFunction(stack, 'Fn', { baseImage: BaseImage.python('3.9'), entry: pythonProject().entry, cmd: ['app.handler'] });
    Annotations.fromStack(stack).hasWarning('/TestStack/Fn', Match.stringLikeRegexp('python:3\\.9 was deprecated by AWS Lambda on 2025-12-15.*python\\(\'3\\.13\'\\).*cdk-lambda-container:runtimeDeprecated'));
    Annotations.fromStack(stack).hasWarning('/TestStack/Fn', Match.stringLikeRegexp('Amazon Linux 2.*cdk-lambda-container:amazonLinux2EndOfLife'));
  });

  test('warns ahead of a deprecation and stays silent for current runtimes', () => {
    const { stack } = newStack();
    new LambdaContainerFunction(stack, 'Soon', { baseImage: BaseImage.nodejs('22'), entry: tempTree(NODE_CODE), cmd: ['index.handler'] });
    new LambdaContainerFunction(stack, 'Current', { baseImage: BaseImage.python('3.13'), entry: pythonProject().entry, cmd: ['app.handler'] });
    Annotations.fromStack(stack).hasWarning('/TestStack/Soon', Match.stringLikeRegexp('will be deprecated by AWS Lambda on 2027-04-30'));
    Annotations.fromStack(stack).hasNoWarning('/TestStack/Current', Match.anyValue());
  });

  test('can be acknowledged by id', () => {
    const { stack } = newStack();
    const fn = new LambdaContainerFunction(stack, 'Fn', { baseImage: BaseImage.providedAl2(), entry: pythonProject().entry, cmd: ['function.handler'] });
    CoreAnnotations.of(fn).acknowledgeWarning('cdk-lambda-container:runtimeDeprecated');
    CoreAnnotations.of(fn).acknowledgeWarning('cdk-lambda-container:amazonLinux2EndOfLife');
    Annotations.fromStack(stack).hasNoWarning('/TestStack/Fn', Match.anyValue());
  });
});
