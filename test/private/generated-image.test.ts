import * as fs from 'fs';
import * as path from 'path';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { BaseImage, EntryImageOptions, ExtensionImageLayer, FunctionImage, LambdaContainerFunction, RuntimeInterfaceClient } from '../../src';
import { dockerImages, listFiles, newStack, NODE_CODE, PY_CODE, pythonProject, tempTree, telemetryDir } from '../util';

describe('LambdaContainerFunction with a generated image', () => {
  test('stages a minimal context: Dockerfile, deps/ and code/ without excluded files', () => {
    const { app, stack } = newStack();
    const dir = tempTree({ 'app.py': 'x', 'node_modules/junk.js': 'x', '__pycache__/app.pyc': 'x', 'requirements.txt': 'boto3\n' });
    new LambdaContainerFunction(stack, 'Fn', { image: FunctionImage.fromEntry(dir, { baseImage: BaseImage.python('3.13'), dependencies: path.join(dir, 'requirements.txt') }), cmd: ['app.handler'] });
    const [image] = Object.values(dockerImages(app));
    const root = path.join(app.outdir, image.source.directory);
    const files = listFiles(root);
    expect(files).toEqual(['Dockerfile', 'code/app.py', 'code/requirements.txt', 'deps/requirements.txt']);
  });

  test('puts one image behind several functions with different CMDs: one asset, one build', () => {
    const { app, stack } = newStack();
    const { entry, requirements } = pythonProject();
    const image = FunctionImage.fromEntry(entry, { baseImage: BaseImage.python('3.13'), dependencies: requirements });
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
    const { entry } = pythonProject();
    for (let i = 0; i < 5; i++) {
      new LambdaContainerFunction(stack, `Fn${i}`, { baseImage: BaseImage.python('3.13'), entry, cmd: [`app.handler${i}`] });
    }
    expect(Object.keys(dockerImages(app))).toHaveLength(1);
    expect(fs.readdirSync(app.outdir).filter(f => f.startsWith('asset.'))).toHaveLength(1);
  });

  test('builds separate images when the content, base or architecture differs', () => {
    const { app, stack } = newStack();
    const a = pythonProject();
    const b = tempTree({ 'app.py': 'def handler(e, c):\n    return 2\n' });
    new LambdaContainerFunction(stack, 'A', { baseImage: BaseImage.python('3.13'), entry: a.entry, cmd: ['app.handler'] });
    new LambdaContainerFunction(stack, 'B', { baseImage: BaseImage.python('3.13'), entry: b, cmd: ['app.handler'] });
    new LambdaContainerFunction(stack, 'C', { baseImage: BaseImage.python('3.12'), entry: a.entry, cmd: ['app.handler'] });
    new LambdaContainerFunction(stack, 'D', { baseImage: BaseImage.python('3.13'), entry: a.entry, cmd: ['app.handler'], architecture: lambda.Architecture.ARM_64 });
    expect(Object.keys(dockerImages(app))).toHaveLength(4);
  });

  test('builds a multi-stage image with the RIC on an alternative base image', () => {
    const { app, stack } = newStack();
    const dir = tempTree({ 'index.mjs': 'export const handler = async () => 1;', 'package.json': '{}', 'package-lock.json': '{}' });
    new LambdaContainerFunction(stack, 'Fn', {
      image: FunctionImage.fromEntry(dir, { baseImage: BaseImage.fromRegistry('node:22-bookworm-slim', { ric: RuntimeInterfaceClient.nodejs() }), dependencies: path.join(dir, 'package.json') }),
      cmd: ['index.handler'],
    });
    const [image] = Object.values(dockerImages(app));
    const dockerfile = fs.readFileSync(path.join(app.outdir, image.source.directory, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/FROM node:22-bookworm-slim AS build/);
    expect(dockerfile).toMatch(/COPY deps\/package\.json deps\/package-lock\.json \/function\//);
    expect(image.source.platform).toBe('linux/amd64');
  });
});

describe('ExtensionImageLayer in a generated image', () => {
  test('layers change the image: same code with and without a layer gives two assets', () => {
    const { stack } = newStack();
    const entry = tempTree({ 'app.py': '' });
    const image = FunctionImage.fromEntry(entry, { baseImage: BaseImage.python('3.13'), imageLayers: [ExtensionImageLayer.fromDirectory(telemetryDir())] });
    new LambdaContainerFunction(stack, 'With', { image, cmd: ['app.handler'] });
    new LambdaContainerFunction(stack, 'Without', { baseImage: BaseImage.python('3.13'), entry, cmd: ['app.handler'] });
    const uris = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')).map((f: any) => JSON.stringify(f.Properties.Code.ImageUri));
    expect(new Set(uris).size).toBe(2);
  });
});

describe('validation', () => {
  const base = () => ({ baseImage: BaseImage.python('3.13'), entry: pythonProject().entry, cmd: ['app.handler'] });
  const built = (options: Omit<EntryImageOptions, 'baseImage'>) => FunctionImage.fromEntry(pythonProject().entry, { baseImage: BaseImage.python('3.13'), ...options });

  test('throws when the code directory is missing', () => {
    const { stack } = newStack();
    expect(() => new LambdaContainerFunction(stack, 'Fn', { ...base(), entry: '/nonexistent/src' }))
      .toThrow(/TestStack\/Fn: invalid entry "\/nonexistent\/src": no such directory/);
  });

  test('throws when the dependency file is missing', () => {
    const { stack } = newStack();
    expect(() => new LambdaContainerFunction(stack, 'Fn', { image: built({ dependencies: '/nonexistent/requirements.txt' }), cmd: ['app.handler'] }))
      .toThrow(/TestStack\/Fn: invalid dependencies "\/nonexistent\/requirements.txt": no such file/);
  });

  test('throws on an unknown manifest and on a manifest of another language', () => {
    const { stack } = newStack();
    const dir = tempTree({ 'pom.xml': '<project/>', 'package.json': '{}', 'package-lock.json': '{}' });
    expect(() => new LambdaContainerFunction(stack, 'A', { image: built({ dependencies: path.join(dir, 'pom.xml') }), cmd: ['app.handler'] })).toThrow(/unknown dependency manifest.*requirements\.txt/);
    expect(() => new LambdaContainerFunction(stack, 'B', { image: built({ dependencies: path.join(dir, 'package.json') }), cmd: ['app.handler'] })).toThrow(/a npm manifest cannot be installed on a python base image/);
  });

  test('throws when package.json has no lockfile (npm ci needs one)', () => {
    const { stack } = newStack();
    const dir = tempTree({ 'index.js': 'x', 'package.json': '{}' });
    expect(() => new LambdaContainerFunction(stack, 'Fn', { image: FunctionImage.fromEntry(dir, { baseImage: BaseImage.nodejs('22'), dependencies: path.join(dir, 'package.json') }), cmd: ['index.handler'] }))
      .toThrow(/invalid dependencies .*package-lock\.json or npm-shrinkwrap\.json.*Fix: run `npm install`/);
  });

  test('throws when the entrypoint is a symlink in the build context', () => {
    const { stack } = newStack();
    const dir = tempTree({ 'real-bootstrap': '#!/bin/sh\n' });
    fs.symlinkSync('real-bootstrap', path.join(dir, 'bootstrap'));
    expect(() => new LambdaContainerFunction(stack, 'Fn', { baseImage: BaseImage.providedAl2023(), entry: dir, entrypoint: ['/var/task/bootstrap'] }))
      .toThrow(/TestStack\/Fn: invalid entrypoint "\/var\/task\/bootstrap": it is a symlink in the build context/);
    expect(() => new LambdaContainerFunction(stack, 'Ok', { baseImage: BaseImage.providedAl2023(), entry: dir, entrypoint: ['/var/task/real-bootstrap'] })).not.toThrow();
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
    const { entry, requirements } = pythonProject();
    new LambdaContainerFunction(found.stack, 'Fn', { baseImage: BaseImage.python('3.13'), entry, cmd: ['app.handler'] });
    const explicit = newStack();
    new LambdaContainerFunction(explicit.stack, 'Fn', { image: FunctionImage.fromEntry(entry, { baseImage: BaseImage.python('3.13'), dependencies: requirements }), cmd: ['app.handler'] });
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
    const entry = tempTree({ ...NODE_CODE, 'package.json': '{"dependencies":{"left-pad":"1.3.0"}}', 'package-lock.json': '{"lockfileVersion":3}' });
    new LambdaContainerFunction(withDeps.stack, 'Fn', { baseImage: BaseImage.nodejs('22'), entry, cmd: ['index.handler'] });
    const { dockerfile, files } = dockerfileOf(withDeps.app);
    expect(dockerfile).toMatch(/# dependencies: package\.json \(npm, found in the code directory\)/);
    expect(files).toEqual(expect.arrayContaining(['deps/package.json', 'deps/package-lock.json']));
    const plain = newStack();
    new LambdaContainerFunction(plain.stack, 'Fn', { baseImage: BaseImage.nodejs('22'), entry: tempTree({ ...NODE_CODE, 'package.json': '{"type":"module"}' }), cmd: ['index.handler'] });
    expect(dockerfileOf(plain.app).dockerfile).not.toMatch(/deps\//);
  });

  test('detectDependencies: false copies the manifest with the code and installs nothing', () => {
    const { app, stack } = newStack();
    new LambdaContainerFunction(stack, 'Fn', { image: FunctionImage.fromEntry(pythonProject().entry, { baseImage: BaseImage.python('3.13'), detectDependencies: false }), cmd: ['app.handler'] });
    const { dockerfile, files } = dockerfileOf(app);
    expect(dockerfile).not.toMatch(/pip install|deps\//);
    expect(files).toEqual(['Dockerfile', 'code/app.py', 'code/requirements.txt']);
  });

  test('a manifest of another language than the base image\'s is an error that names the file and the fixes', () => {
    const { stack } = newStack();
    const entry = tempTree({ ...NODE_CODE, 'requirements.txt': 'boto3\n' });
    expect(() => new LambdaContainerFunction(stack, 'Fn', { baseImage: BaseImage.nodejs('22'), entry, cmd: ['index.handler'] }))
      .toThrow(/^TestStack\/Fn: invalid entry ".*": it holds requirements\.txt, a pip manifest for python, and the base image is nodejs: it would be copied and not installed\. Fix: move requirements\.txt out of the entry directory, add it to exclude, use a python base image, or set detectDependencies: false\.$/);
    // Each fix named there works.
    expect(() => new LambdaContainerFunction(stack, 'Excluded', { image: FunctionImage.fromEntry(entry, { baseImage: BaseImage.nodejs('22'), exclude: ['requirements.txt'] }), cmd: ['index.handler'] })).not.toThrow();
    expect(() => new LambdaContainerFunction(stack, 'Off', { image: FunctionImage.fromEntry(entry, { baseImage: BaseImage.nodejs('22'), detectDependencies: false }), cmd: ['index.handler'] })).not.toThrow();
  });

  test('a package.json with dependencies and no lockfile is an error; so is a yarn.lock', () => {
    const { stack } = newStack();
    const pkg = '{"dependencies":{"left-pad":"1.3.0"}}';
    expect(() => new LambdaContainerFunction(stack, 'A', { baseImage: BaseImage.nodejs('22'), entry: tempTree({ ...NODE_CODE, 'package.json': pkg }), cmd: ['index.handler'] }))
      .toThrow(/TestStack\/A: invalid entry .*its package\.json is not installable: it declares dependencies and has no package-lock\.json.*Fix: run `npm install` in the code directory/);
    expect(() => new LambdaContainerFunction(stack, 'B', { baseImage: BaseImage.nodejs('22'), entry: tempTree({ ...NODE_CODE, 'package.json': pkg, 'yarn.lock': '' }), cmd: ['index.handler'] }))
      .toThrow(/TestStack\/B: invalid entry .*its lockfile is yarn\.lock.*Fix: add a package-lock\.json/);
  });

  test('pyproject.toml without requirements.txt is a warning with the export commands', () => {
    const { stack } = newStack();
    new LambdaContainerFunction(stack, 'Fn', { baseImage: BaseImage.python('3.13'), entry: tempTree({ ...PY_CODE, 'pyproject.toml': '[project]\ndependencies = ["boto3"]\n' }), cmd: ['app.handler'] });
    Annotations.fromStack(stack).hasWarning('/TestStack/Fn', Match.stringLikeRegexp('has pyproject\\.toml and no requirements\\.txt: its dependencies are not installed.*uv export.*cdk-lambda-container:dependenciesNotInstalled'));
  });

  test('a Gemfile on the Ruby base image and a go.mod with the Go build are found too', () => {
    const ruby = newStack();
    new LambdaContainerFunction(ruby.stack, 'Fn', { baseImage: BaseImage.ruby('3.4'), entry: tempTree({ 'app.rb': '', 'Gemfile': 'source "https://rubygems.org"\n', 'Gemfile.lock': '' }), cmd: ['app.handler'] });
    const rubyImage = dockerfileOf(ruby.app);
    expect(rubyImage.dockerfile).toMatch(/# dependencies: Gemfile \(bundler, found in the code directory\)(.*\n)*RUN bundle config set --local deployment true/);
    expect(rubyImage.files).toEqual(expect.arrayContaining(['deps/Gemfile', 'deps/Gemfile.lock']));
    const go = newStack();
    new LambdaContainerFunction(go.stack, 'Fn', {
      baseImage: BaseImage.fromRegistry('debian:bookworm-slim', { ric: RuntimeInterfaceClient.go() }),
      entry: tempTree({ 'main.go': 'package main\n', 'go.mod': 'module example.com/fn\n', 'go.sum': '' }),
    });
    expect(dockerfileOf(go.app).dockerfile).toMatch(/# dependencies: go\.mod \(go, found in the code directory\)\nCOPY deps\/go\.mod deps\/go\.sum /);
  });

  test('an alternative base with a RIC detects the RIC\'s language; a custom runtime detects nothing', () => {
    const ric = newStack();
    new LambdaContainerFunction(ric.stack, 'Fn', { baseImage: BaseImage.fromRegistry('python:3.13-slim', { ric: RuntimeInterfaceClient.python() }), entry: pythonProject().entry, cmd: ['app.handler'] });
    expect(dockerfileOf(ric.app).dockerfile).toMatch(/# dependencies: requirements\.txt \(pip, found in the code directory\)\nCOPY deps\/requirements\.txt \/function\//);
    const custom = newStack();
    new LambdaContainerFunction(custom.stack, 'Fn', { baseImage: BaseImage.providedAl2023(), entry: tempTree({ 'bootstrap': '#!/bin/sh\n', 'requirements.txt': 'x' }), entrypoint: ['/var/task/bootstrap'] });
    expect(dockerfileOf(custom.app).dockerfile).not.toMatch(/deps\//);
  });
});
