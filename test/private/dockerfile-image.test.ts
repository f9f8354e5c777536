import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { ExtensionImageLayer, LambdaContainerFunction, WarningIds } from '../../src';
import { newStack, tempTree, TODAY } from '../util';

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
    new LambdaContainerFunction(stack, 'Fn', { buildContext: context, imageLayers: [ExtensionImageLayer.fromLayerAsset(layer)] });
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
    new LambdaContainerFunction(stack, 'Fn', { buildContext: context, imageLayers: [ExtensionImageLayer.fromLayerAsset(tempTree({ 'bin/tool': '' }))] });
    const assetDir = functionAssetDir(app, stack);
    expect(fs.readdirSync(assetDir).sort()).toEqual(['.cdk-lambda-container', 'Dockerfile', 'app.py']);
  });

  test('build arguments and target reach the asset and change its hash', () => {
    const context = tempTree({ 'Dockerfile': DOCKERFILE, 'app.py': '' });
    const layer = ExtensionImageLayer.fromLayerAsset(tempTree({ 'bin/tool': '' }));
    const uris = ['1', '2'].map(v => {
      const { app, stack } = newStack({ 'aws:cdk:enable-asset-metadata': true });
      new LambdaContainerFunction(stack, 'Fn', { buildContext: context, buildArgs: { V: v }, imageLayers: [layer] });
      const fn = Template.fromStack(stack).findResources('AWS::Lambda::Function');
      const manifest = JSON.parse(fs.readFileSync(path.join(app.outdir, 'TestStack.assets.json'), 'utf8'));
      const [image] = Object.values<any>(manifest.dockerImages);
      expect(image.source.dockerBuildArgs).toEqual({ V: v });
      expect((Object.values(fn)[0] as any).Metadata['aws:asset:docker-build-args']).toEqual({ V: v });
      return JSON.stringify((Object.values(fn)[0] as any).Properties.Code.ImageUri);
    });
    expect(uris[0]).not.toEqual(uris[1]);
  });
});

describe('your Dockerfile is linted at synth', () => {
  test('findings become annotations on the function, with file, line and fix; credentials are errors', () => {
    const { stack } = newStack();
    const context = tempTree({ Dockerfile: 'FROM public.ecr.aws/lambda/python:3.13\nARG API_KEY\nEXPOSE 80\nCMD ["app.handler"]\n' });
    new LambdaContainerFunction(stack, 'Fn', { buildContext: context });
    const annotations = Annotations.fromStack(stack);
    annotations.hasError('/TestStack/Fn', Match.stringLikeRegexp('^Dockerfile:2: ARG API_KEY looks like a credential.*Fix: pass it as a build secret'));
    annotations.hasWarning('/TestStack/Fn', Match.stringLikeRegexp('^Dockerfile:3: Lambda ignores EXPOSE.*Fix: remove EXPOSE'));
  });
});

describe('lint findings', () => {
  test('are warnings with the ids of WarningIds, acknowledgeable one by one', () => {
    const context = tempTree({ Dockerfile: 'FROM python:3.13\nWORKDIR app\nEXPOSE 8080\nENTRYPOINT [ "python" ]\n' });
    const { stack } = newStack();
    new LambdaContainerFunction(stack, 'Fn', { buildContext: context });
    const annotations = Annotations.fromStack(stack);
    for (const id of [WarningIds.DOCKERFILE_RELATIVE_WORKDIR, WarningIds.DOCKERFILE_IGNORED_INSTRUCTION, WarningIds.DOCKERFILE_RELATIVE_ENTRYPOINT]) {
      annotations.hasWarning('/TestStack/Fn', Match.stringLikeRegexp(`^Dockerfile:\\d+: .*\\[ack: ${id}\\]$`));
    }
  });

  test('a credential in ENV is an error', () => {
    const context = tempTree({ Dockerfile: 'FROM python:3.13\nENV AWS_SECRET_ACCESS_KEY=abc\n' });
    const { stack } = newStack();
    new LambdaContainerFunction(stack, 'Fn', { buildContext: context, cmd: ['app.handler'] });
    Annotations.fromStack(stack).hasError('/TestStack/Fn', Match.stringLikeRegexp('^Dockerfile:2: ENV AWS_SECRET_ACCESS_KEY looks like a credential'));
  });
});
