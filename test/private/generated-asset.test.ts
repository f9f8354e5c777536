import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { BaseImage, LambdaContainerFunction, SharedImageRepository, SharedImageRepositorySynthesizer } from '../../src';
import { ContextSpec } from '../../src/private/build-context';
import { registerGeneratedImage } from '../../src/private/generated-asset';
import { dockerImages, newStack, PY_CODE, pythonProject, tempTree, TODAY } from '../util';

const spec = (codeDir: string): ContextSpec => ({ dockerfile: 'FROM scratch\nCOPY code/ /function/\n', codeDir, codeExclude: [], dependencyFiles: [], extraHash: 'linux/amd64' });
const OPTIONS = { platform: 'linux/amd64', displayName: 'Test/Image' };

describe('registerGeneratedImage', () => {
  test('a second synthesis in the same process sees a code change (fingerprints are per App)', () => {
    const entry = tempTree(PY_CODE);
    const hashOf = () => {
      const { app, stack } = newStack();
      new LambdaContainerFunction(stack, 'Fn', { baseImage: BaseImage.python('3.13'), entry, cmd: ['app.handler'] });
      return Object.keys(dockerImages(app));
    };
    const first = hashOf();
    expect(hashOf()).toEqual(first);
    fs.appendFileSync(path.join(entry, 'app.py'), '# one more line\n');
    expect(hashOf()).not.toEqual(first);
  });

  test('stages a nested stage\'s context where its asset manifest points', () => {
    const { app } = newStack();
    const stage = new Stage(app, 'Prod');
    const nested = new Stack(stage, 'Api', { env: { account: '123456789012', region: 'us-east-1' } });
    new LambdaContainerFunction(nested, 'Fn', { baseImage: BaseImage.python('3.13'), entry: pythonProject().entry, cmd: ['app.handler'] });
    const assembly = app.synth().getNestedAssembly('assembly-Prod');
    const manifestFile = fs.readdirSync(assembly.directory).find(f => f.endsWith('.assets.json'))!;
    const assets = JSON.parse(fs.readFileSync(path.join(assembly.directory, manifestFile), 'utf8'));
    const [image] = Object.values<any>(assets.dockerImages);
    expect(image.source.directory).toMatch(/^\.\.\/asset\.[0-9a-f]{64}$/);
    expect(fs.existsSync(path.join(assembly.directory, image.source.directory, 'Dockerfile'))).toBe(true);
  });

  test('registers one staged context per content per stack', () => {
    // GIVEN two stacks of one app and two code directories with the same content
    const { app, stack } = newStack();
    const other = new Stack(app, 'Other');
    const a = tempTree({ 'app.py': 'x = 1\n' });
    const b = tempTree({ 'app.py': 'x = 1\n' });
    // WHEN the same content is registered twice in one stack and once in the other
    const first = registerGeneratedImage(stack, spec(a), OPTIONS);
    const again = registerGeneratedImage(new Construct(stack, 'Elsewhere'), spec(b), OPTIONS);
    const inOther = registerGeneratedImage(other, spec(a), OPTIONS);
    // THEN one asset per stack, both built from the one staged directory
    expect(again).toBe(first);
    expect(inOther).not.toBe(first);
    expect(inOther.hash).toBe(first.hash);
    expect(Object.keys(dockerImages(app))).toEqual([first.hash]);
    expect(Object.keys(dockerImages(app, 'Other'))).toEqual([first.hash]);
    expect(fs.readdirSync(app.outdir).filter(f => f.startsWith('asset.'))).toEqual([`asset.${first.hash}`]);
  });

  test('registers the same content routed to a shared repository apart, under the lineage of the scope', () => {
    // GIVEN an app with the shared repository synthesizer and the repository in a stack of its own
    const app = new App({ outdir: tempTree({}), defaultStackSynthesizer: new SharedImageRepositorySynthesizer(), context: { 'cdk-lambda-container:today': TODAY } });
    const repository = new SharedImageRepository(new Stack(app, 'Images'), 'Repository', { repositoryName: 'shared' });
    const functions = new Stack(app, 'Functions');
    const code = tempTree({ 'app.py': 'x = 1\n' });
    // WHEN
    const plain = registerGeneratedImage(functions, spec(code), OPTIONS);
    const routed = registerGeneratedImage(new Construct(functions, 'Routed'), spec(code), { ...OPTIONS, repository });
    // THEN
    expect(routed).not.toBe(plain);
    expect(routed.hash).toBe(plain.hash);
    expect(plain.routed).toBeUndefined();
    expect(routed.routed?.imageTag).toMatch(new RegExp(`^functions\\.routed_[0-9a-f]{6}-${plain.hash}$`));
    expect(registerGeneratedImage(new Construct(functions, 'Again'), spec(code), { ...OPTIONS, repository })).toBe(routed);
    const assembly = app.synth();
    const imagesOf = (file: string) => Object.keys(JSON.parse(fs.readFileSync(path.join(assembly.directory, file), 'utf8')).dockerImages ?? {});
    expect(imagesOf('Functions.assets.json')).toEqual([plain.hash]);
    expect(imagesOf('Functions.shared-images.json')).toEqual([plain.hash]);
  });

  test('refuses a stack outside an App (or a Stage): there is nowhere to stage the context', () => {
    const stack = new Stack(new Construct(undefined as any, 'Root'), 'Stack');
    expect(() => new LambdaContainerFunction(stack, 'Fn', { baseImage: BaseImage.python('3.13'), entry: tempTree(PY_CODE), cmd: ['app.handler'] }))
      .toThrow(/Stack\/Fn: invalid scope \(the root Construct\): an image built at synth needs a Stage \(an App\) to stage its build context\. Fix: create the stack inside a cdk\.App \(or a Stage\)\.$/);
  });
});

describe('addImageResourceMetadata', () => {
  test('adds aws:asset metadata for SAM when asset metadata is enabled', () => {
    const { stack } = newStack({ 'aws:cdk:enable-asset-metadata': true });
    const { entry } = pythonProject();
    new LambdaContainerFunction(stack, 'Fn', { baseImage: BaseImage.python('3.13'), entry, cmd: ['app.handler'] });
    const [fn] = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'));
    expect(fn.Metadata['aws:asset:path']).toMatch(/^asset\.[0-9a-f]{64}$/);
    expect(fn.Metadata['aws:asset:dockerfile-path']).toBe('Dockerfile');
    expect(fn.Metadata['aws:asset:property']).toBe('Code.ImageUri');
  });
});
