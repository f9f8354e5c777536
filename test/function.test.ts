import * as fs from 'fs';
import * as path from 'path';
import { Annotations as CoreAnnotations, CfnParameter, Duration, Size, Stack, Stage } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecr_assets from 'aws-cdk-lib/aws-ecr-assets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { assetHashSerializer, newStack, tempTree } from './util';
import { BaseImage, FunctionImage, LambdaContainerFunction, RuntimeInterfaceClient } from '../src';

const PY_CODE = { 'app.py': 'def handler(event, context):\n    return {"ok": True}\n' };
const NODE_CODE = { 'index.mjs': 'export const handler = async () => ({ ok: true });\n' };

function pythonProject(): { code: string; requirements: string } {
  const dir = tempTree({ ...Object.fromEntries(Object.entries(PY_CODE).map(([k, v]) => [`src/${k}`, v])), 'src/requirements.txt': 'pillow==11.0.0\n' });
  return { code: path.join(dir, 'src'), requirements: path.join(dir, 'src', 'requirements.txt') };
}

/** Docker image assets of the synthesized stack's asset manifest. */
function dockerImages(app: import('aws-cdk-lib').App, stackName = 'TestStack'): Record<string, any> {
  const assembly = app.synth();
  return JSON.parse(fs.readFileSync(path.join(assembly.directory, `${stackName}.assets.json`), 'utf8')).dockerImages ?? {};
}

describe('LambdaContainerFunction with a generated image', () => {
  test('creates an image function whose architecture is explicit (x86_64 by default)', () => {
    const { stack } = newStack();
    const { code, requirements } = pythonProject();
    new LambdaContainerFunction(stack, 'Fn', { baseImage: BaseImage.python('3.13'), code, dependencies: requirements, cmd: ['app.handler'] });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      PackageType: 'Image',
      Architectures: ['x86_64'],
      ImageConfig: { Command: ['app.handler'] },
      Code: { ImageUri: Match.anyValue() },
    });
  });

  test('uses the arm64 base image tag and platform when architecture is ARM_64', () => {
    const { app, stack } = newStack();
    const { code } = pythonProject();
    new LambdaContainerFunction(stack, 'Fn', { baseImage: BaseImage.python('3.13'), code, cmd: ['app.handler'], architecture: lambda.Architecture.ARM_64 });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { Architectures: ['arm64'] });
    const [image] = Object.values(dockerImages(app));
    expect(image.source.platform).toBe('linux/arm64');
    const dockerfile = fs.readFileSync(path.join(app.outdir, image.source.directory, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM public\.ecr\.aws\/lambda\/python:3\.13-arm64$/m);
  });

  test('stages a minimal context: Dockerfile, deps/ and code/ without excluded files', () => {
    const { app, stack } = newStack();
    const dir = tempTree({ 'app.py': 'x', 'node_modules/junk.js': 'x', '__pycache__/app.pyc': 'x', 'requirements.txt': 'boto3\n' });
    new LambdaContainerFunction(stack, 'Fn', { baseImage: BaseImage.python('3.13'), code: dir, dependencies: path.join(dir, 'requirements.txt'), cmd: ['app.handler'] });
    const [image] = Object.values(dockerImages(app));
    const root = path.join(app.outdir, image.source.directory);
    const files = listFiles(root);
    expect(files).toEqual(['Dockerfile', 'code/app.py', 'code/requirements.txt', 'deps/requirements.txt']);
  });

  test('puts one image behind several functions with different CMDs: one asset, one build', () => {
    const { app, stack } = newStack();
    const { code, requirements } = pythonProject();
    const image = FunctionImage.fromBuild({ baseImage: BaseImage.python('3.13'), code, dependencies: requirements });
    new LambdaContainerFunction(stack, 'Resize', { image, cmd: ['app.resize'] });
    new LambdaContainerFunction(stack, 'Crop', { image, cmd: ['app.crop'], memorySize: 2048 });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Function', 2);
    template.hasResourceProperties('AWS::Lambda::Function', { ImageConfig: { Command: ['app.resize'] } });
    template.hasResourceProperties('AWS::Lambda::Function', { ImageConfig: { Command: ['app.crop'] } });
    const uris = Object.values(template.findResources('AWS::Lambda::Function')).map(r => JSON.stringify(r.Properties.Code.ImageUri));
    expect(new Set(uris).size).toBe(1);
    expect(Object.keys(dockerImages(app))).toHaveLength(1);
  });

  test('shares one asset automatically between functions whose images are identical', () => {
    const { app, stack } = newStack();
    const { code } = pythonProject();
    for (let i = 0; i < 5; i++) {
      new LambdaContainerFunction(stack, `Fn${i}`, { baseImage: BaseImage.python('3.13'), code, cmd: [`app.handler${i}`] });
    }
    expect(Object.keys(dockerImages(app))).toHaveLength(1);
    expect(fs.readdirSync(app.outdir).filter(f => f.startsWith('asset.'))).toHaveLength(1);
  });

  test('a second synthesis in the same process sees a code change (fingerprints are per App)', () => {
    const code = tempTree(PY_CODE);
    const hashOf = () => {
      const { app, stack } = newStack();
      new LambdaContainerFunction(stack, 'Fn', { baseImage: BaseImage.python('3.13'), code, cmd: ['app.handler'] });
      return Object.keys(dockerImages(app));
    };
    const first = hashOf();
    expect(hashOf()).toEqual(first);
    fs.appendFileSync(path.join(code, 'app.py'), '# one more line\n');
    expect(hashOf()).not.toEqual(first);
  });

  test('builds separate images when the content, base or architecture differs', () => {
    const { app, stack } = newStack();
    const a = pythonProject();
    const b = tempTree({ 'app.py': 'def handler(e, c):\n    return 2\n' });
    new LambdaContainerFunction(stack, 'A', { baseImage: BaseImage.python('3.13'), code: a.code, cmd: ['app.handler'] });
    new LambdaContainerFunction(stack, 'B', { baseImage: BaseImage.python('3.13'), code: b, cmd: ['app.handler'] });
    new LambdaContainerFunction(stack, 'C', { baseImage: BaseImage.python('3.12'), code: a.code, cmd: ['app.handler'] });
    new LambdaContainerFunction(stack, 'D', { baseImage: BaseImage.python('3.13'), code: a.code, cmd: ['app.handler'], architecture: lambda.Architecture.ARM_64 });
    expect(Object.keys(dockerImages(app))).toHaveLength(4);
  });

  test('builds a multi-stage image with the RIC on an alternative base image', () => {
    const { app, stack } = newStack();
    const dir = tempTree({ 'index.mjs': 'export const handler = async () => 1;', 'package.json': '{}', 'package-lock.json': '{}' });
    new LambdaContainerFunction(stack, 'Fn', {
      baseImage: BaseImage.fromRegistry('node:22-bookworm-slim', { ric: RuntimeInterfaceClient.nodejs() }),
      code: dir,
      dependencies: path.join(dir, 'package.json'),
      cmd: ['index.handler'],
    });
    const [image] = Object.values(dockerImages(app));
    const dockerfile = fs.readFileSync(path.join(app.outdir, image.source.directory, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/FROM node:22-bookworm-slim AS build/);
    expect(dockerfile).toMatch(/COPY deps\/package\.json deps\/package-lock\.json \/function\//);
    expect(image.source.platform).toBe('linux/amd64');
  });

  test('stages a nested stage\'s context where its asset manifest points', () => {
    const { app } = newStack();
    const stage = new Stage(app, 'Prod');
    const nested = new Stack(stage, 'Api', { env: { account: '123456789012', region: 'us-east-1' } });
    new LambdaContainerFunction(nested, 'Fn', { baseImage: BaseImage.python('3.13'), code: pythonProject().code, cmd: ['app.handler'] });
    const assembly = app.synth().getNestedAssembly('assembly-Prod');
    const manifestFile = fs.readdirSync(assembly.directory).find(f => f.endsWith('.assets.json'))!;
    const assets = JSON.parse(fs.readFileSync(path.join(assembly.directory, manifestFile), 'utf8'));
    const [image] = Object.values<any>(assets.dockerImages);
    expect(image.source.directory).toMatch(/^\.\.\/asset\.[0-9a-f]{64}$/);
    expect(fs.existsSync(path.join(assembly.directory, image.source.directory, 'Dockerfile'))).toBe(true);
  });

  test('is a real lambda.Function: grants, metrics and addEnvironment work', () => {
    const { stack } = newStack();
    const { code } = pythonProject();
    const fn = new LambdaContainerFunction(stack, 'Fn', { baseImage: BaseImage.python('3.13'), code, cmd: ['app.handler'], environment: { STAGE: 'test' } });
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

  test('adds aws:asset metadata for SAM when asset metadata is enabled', () => {
    const { stack } = newStack({ 'aws:cdk:enable-asset-metadata': true });
    const { code } = pythonProject();
    new LambdaContainerFunction(stack, 'Fn', { baseImage: BaseImage.python('3.13'), code, cmd: ['app.handler'] });
    const [fn] = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'));
    expect(fn.Metadata['aws:asset:path']).toMatch(/^asset\.[0-9a-f]{64}$/);
    expect(fn.Metadata['aws:asset:dockerfile-path']).toBe('Dockerfile');
    expect(fn.Metadata['aws:asset:property']).toBe('Code.ImageUri');
  });

  test('matches the snapshot (asset hashes masked)', () => {
    const { stack } = newStack();
    const { code, requirements } = pythonProject();
    const image = FunctionImage.fromBuild({ baseImage: BaseImage.python('3.13'), code, dependencies: requirements });
    new LambdaContainerFunction(stack, 'Resize', { image, cmd: ['app.resize'], architecture: lambda.Architecture.ARM_64, memorySize: 1024, timeout: Duration.seconds(30) });
    new LambdaContainerFunction(stack, 'Crop', { image, cmd: ['app.crop'], architecture: lambda.Architecture.ARM_64 });
    expect.addSnapshotSerializer(assetHashSerializer);
    expect(Template.fromStack(stack).toJSON()).toMatchSnapshot();
  });
});

describe('LambdaContainerFunction with your own Dockerfile', () => {
  const dockerDir = () => tempTree({ 'Dockerfile': 'FROM public.ecr.aws/lambda/python:3.13\nCOPY app.py ${LAMBDA_TASK_ROOT}/\nCMD ["app.handler"]\n', 'app.py': 'x' });

  test('sets the build platform from the architecture', () => {
    const { app, stack } = newStack();
    new LambdaContainerFunction(stack, 'Fn', { buildContext: dockerDir(), architecture: lambda.Architecture.ARM_64 });
    const [image] = Object.values(dockerImages(app));
    expect(image.source.platform).toBe('linux/arm64');
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { Architectures: ['arm64'] });
  });

  test('throws when a given platform contradicts the architecture', () => {
    const { stack } = newStack();
    expect(() => new LambdaContainerFunction(stack, 'Fn', {
      image: FunctionImage.fromDockerfile(dockerDir(), { platform: ecr_assets.Platform.LINUX_AMD64 }),
      architecture: lambda.Architecture.ARM_64,
    })).toThrow(/TestStack\/Fn: invalid platform "linux\/amd64": it contradicts the function's architecture arm64.*Fix: remove platform/);
  });

  test('shares one asset between functions built from the same Dockerfile', () => {
    const { app, stack } = newStack();
    const dir = dockerDir();
    new LambdaContainerFunction(stack, 'A', { buildContext: dir, cmd: ['app.a'] });
    new LambdaContainerFunction(stack, 'B', { dockerfile: path.join(dir, 'Dockerfile'), cmd: ['app.b'] });
    expect(Object.keys(dockerImages(app))).toHaveLength(1);
  });

  test('throws when the Dockerfile is missing', () => {
    const { stack } = newStack();
    expect(() => new LambdaContainerFunction(stack, 'Fn', { buildContext: dockerDir(), dockerfile: 'Nope.Dockerfile' }))
      .toThrow(/TestStack\/Fn: invalid dockerfile "Nope.Dockerfile": no such file/);
  });
});

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

describe('validation', () => {
  const base = () => ({ baseImage: BaseImage.python('3.13'), code: pythonProject().code, cmd: ['app.handler'] });

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

  test('throws when the code directory is missing', () => {
    const { stack } = newStack();
    expect(() => new LambdaContainerFunction(stack, 'Fn', { ...base(), code: '/nonexistent/src' }))
      .toThrow(/TestStack\/Fn: invalid code "\/nonexistent\/src": no such directory/);
  });

  test('throws when the dependency file is missing', () => {
    const { stack } = newStack();
    expect(() => new LambdaContainerFunction(stack, 'Fn', { ...base(), dependencies: '/nonexistent/requirements.txt' }))
      .toThrow(/TestStack\/Fn: invalid dependencies "\/nonexistent\/requirements.txt": no such file/);
  });

  test('throws on an unknown manifest and on a manifest of another language', () => {
    const { stack } = newStack();
    const dir = tempTree({ 'pom.xml': '<project/>', 'package.json': '{}', 'package-lock.json': '{}' });
    expect(() => new LambdaContainerFunction(stack, 'A', { ...base(), dependencies: path.join(dir, 'pom.xml') })).toThrow(/unknown dependency manifest.*requirements\.txt/);
    expect(() => new LambdaContainerFunction(stack, 'B', { ...base(), dependencies: path.join(dir, 'package.json') })).toThrow(/a npm manifest cannot be installed on a python base image/);
  });

  test('throws when package.json has no lockfile (npm ci needs one)', () => {
    const { stack } = newStack();
    const dir = tempTree({ 'index.js': 'x', 'package.json': '{}' });
    expect(() => new LambdaContainerFunction(stack, 'Fn', { baseImage: BaseImage.nodejs('22'), code: dir, dependencies: path.join(dir, 'package.json'), cmd: ['index.handler'] }))
      .toThrow(/invalid dependencies .*package-lock\.json or npm-shrinkwrap\.json.*Fix: run `npm install`/);
  });

  test('throws when the entrypoint is a symlink in the build context', () => {
    const { stack } = newStack();
    const dir = tempTree({ 'real-bootstrap': '#!/bin/sh\n' });
    fs.symlinkSync('real-bootstrap', path.join(dir, 'bootstrap'));
    expect(() => new LambdaContainerFunction(stack, 'Fn', { baseImage: BaseImage.providedAl2023(), code: dir, entrypoint: ['/var/task/bootstrap'] }))
      .toThrow(/TestStack\/Fn: invalid entrypoint "\/var\/task\/bootstrap": it is a symlink in the build context/);
    expect(() => new LambdaContainerFunction(stack, 'Ok', { baseImage: BaseImage.providedAl2023(), code: dir, entrypoint: ['/var/task/real-bootstrap'] })).not.toThrow();
  });

  test('throws when a handler image gets no cmd', () => {
    const { stack } = newStack();
    expect(() => new LambdaContainerFunction(stack, 'Fn', { baseImage: BaseImage.nodejs('22'), code: tempTree(NODE_CODE) }))
      .toThrow(/TestStack\/Fn: invalid cmd \(missing\).*Fix: set cmd to the handler, e\.g\. cmd: \['index\.handler'\]/);
  });

  test('throws when a provided image has neither cmd nor its own entrypoint, and accepts either', () => {
    const { stack } = newStack();
    const code = tempTree({ bootstrap: '#!/bin/sh\n' });
    expect(() => new LambdaContainerFunction(stack, 'Fn', { baseImage: BaseImage.providedAl2023(), code }))
      .toThrow(/invalid cmd \(missing\).*entrypoint: \['\/var\/task\/bootstrap'\]/);
    expect(() => new LambdaContainerFunction(stack, 'Cmd', { baseImage: BaseImage.providedAl2023(), code, cmd: ['function.handler'] })).not.toThrow();
    expect(() => new LambdaContainerFunction(stack, 'Entry', { baseImage: BaseImage.providedAl2023(), code, entrypoint: ['/var/task/bootstrap'] })).not.toThrow();
  });

  test('throws on zero or several image sources, and on half a generated image', () => {
    const { stack } = newStack();
    expect(() => new LambdaContainerFunction(stack, 'None', {})).toThrow(/invalid image source \(none\)/);
    expect(() => new LambdaContainerFunction(stack, 'Two', { ...base(), buildContext: '.' })).toThrow(/invalid image source \(baseImage\/code and dockerfile\/buildContext\)/);
    expect(() => new LambdaContainerFunction(stack, 'Half', { baseImage: BaseImage.python('3.13') })).toThrow(/invalid code \(missing\)/);
  });

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

  test('Lambda layers are refused with the way to bake them in', () => {
    const { stack } = newStack();
    const layer = lambda.LayerVersion.fromLayerVersionArn(stack, 'L', 'arn:aws:lambda:us-east-1:123456789012:layer:x:1');
    expect(() => new LambdaContainerFunction(stack, 'Fn', { baseImage: BaseImage.python('3.13'), code: tempTree({ 'app.py': '' }), cmd: ['app.handler'], layers: [layer] }))
      .toThrow(/Fix: bake the layer's content into the image instead: imageLayers: \[ExtensionImageLayer\.fromLayerAsset/);
  });
});

describe('dependency manifests found in the code directory', () => {
  /** The generated Dockerfile of the stack's only image. */
  function dockerfileOf(app: import('aws-cdk-lib').App): { dockerfile: string; files: string[] } {
    const [image] = Object.values(dockerImages(app));
    const root = path.join(app.outdir, image.source.directory);
    return { dockerfile: fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8'), files: listFiles(root) };
  }

  test('requirements.txt beside the handler is installed before the code, as the dependencies prop would', () => {
    const found = newStack();
    const { code, requirements } = pythonProject();
    new LambdaContainerFunction(found.stack, 'Fn', { baseImage: BaseImage.python('3.13'), code, cmd: ['app.handler'] });
    const explicit = newStack();
    new LambdaContainerFunction(explicit.stack, 'Fn', { baseImage: BaseImage.python('3.13'), code, dependencies: requirements, cmd: ['app.handler'] });
    const a = dockerfileOf(found.app);
    const b = dockerfileOf(explicit.app);
    expect(a.dockerfile).toMatch(/^# dependencies: requirements\.txt \(pip, found in the code directory\)/m);
    expect(a.dockerfile).toMatch(/COPY deps\/requirements\.txt \$\{LAMBDA_TASK_ROOT\}\/\nRUN pip install .* -r "\$\{LAMBDA_TASK_ROOT\}\/requirements\.txt"\n(.*\n)*COPY code\//);
    // The same image but for the comment that says where the manifest came from.
    expect(a.dockerfile.replace('found in the code directory', 'the dependencies prop')).toBe(b.dockerfile);
    expect(a.files).toEqual(b.files);
  });

  test('package.json with its lockfile is installed with npm ci on a Node.js base; without dependencies it is only code', () => {
    const withDeps = newStack();
    const code = tempTree({ ...NODE_CODE, 'package.json': '{"dependencies":{"left-pad":"1.3.0"}}', 'package-lock.json': '{"lockfileVersion":3}' });
    new LambdaContainerFunction(withDeps.stack, 'Fn', { baseImage: BaseImage.nodejs('22'), code, cmd: ['index.handler'] });
    const { dockerfile, files } = dockerfileOf(withDeps.app);
    expect(dockerfile).toMatch(/# dependencies: package\.json \(npm, found in the code directory\)/);
    expect(files).toEqual(expect.arrayContaining(['deps/package.json', 'deps/package-lock.json']));
    const plain = newStack();
    new LambdaContainerFunction(plain.stack, 'Fn', { baseImage: BaseImage.nodejs('22'), code: tempTree({ ...NODE_CODE, 'package.json': '{"type":"module"}' }), cmd: ['index.handler'] });
    expect(dockerfileOf(plain.app).dockerfile).not.toMatch(/deps\//);
  });

  test('detectDependencies: false copies the manifest with the code and installs nothing', () => {
    const { app, stack } = newStack();
    new LambdaContainerFunction(stack, 'Fn', { baseImage: BaseImage.python('3.13'), code: pythonProject().code, cmd: ['app.handler'], detectDependencies: false });
    const { dockerfile, files } = dockerfileOf(app);
    expect(dockerfile).not.toMatch(/pip install|deps\//);
    expect(files).toEqual(['Dockerfile', 'code/app.py', 'code/requirements.txt']);
  });

  test('a manifest of another language than the base image\'s is an error that names the file and the fixes', () => {
    const { stack } = newStack();
    const code = tempTree({ ...NODE_CODE, 'requirements.txt': 'boto3\n' });
    expect(() => new LambdaContainerFunction(stack, 'Fn', { baseImage: BaseImage.nodejs('22'), code, cmd: ['index.handler'] }))
      .toThrow(/^TestStack\/Fn: invalid code ".*": it holds requirements\.txt, a pip manifest for python, and the base image is nodejs: it would be copied and not installed\. Fix: move requirements\.txt out of the code directory, add it to exclude, use a python base image, or set detectDependencies: false\.$/);
    // Each fix named there works.
    expect(() => new LambdaContainerFunction(stack, 'Excluded', { baseImage: BaseImage.nodejs('22'), code, cmd: ['index.handler'], exclude: ['requirements.txt'] })).not.toThrow();
    expect(() => new LambdaContainerFunction(stack, 'Off', { baseImage: BaseImage.nodejs('22'), code, cmd: ['index.handler'], detectDependencies: false })).not.toThrow();
  });

  test('a package.json with dependencies and no lockfile is an error; so is a yarn.lock', () => {
    const { stack } = newStack();
    const pkg = '{"dependencies":{"left-pad":"1.3.0"}}';
    expect(() => new LambdaContainerFunction(stack, 'A', { baseImage: BaseImage.nodejs('22'), code: tempTree({ ...NODE_CODE, 'package.json': pkg }), cmd: ['index.handler'] }))
      .toThrow(/TestStack\/A: invalid code .*its package\.json is not installable: it declares dependencies and has no package-lock\.json.*Fix: run `npm install` in the code directory/);
    expect(() => new LambdaContainerFunction(stack, 'B', { baseImage: BaseImage.nodejs('22'), code: tempTree({ ...NODE_CODE, 'package.json': pkg, 'yarn.lock': '' }), cmd: ['index.handler'] }))
      .toThrow(/TestStack\/B: invalid code .*its lockfile is yarn\.lock.*Fix: add a package-lock\.json/);
  });

  test('detectDependencies with your own Dockerfile or an existing image is an error', () => {
    const { stack } = newStack();
    const dir = tempTree({ 'Dockerfile': 'FROM public.ecr.aws/lambda/python:3.13\n', 'app.py': '' });
    expect(() => new LambdaContainerFunction(stack, 'Own', { buildContext: dir, cmd: ['app.handler'], detectDependencies: false }))
      .toThrow(/TestStack\/Own: invalid detectDependencies false: your own Dockerfile installs its dependencies itself/);
    const image = FunctionImage.fromBuild({ baseImage: BaseImage.python('3.13'), code: pythonProject().code });
    expect(() => new LambdaContainerFunction(stack, 'Shared', { image, cmd: ['app.handler'], detectDependencies: true }))
      .toThrow(/TestStack\/Shared: invalid detectDependencies \(set\): these props describe a build/);
  });

  test('pyproject.toml without requirements.txt is a warning with the export commands', () => {
    const { stack } = newStack();
    new LambdaContainerFunction(stack, 'Fn', { baseImage: BaseImage.python('3.13'), code: tempTree({ ...PY_CODE, 'pyproject.toml': '[project]\ndependencies = ["boto3"]\n' }), cmd: ['app.handler'] });
    Annotations.fromStack(stack).hasWarning('/TestStack/Fn', Match.stringLikeRegexp('has pyproject\\.toml and no requirements\\.txt: its dependencies are not installed.*uv export.*cdk-lambda-container:dependenciesNotInstalled'));
  });

  test('a Gemfile on the Ruby base image and a go.mod with the Go build are found too', () => {
    const ruby = newStack();
    new LambdaContainerFunction(ruby.stack, 'Fn', { baseImage: BaseImage.ruby('3.4'), code: tempTree({ 'app.rb': '', 'Gemfile': 'source "https://rubygems.org"\n', 'Gemfile.lock': '' }), cmd: ['app.handler'] });
    const rubyImage = dockerfileOf(ruby.app);
    expect(rubyImage.dockerfile).toMatch(/# dependencies: Gemfile \(bundler, found in the code directory\)(.*\n)*RUN bundle config set --local deployment true/);
    expect(rubyImage.files).toEqual(expect.arrayContaining(['deps/Gemfile', 'deps/Gemfile.lock']));
    const go = newStack();
    new LambdaContainerFunction(go.stack, 'Fn', {
      baseImage: BaseImage.fromRegistry('debian:bookworm-slim', { ric: RuntimeInterfaceClient.go() }),
      code: tempTree({ 'main.go': 'package main\n', 'go.mod': 'module example.com/fn\n', 'go.sum': '' }),
    });
    expect(dockerfileOf(go.app).dockerfile).toMatch(/# dependencies: go\.mod \(go, found in the code directory\)\nCOPY deps\/go\.mod deps\/go\.sum /);
  });

  test('an alternative base with a RIC detects the RIC\'s language; a custom runtime detects nothing', () => {
    const ric = newStack();
    new LambdaContainerFunction(ric.stack, 'Fn', { baseImage: BaseImage.fromRegistry('python:3.13-slim', { ric: RuntimeInterfaceClient.python() }), code: pythonProject().code, cmd: ['app.handler'] });
    expect(dockerfileOf(ric.app).dockerfile).toMatch(/# dependencies: requirements\.txt \(pip, found in the code directory\)\nCOPY deps\/requirements\.txt \/function\//);
    const custom = newStack();
    new LambdaContainerFunction(custom.stack, 'Fn', { baseImage: BaseImage.providedAl2023(), code: tempTree({ 'bootstrap': '#!/bin/sh\n', 'requirements.txt': 'x' }), entrypoint: ['/var/task/bootstrap'] });
    expect(dockerfileOf(custom.app).dockerfile).not.toMatch(/deps\//);
  });
});

describe('deprecation warnings', () => {
  test('warns at synth for a deprecated runtime with the date and the replacement', () => {
    const { stack } = newStack();
    new LambdaContainerFunction(stack, 'Fn', { baseImage: BaseImage.python('3.9'), code: pythonProject().code, cmd: ['app.handler'] });
    Annotations.fromStack(stack).hasWarning('/TestStack/Fn', Match.stringLikeRegexp('python:3\\.9 was deprecated by AWS Lambda on 2025-12-15.*python\\(\'3\\.13\'\\).*cdk-lambda-container:runtimeDeprecated'));
    Annotations.fromStack(stack).hasWarning('/TestStack/Fn', Match.stringLikeRegexp('Amazon Linux 2.*cdk-lambda-container:amazonLinux2EndOfLife'));
  });

  test('warns ahead of a deprecation and stays silent for current runtimes', () => {
    const { stack } = newStack();
    new LambdaContainerFunction(stack, 'Soon', { baseImage: BaseImage.nodejs('22'), code: tempTree(NODE_CODE), cmd: ['index.handler'] });
    new LambdaContainerFunction(stack, 'Current', { baseImage: BaseImage.python('3.13'), code: pythonProject().code, cmd: ['app.handler'] });
    Annotations.fromStack(stack).hasWarning('/TestStack/Soon', Match.stringLikeRegexp('will be deprecated by AWS Lambda on 2027-04-30'));
    Annotations.fromStack(stack).hasNoWarning('/TestStack/Current', Match.anyValue());
  });

  test('can be acknowledged by id', () => {
    const { stack } = newStack();
    const fn = new LambdaContainerFunction(stack, 'Fn', { baseImage: BaseImage.providedAl2(), code: pythonProject().code, cmd: ['function.handler'] });
    CoreAnnotations.of(fn).acknowledgeWarning('cdk-lambda-container:runtimeDeprecated');
    CoreAnnotations.of(fn).acknowledgeWarning('cdk-lambda-container:amazonLinux2EndOfLife');
    Annotations.fromStack(stack).hasNoWarning('/TestStack/Fn', Match.anyValue());
  });
});

function listFiles(root: string, rel = ''): string[] {
  return fs.readdirSync(path.join(root, rel), { withFileTypes: true }).flatMap(e => {
    const p = rel ? `${rel}/${e.name}` : e.name;
    return e.isDirectory() ? listFiles(root, p) : [p];
  }).sort();
}
