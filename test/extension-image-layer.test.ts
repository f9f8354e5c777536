import * as fs from 'fs';
import * as path from 'path';
import AdmZip from 'adm-zip';
import { CfnParameter } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { newStack, tempTree } from './util';
import { BaseImage, ExtensionImageLayer, FunctionImage, LambdaContainerFunction, LayerImage } from '../src';
import { summarize } from '../src/cli/summary';
import { LAYER_MTIME } from '../src/private/build-context';
import { knownFiles } from '../src/private/layer-plan';

const GOLDEN = path.join(__dirname, 'golden');

function expectGolden(name: string, actual: string) {
  const file = path.join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(file, actual);
  expect(actual).toEqual(fs.readFileSync(file, 'utf8'));
}

/** A layer directory with an executable extension and a shared library. */
function telemetryDir(): string {
  const dir = path.join(tempTree({ 'telemetry/extensions/telemetry': '#!/bin/sh\necho telemetry\n', 'telemetry/telemetry/lib.py': 'X = 1\n' }), 'telemetry');
  fs.chmodSync(path.join(dir, 'extensions/telemetry'), 0o755);
  return dir;
}

/** The staged build context of the function's image, from its asset metadata. */
function contextOf(app: { outdir: string }, template: Template): string {
  const fn = Object.values(template.findResources('AWS::Lambda::Function'))[0] as any;
  return path.join(app.outdir, fn.Metadata['aws:asset:path']);
}

describe('ExtensionImageLayer in a generated image', () => {
  test('golden: image layer stage, layers right after FROM, before dependencies and code; wrapper in ENV', () => {
    const { app, stack } = newStack({ 'aws:cdk:enable-asset-metadata': true });
    const code = tempTree({ 'app.py': 'def handler(e, c): return 1\n', 'requirements.txt': 'requests==2.32.3\n' });
    const wrapper = tempTree({ 'wrapper.sh': '#!/bin/sh\nexec "$@"\n' });
    new LambdaContainerFunction(stack, 'Fn', {
      baseImage: BaseImage.python('3.13'),
      code,
      dependencies: path.join(code, 'requirements.txt'),
      cmd: ['app.handler'],
      imageLayers: [
        ExtensionImageLayer.fromImage('public.ecr.aws/awsguru/aws-lambda-adapter:0.9.1', { source: '/lambda-adapter', destination: '/opt/extensions/lambda-adapter' }),
        ExtensionImageLayer.fromDirectory(telemetryDir()),
        ExtensionImageLayer.wrapperScript(path.join(wrapper, 'wrapper.sh')),
      ],
    });
    const context = contextOf(app, Template.fromStack(stack));
    const dockerfile = fs.readFileSync(path.join(context, 'Dockerfile'), 'utf8')
      .replace(/layers\/(\d)-[0-9a-f]{16}/g, 'layers/$1-<hash>');
    expectGolden('aws-base-python-layers.Dockerfile', dockerfile);
    const at = (s: string) => dockerfile.indexOf(s);
    expect(at('COPY --from=layer-0')).toBeGreaterThan(at('FROM public.ecr.aws/lambda/python'));
    expect(at('COPY layers/2-')).toBeLessThan(at('COPY deps/'));
    expect(at('COPY deps/')).toBeLessThan(at('COPY code/'));
    expect(dockerfile).toMatch(/^ENV AWS_LAMBDA_EXEC_WRAPPER=\/opt\/wrapper\.sh$/m);
    // Layers are written from WORKDIR /, and the task root is the working directory again after them.
    expect(at('WORKDIR /\n')).toBeLessThan(at('COPY --from=layer-0'));
    expect(at('WORKDIR ${LAMBDA_TASK_ROOT}')).toBeGreaterThan(at('COPY layers/2-'));
    expect(at('WORKDIR ${LAMBDA_TASK_ROOT}')).toBeLessThan(at('COPY deps/'));
  });

  test('staged layer files keep their modes and get a fixed timestamp; the wrapper script is executable', () => {
    const { app, stack } = newStack({ 'aws:cdk:enable-asset-metadata': true });
    const wrapper = tempTree({ 'wrapper.sh': '#!/bin/sh\nexec "$@"\n' });
    new LambdaContainerFunction(stack, 'Fn', {
      baseImage: BaseImage.python('3.13'),
      code: tempTree({ 'app.py': '' }),
      cmd: ['app.handler'],
      imageLayers: [ExtensionImageLayer.fromDirectory(telemetryDir()), ExtensionImageLayer.wrapperScript(path.join(wrapper, 'wrapper.sh'))],
    });
    const layers = path.join(contextOf(app, Template.fromStack(stack)), 'layers');
    const [first, second] = fs.readdirSync(layers).sort();
    // Staged at their full image path, so the COPY to / brings /opt and every folder with a fixed time.
    const ext = fs.statSync(path.join(layers, first, 'opt', 'extensions', 'telemetry'));
    expect(ext.mode % 0o1000).toBe(0o755);
    expect(ext.mtime).toEqual(LAYER_MTIME);
    for (const dir of ['', 'opt', 'opt/telemetry', 'opt/extensions']) {
      expect(fs.statSync(path.join(layers, first, dir)).mtime).toEqual(LAYER_MTIME);
    }
    expect(fs.statSync(path.join(layers, first, 'opt', 'telemetry', 'lib.py')).mode % 0o1000).toBe(0o644);
    expect(fs.statSync(path.join(layers, second, 'opt', 'wrapper.sh')).mode % 0o1000).toBe(0o755);
  });

  test('one layer used by functions with different code: the same layer folder and bytes in each context', () => {
    const { app, stack } = newStack({ 'aws:cdk:enable-asset-metadata': true });
    const layer = ExtensionImageLayer.fromDirectory(telemetryDir());
    for (const name of ['A', 'B']) {
      new LambdaContainerFunction(stack, name, { baseImage: BaseImage.python('3.13'), code: tempTree({ 'app.py': `# ${name}\n` }), cmd: ['app.handler'], imageLayers: [layer] });
    }
    const fns = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')) as any[];
    const contexts = fns.map(f => path.join(app.outdir, f.Metadata['aws:asset:path']));
    expect(new Set(contexts).size).toBe(2);
    const listing = (ctx: string) => fs.readdirSync(path.join(ctx, 'layers'), { recursive: true }).map(String).sort()
      .map(rel => { const p = path.join(ctx, 'layers', rel); const s = fs.statSync(p); return [rel, s.mode, s.mtimeMs, s.isFile() ? fs.readFileSync(p, 'hex') : '']; });
    expect(listing(contexts[0])).toEqual(listing(contexts[1]));
  });

  test('fromLayerAsset reads a layer .zip: paths under /opt, unix modes kept', () => {
    const { app, stack } = newStack({ 'aws:cdk:enable-asset-metadata': true });
    const zip = new AdmZip();
    zip.addFile('python/shared.py', Buffer.from('SHARED = 1\n'), '', 0o644 * 0x10000);
    zip.addFile('extensions/agent', Buffer.from('#!/bin/sh\n'), '', 0o755 * 0x10000);
    const zipPath = path.join(tempTree({}), 'layer.zip');
    zip.writeZip(zipPath);
    new LambdaContainerFunction(stack, 'Fn', { baseImage: BaseImage.python('3.13'), code: tempTree({ 'app.py': '' }), cmd: ['app.handler'], imageLayers: [ExtensionImageLayer.fromLayerAsset(zipPath)] });
    const context = contextOf(app, Template.fromStack(stack));
    const [layerDir] = fs.readdirSync(path.join(context, 'layers'));
    expect(fs.readFileSync(path.join(context, 'layers', layerDir, 'opt', 'python', 'shared.py'), 'utf8')).toBe('SHARED = 1\n');
    expect(fs.statSync(path.join(context, 'layers', layerDir, 'opt', 'extensions', 'agent')).mode % 0o1000).toBe(0o755);
    expect(fs.readFileSync(path.join(context, 'Dockerfile'), 'utf8')).toMatch(/^COPY layers\/0-[0-9a-f]{16}\/ \/$/m);
  });

  test('a zip entry outside the layer is refused', () => {
    const zip = new AdmZip();
    zip.addFile('ok.txt', Buffer.from('x'));
    const zipPath = path.join(tempTree({}), 'evil.zip');
    zip.writeZip(zipPath);
    // adm-zip normalises names on add: write the traversal name into the archive directly.
    fs.writeFileSync(zipPath, Buffer.from(fs.readFileSync(zipPath).toString('latin1').replace(/ok\.txt/g, '../o.t'), 'latin1'));
    const { stack } = newStack();
    expect(() => new LambdaContainerFunction(stack, 'Fn', { baseImage: BaseImage.python('3.13'), code: tempTree({ 'app.py': '' }), cmd: ['app.handler'], imageLayers: [ExtensionImageLayer.fromLayerAsset(zipPath)] }))
      .toThrow(/^TestStack\/Fn: invalid layers\[0\] fromLayerAsset\(zipOrDirectory\) ".*\.zip": its entry "\.\.\/o\.t" points outside the layer\. Fix: rebuild the \.zip with relative paths\.$/);
  });

  test('a non-executable extension fails synth with the construct path, the file and the fix', () => {
    const dir = tempTree({ 'extensions/agent': '#!/bin/sh\n' });
    fs.chmodSync(path.join(dir, 'extensions/agent'), 0o644);
    const { stack } = newStack();
    expect(() => new LambdaContainerFunction(stack, 'Fn', { baseImage: BaseImage.python('3.13'), code: tempTree({ 'app.py': '' }), cmd: ['app.handler'], imageLayers: [ExtensionImageLayer.fromDirectory(dir)] }))
      .toThrow(/^TestStack\/Fn: invalid layers .*\/opt\/extensions\/agent \(from fromDirectory\(.*\)\).*not executable.*Fix: make them executable \(chmod \+x\)/);
  });

  test('fromDirectory leaves out what exclude names', () => {
    const dir = tempTree({ 'python/lib.py': 'X = 1\n', 'python/__pycache__/lib.cpython-313.pyc': 'x', 'README.md': '# layer\n' });
    const plan = ExtensionImageLayer.fromDirectory(dir, { exclude: ['**/__pycache__', '*.md'] })._plan();
    expect(knownFiles(plan).map(f => f.relativePath)).toEqual(['python/lib.py']);
    expect(knownFiles(ExtensionImageLayer.fromDirectory(dir)._plan()).map(f => f.relativePath)).toEqual(['README.md', 'python/__pycache__/lib.cpython-313.pyc', 'python/lib.py']);
  });

  test('a missing layer directory names the construct, the layer and the fix', () => {
    const { stack } = newStack();
    expect(() => new LambdaContainerFunction(stack, 'Fn', { baseImage: BaseImage.python('3.13'), code: tempTree({ 'app.py': '' }), cmd: ['app.handler'], imageLayers: [ExtensionImageLayer.fromDirectory('/nonexistent/layer')] }))
      .toThrow(/^TestStack\/Fn: invalid layers\[0\] fromDirectory\(directory\) "\/nonexistent\/layer": no such directory \(resolved to \/nonexistent\/layer\)\. Fix: give the directory/);
  });

  test('overlapping layers and an unpinned layer image are warnings on the function', () => {
    const { stack } = newStack();
    const a = tempTree({ 'lib/x.so': 'a' });
    const b = tempTree({ 'lib/x.so': 'b' });
    new LambdaContainerFunction(stack, 'Fn', {
      baseImage: BaseImage.python('3.13'),
      code: tempTree({ 'app.py': '' }),
      cmd: ['app.handler'],
      imageLayers: [ExtensionImageLayer.fromDirectory(a), ExtensionImageLayer.fromDirectory(b), ExtensionImageLayer.fromImage('example.com/agent')],
    });
    const annotations = Annotations.fromStack(stack);
    annotations.hasWarning('/TestStack/Fn', Match.stringLikeRegexp('both write /opt/lib/x\\.so: the later layer .* wins'));
    annotations.hasWarning('/TestStack/Fn', Match.stringLikeRegexp('fromImage\\("example.com/agent"\\) is not pinned'));
  });

  test('layers change the image: same code with and without a layer gives two assets', () => {
    const { stack } = newStack();
    const code = tempTree({ 'app.py': '' });
    const image = FunctionImage.fromBuild({ baseImage: BaseImage.python('3.13'), code, layers: [ExtensionImageLayer.fromDirectory(telemetryDir())] });
    new LambdaContainerFunction(stack, 'With', { image, cmd: ['app.handler'] });
    new LambdaContainerFunction(stack, 'Without', { baseImage: BaseImage.python('3.13'), code, cmd: ['app.handler'] });
    const uris = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')).map((f: any) => JSON.stringify(f.Properties.Code.ImageUri));
    expect(new Set(uris).size).toBe(2);
  });

  test('Lambda layers are refused with the way to bake them in', () => {
    const { stack } = newStack();
    const layer = lambda.LayerVersion.fromLayerVersionArn(stack, 'L', 'arn:aws:lambda:us-east-1:123456789012:layer:x:1');
    expect(() => new LambdaContainerFunction(stack, 'Fn', { baseImage: BaseImage.python('3.13'), code: tempTree({ 'app.py': '' }), cmd: ['app.handler'], layers: [layer] }))
      .toThrow(/Fix: bake the layer's content into the image instead: imageLayers: \[ExtensionImageLayer\.fromLayerAsset/);
  });

  describe('with your own Dockerfile', () => {
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
        buildContext: context,
        imageLayers: [
          ExtensionImageLayer.fromImage('public.ecr.aws/awsguru/aws-lambda-adapter:0.9.1', { source: '/lambda-adapter', destination: '/opt/extensions/lambda-adapter' }),
          ExtensionImageLayer.fromDirectory(telemetryDir()),
          ExtensionImageLayer.wrapperScript(path.join(wrapper, 'wrapper.sh')),
        ],
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

  test('the summary lists a function\'s image layers', () => {
    const { app, stack } = newStack();
    new LambdaContainerFunction(stack, 'Fn', { baseImage: BaseImage.python('3.13'), code: tempTree({ 'app.py': '' }), cmd: ['app.handler'], imageLayers: [ExtensionImageLayer.fromDirectory(telemetryDir())] });
    app.synth();
    expect(summarize(app.outdir)).toMatch(/^ {2}image layers {2}fromDirectory\(telemetry\)$/m);
  });

  describe('fromLayerVersionArn', () => {
    const ARN = 'arn:aws:lambda:us-east-1:123456789012:layer:shared-lib:3';

    test('a throwaway stage gets the credentials as a build secret and ends FROM scratch; only the file path is in the manifest', () => {
      const { app, stack } = newStack({ 'aws:cdk:enable-asset-metadata': true });
      const credentials = path.join(tempTree({ credentials: '[default]\naws_access_key_id = AKIAUNITTEST00000001\n' }), 'credentials');
      new LambdaContainerFunction(stack, 'Fn', {
        baseImage: BaseImage.python('3.13'),
        code: tempTree({ 'app.py': '' }),
        cmd: ['app.handler'],
        architecture: lambda.Architecture.ARM_64,
        imageLayers: [ExtensionImageLayer.fromLayerVersionArn(ARN, { credentialsFile: credentials, profile: 'layers' })],
      });
      const context = contextOf(app, Template.fromStack(stack));
      const dockerfile = fs.readFileSync(path.join(context, 'Dockerfile'), 'utf8');
      expect(dockerfile).toContain([
        'FROM public.ecr.aws/lambda/python:3.13-arm64 AS layer-0-fetch',
        'COPY layers/fetch-layer-version.py /tmp/fetch-layer-version.py',
        'RUN --mount=type=secret,id=lambda-layer-credentials,target=/run/secrets/lambda-layer-credentials AWS_CONFIG_FILE=/run/secrets/lambda-layer-credentials AWS_SHARED_CREDENTIALS_FILE=/run/secrets/lambda-layer-credentials AWS_PROFILE=layers python3 /tmp/fetch-layer-version.py arn:aws:lambda:us-east-1:123456789012:layer:shared-lib:3 /layer/opt',
        '',
        'FROM scratch AS layer-0',
        'COPY --from=layer-0-fetch /layer/ /layer/',
      ].join('\n'));
      expect(dockerfile).toMatch(/^COPY --from=layer-0 \/layer\/ \/$/m);
      expect(fs.existsSync(path.join(context, 'layers', 'fetch-layer-version.py'))).toBe(true);
      const manifest = fs.readFileSync(path.join(app.outdir, 'TestStack.assets.json'), 'utf8');
      const image = Object.values<any>(JSON.parse(manifest).dockerImages)[0];
      expect(image.source.dockerBuildSecrets).toEqual({ 'lambda-layer-credentials': `src=${credentials}` });
      expect(image.source.dockerBuildArgs).toBeUndefined();
      for (const text of [manifest, dockerfile]) expect(text).not.toContain('AKIAUNITTEST');
    });

    test('not a layer version ARN, or a deploy-time value: an error naming the construct and the fix', () => {
      const { stack } = newStack();
      const make = (id: string, arn: string) => new LambdaContainerFunction(stack, id, { baseImage: BaseImage.python('3.13'), code: tempTree({ 'app.py': '' }), cmd: ['app.handler'], imageLayers: [ExtensionImageLayer.fromLayerVersionArn(arn, { credentialsFile: '/x' })] });
      expect(() => make('A', 'arn:aws:lambda:us-east-1:123456789012:function:f')).toThrow(/^TestStack\/A: invalid layers\[0\] fromLayerVersionArn\(layerVersionArn\) "arn:aws:lambda:us-east-1:123456789012:function:f": not a layer version ARN\. Fix: give a literal arn:aws:lambda/);
      const deployTime = new CfnParameter(stack, 'LayerArn').valueAsString;
      expect(() => make('B', deployTime)).toThrow(/invalid layers\[0\] fromLayerVersionArn\(layerVersionArn\) \(a deploy-time value\): not a layer version ARN known at synth: the image is built before deployment/);
    });

    test('one image, one credentials file', () => {
      const { stack } = newStack();
      expect(() => new LambdaContainerFunction(stack, 'Fn', {
        baseImage: BaseImage.python('3.13'),
        code: tempTree({ 'app.py': '' }),
        cmd: ['app.handler'],
        imageLayers: [ExtensionImageLayer.fromLayerVersionArn(ARN, { credentialsFile: '/a' }), ExtensionImageLayer.fromLayerVersionArn(ARN.replace(':3', ':4'), { credentialsFile: '/b' })],
      })).toThrow(/invalid layers \/a, \/b: layer versions of one image are fetched with one credentials file/);
    });
  });

  describe('LayerImage', () => {
    test('the layers as an image of their own: FROM scratch, one asset named after its content', () => {
      const { app, stack } = newStack();
      const image = new LayerImage(stack, 'Telemetry', { layers: [ExtensionImageLayer.fromDirectory(telemetryDir())], architecture: lambda.Architecture.ARM_64 });
      app.synth();
      const manifest = JSON.parse(fs.readFileSync(path.join(app.outdir, 'TestStack.assets.json'), 'utf8'));
      const [[hash, asset]] = Object.entries<any>(manifest.dockerImages);
      expect(image.imageTag).toBe(hash);
      expect(asset.source.platform).toBe('linux/arm64');
      const dockerfile = fs.readFileSync(path.join(app.outdir, asset.source.directory, 'Dockerfile'), 'utf8');
      expect(dockerfile).toMatch(/^FROM scratch\n# Layers and extensions.*\n# layer: fromDirectory\(telemetry\)\nCOPY layers\/0-[0-9a-f]{16}\/ \/\n$/m);
      expect(stack.resolve(image.imageUri)).toEqual({ 'Fn::Sub': expect.stringContaining(`:${hash}`) });
    });

    test('needs at least one layer, and checks them as a function does', () => {
      const { stack } = newStack();
      expect(() => new LayerImage(stack, 'Empty', { layers: [] })).toThrow(/^TestStack\/Empty: invalid layers \[\]: a layer image needs at least one layer/);
      const dir = tempTree({ 'extensions/agent': '#!/bin/sh\n' });
      fs.chmodSync(path.join(dir, 'extensions/agent'), 0o644);
      expect(() => new LayerImage(stack, 'Bad', { layers: [ExtensionImageLayer.fromDirectory(dir)] })).toThrow(/^TestStack\/Bad: invalid layers .*not executable/);
    });
  });
});
