import * as fs from 'fs';
import * as path from 'path';
import { Stack, Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { BaseImage, LambdaContainerFunction } from '../../src';
import { dockerImages, newStack, PY_CODE, pythonProject, tempTree } from '../util';

describe('registerGeneratedImage', () => {
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
});

describe('addImageResourceMetadata', () => {
  test('adds aws:asset metadata for SAM when asset metadata is enabled', () => {
    const { stack } = newStack({ 'aws:cdk:enable-asset-metadata': true });
    const { code } = pythonProject();
    new LambdaContainerFunction(stack, 'Fn', { baseImage: BaseImage.python('3.13'), code, cmd: ['app.handler'] });
    const [fn] = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'));
    expect(fn.Metadata['aws:asset:path']).toMatch(/^asset\.[0-9a-f]{64}$/);
    expect(fn.Metadata['aws:asset:dockerfile-path']).toBe('Dockerfile');
    expect(fn.Metadata['aws:asset:property']).toBe('Code.ImageUri');
  });
});
