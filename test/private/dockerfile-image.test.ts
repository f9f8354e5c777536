import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ecr_assets from 'aws-cdk-lib/aws-ecr-assets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ExtensionImageLayer, FunctionImage, LambdaContainerFunction, WarningIds } from '../../src';
import { dockerImages, newStack, tempTree, telemetryDir, TODAY } from '../util';

const DOCKERFILE = 'FROM public.ecr.aws/lambda/python:3.13\nCOPY app.py ${LAMBDA_TASK_ROOT}/\nCMD [ "app.handler" ]\n';

function functionAssetDir(app: App, stack: Stack): string {
  const fn = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'))[0] as any;
  return path.join(app.outdir, fn.Metadata['aws:asset:path']);
}

describe('your own Dockerfile with layers', () => {
  test('is staged into the cloud assembly: no copy of the context is left in the OS temp directory', () => {
    // GIVEN a context with a marker only a copy of it would hold
    const marker = `marker-${process.pid}-${Date.now()}.txt`;
    const context = tempTree({ 'Dockerfile': DOCKERFILE, 'app.py': '', [marker]: 'x' });
    const layer = tempTree({ 'python/lib.py': 'X = 1\n' });
    const before = new Set(fs.readdirSync(os.tmpdir()));
    // WHEN
    const { app, stack } = newStack({ 'aws:cdk:enable-asset-metadata': true });
    new LambdaContainerFunction(stack, 'Fn', { image: FunctionImage.fromImageAsset(context, { imageLayers: [ExtensionImageLayer.fromLayerAsset(layer)] }) });
    // THEN the staged context is in the assembly, with the marker, and nowhere in the temp directory
    const assetDir = functionAssetDir(app, stack);
    expect(assetDir.startsWith(app.outdir + path.sep)).toBe(true);
    expect(fs.existsSync(path.join(assetDir, marker))).toBe(true);
    const copies = fs.readdirSync(os.tmpdir()).filter(n => !before.has(n) && fs.existsSync(path.join(os.tmpdir(), n, marker)));
    expect(copies).toEqual([]);
    expect(fs.readdirSync(app.outdir).filter(n => n.includes('.tmp-'))).toEqual([]);
  });

  test('a cloud assembly inside the build context is not copied into itself', () => {
    const context = tempTree({ 'Dockerfile': DOCKERFILE, 'app.py': '' });
    const app = new App({ outdir: path.join(context, 'cdk.out'), context: { 'cdk-lambda-container:today': TODAY, 'aws:cdk:enable-asset-metadata': true } });
    const stack = new Stack(app, 'TestStack');
    new LambdaContainerFunction(stack, 'Fn', { image: FunctionImage.fromImageAsset(context, { imageLayers: [ExtensionImageLayer.fromLayerAsset(tempTree({ 'bin/tool': '' }))] }) });
    const assetDir = functionAssetDir(app, stack);
    expect(fs.readdirSync(assetDir).sort()).toEqual(['.cdk-lambda-container', 'Dockerfile', 'app.py']);
  });

  test('build arguments and target reach the asset and change its hash', () => {
    const context = tempTree({ 'Dockerfile': DOCKERFILE, 'app.py': '' });
    const layer = ExtensionImageLayer.fromLayerAsset(tempTree({ 'bin/tool': '' }));
    const uris = ['1', '2'].map(v => {
      const { app, stack } = newStack({ 'aws:cdk:enable-asset-metadata': true });
      new LambdaContainerFunction(stack, 'Fn', { image: FunctionImage.fromImageAsset(context, { buildArgs: { V: v }, imageLayers: [layer] }) });
      const fn = Template.fromStack(stack).findResources('AWS::Lambda::Function');
      const manifest = JSON.parse(fs.readFileSync(path.join(app.outdir, 'TestStack.assets.json'), 'utf8'));
      const [image] = Object.values<any>(manifest.dockerImages);
      expect(image.source.dockerBuildArgs).toEqual({ V: v });
      expect((Object.values(fn)[0] as any).Metadata['aws:asset:docker-build-args']).toEqual({ V: v });
      return JSON.stringify((Object.values(fn)[0] as any).Properties.Code.ImageUri);
    });
    expect(uris[0]).not.toEqual(uris[1]);
  });

  const ownContext = () => {
    const dir = tempTree({
      'Dockerfile': '# syntax=docker/dockerfile:1\nARG PY=3.13\nFROM public.ecr.aws/lambda/python:${PY} AS deps\nRUN echo deps\nFROM public.ecr.aws/lambda/python:${PY}\nCOPY app.py ${LAMBDA_TASK_ROOT}/\nCMD ["app.handler"]\n',
      'app.py': 'def handler(e, c): return 1\n',
      'secret.env': 'TOKEN=x\n',
      '.dockerignore': '*.env\n',
    });
    return dir;
  };
  const synthOwn = (context: string) => {
    const { app, stack } = newStack({ 'aws:cdk:enable-asset-metadata': true });
    const wrapper = tempTree({ 'wrapper.sh': '#!/bin/sh\nexec "$@"\n' });
    new LambdaContainerFunction(stack, 'Fn', {
      image: FunctionImage.fromImageAsset(context, {
        imageLayers: [
          ExtensionImageLayer.fromImage('public.ecr.aws/awsguru/aws-lambda-adapter:0.9.1', { source: '/lambda-adapter', destination: '/opt/extensions/lambda-adapter' }),
          ExtensionImageLayer.fromDirectory(telemetryDir()),
          ExtensionImageLayer.wrapperScript(path.join(wrapper, 'wrapper.sh')),
        ],
      }),
    });
    const fn = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'))[0] as any;
    return { assetDir: path.join(app.outdir, fn.Metadata['aws:asset:path']), uri: JSON.stringify(fn.Properties.Code.ImageUri) };
  };

  test('layer stages go before the first FROM (after parser directive and global ARG), copies right after the final FROM', () => {
    const { assetDir } = synthOwn(ownContext());
    const dockerfile = fs.readFileSync(path.join(assetDir, 'Dockerfile'), 'utf8');
    const lines = dockerfile.split('\n');
    expect(lines.slice(0, 2)).toEqual(['# syntax=docker/dockerfile:1', 'ARG PY=3.13']);
    expect(dockerfile.indexOf('FROM public.ecr.aws/lambda/python:3.13-x86_64 AS layer-0')).toBeLessThan(dockerfile.indexOf('AS deps'));
    const finalFrom = lines.indexOf('FROM public.ecr.aws/lambda/python:${PY}');
    expect(lines.slice(finalFrom + 1, finalFrom + 9)).toEqual([
      '# Added by cdk-lambda-container (imageLayers): the layers, first in the final stage.',
      '# Layers and extensions: stable, right after the base, so dependency and code changes never rebuild them.',
      '# layer: fromImage(public.ecr.aws/awsguru/aws-lambda-adapter:0.9.1)',
      'COPY --from=layer-0 /layer/ /',
      '# layer: fromDirectory(telemetry)',
      expect.stringMatching(/^COPY \.cdk-lambda-container\/layers\/1-[0-9a-f]{16}\/ \/$/),
      '# layer: wrapperScript(wrapper.sh)',
      expect.stringMatching(/^COPY \.cdk-lambda-container\/layers\/2-[0-9a-f]{16}\/ \/$/),
    ]);
    expect(lines[finalFrom + 9]).toBe('ENV AWS_LAMBDA_EXEC_WRAPPER=/opt/wrapper.sh');
    expect(lines[finalFrom + 10]).toBe('COPY app.py ${LAMBDA_TASK_ROOT}/');
  });

  test('the copied context keeps what .dockerignore keeps, adds the layers, and hashes the same on every synth', () => {
    const context = ownContext();
    const first = synthOwn(context);
    expect(fs.existsSync(path.join(first.assetDir, 'app.py'))).toBe(true);
    expect(fs.existsSync(path.join(first.assetDir, 'secret.env'))).toBe(false);
    const [telemetry] = fs.readdirSync(path.join(first.assetDir, '.cdk-lambda-container', 'layers')).filter(d => d.startsWith('1-'));
    expect(fs.statSync(path.join(first.assetDir, '.cdk-lambda-container', 'layers', telemetry, 'opt', 'extensions', 'telemetry')).mode % 0o1000).toBe(0o755);
    expect(synthOwn(context).uri).toEqual(first.uri);
  });
});

describe('your Dockerfile is linted at synth', () => {
  test('findings become annotations on the function, with file, line and fix; credentials are errors', () => {
    const { stack } = newStack();
    const context = tempTree({ Dockerfile: 'FROM public.ecr.aws/lambda/python:3.13\nARG API_KEY\nEXPOSE 80\nCMD ["app.handler"]\n' });
    new LambdaContainerFunction(stack, 'Fn', { image: FunctionImage.fromImageAsset(context) });
    const annotations = Annotations.fromStack(stack);
    annotations.hasError('/TestStack/Fn', Match.stringLikeRegexp('^Dockerfile:2: ARG API_KEY looks like a credential.*Fix: pass it as a build secret'));
    annotations.hasWarning('/TestStack/Fn', Match.stringLikeRegexp('^Dockerfile:3: Lambda ignores EXPOSE.*Fix: remove EXPOSE'));
  });
});

describe('lint findings', () => {
  test('are warnings with the ids of WarningIds, acknowledgeable one by one', () => {
    const context = tempTree({ Dockerfile: 'FROM python:3.13\nWORKDIR app\nEXPOSE 8080\nENTRYPOINT [ "python" ]\n' });
    const { stack } = newStack();
    new LambdaContainerFunction(stack, 'Fn', { image: FunctionImage.fromImageAsset(context) });
    const annotations = Annotations.fromStack(stack);
    for (const id of [WarningIds.DOCKERFILE_RELATIVE_WORKDIR, WarningIds.DOCKERFILE_IGNORED_INSTRUCTION, WarningIds.DOCKERFILE_RELATIVE_ENTRYPOINT]) {
      annotations.hasWarning('/TestStack/Fn', Match.stringLikeRegexp(`^Dockerfile:\\d+: .*\\[ack: ${id}\\]$`));
    }
  });

  test('a credential in ENV is an error', () => {
    const context = tempTree({ Dockerfile: 'FROM python:3.13\nENV AWS_SECRET_ACCESS_KEY=abc\n' });
    const { stack } = newStack();
    new LambdaContainerFunction(stack, 'Fn', { image: FunctionImage.fromImageAsset(context), cmd: ['app.handler'] });
    Annotations.fromStack(stack).hasError('/TestStack/Fn', Match.stringLikeRegexp('^Dockerfile:2: ENV AWS_SECRET_ACCESS_KEY looks like a credential'));
  });
});

describe('LambdaContainerFunction with your own Dockerfile', () => {
  const dockerDir = () => tempTree({ 'Dockerfile': 'FROM public.ecr.aws/lambda/python:3.13\nCOPY app.py ${LAMBDA_TASK_ROOT}/\nCMD ["app.handler"]\n', 'app.py': 'x' });

  test('sets the build platform from the architecture', () => {
    const { app, stack } = newStack();
    new LambdaContainerFunction(stack, 'Fn', { image: FunctionImage.fromImageAsset(dockerDir()), architecture: lambda.Architecture.ARM_64 });
    const [image] = Object.values(dockerImages(app));
    expect(image.source.platform).toBe('linux/arm64');
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { Architectures: ['arm64'] });
  });

  test('throws when a given platform contradicts the architecture', () => {
    const { stack } = newStack();
    expect(() => new LambdaContainerFunction(stack, 'Fn', {
      image: FunctionImage.fromImageAsset(dockerDir(), { platform: ecr_assets.Platform.LINUX_AMD64 }),
      architecture: lambda.Architecture.ARM_64,
    })).toThrow(/TestStack\/Fn: invalid platform "linux\/amd64": it contradicts the function's architecture arm64.*Fix: remove platform/);
  });

  test('shares one asset between functions built from the same Dockerfile', () => {
    const { app, stack } = newStack();
    const dir = dockerDir();
    new LambdaContainerFunction(stack, 'A', { image: FunctionImage.fromImageAsset(dir), cmd: ['app.a'] });
    new LambdaContainerFunction(stack, 'B', { image: FunctionImage.fromImageAsset(dir, { file: 'Dockerfile' }), cmd: ['app.b'] });
    expect(Object.keys(dockerImages(app))).toHaveLength(1);
  });

  test('throws when the Dockerfile is missing', () => {
    const { stack } = newStack();
    expect(() => new LambdaContainerFunction(stack, 'Fn', { image: FunctionImage.fromImageAsset(dockerDir(), { file: 'Nope.Dockerfile' }) }))
      .toThrow(/TestStack\/Fn: invalid file "Nope.Dockerfile": no such file/);
  });
});
