/**
 * The Python binding for real: jsii-pacmak builds the wheel, a virtual environment installs it
 * with aws-cdk-lib and constructs from PyPI (scripts/e2e/python-binding.sh), and a Python CDK app
 * (e2e/python/app.py) using LambdaContainerFunction, ExtensionImageLayer, SharedImageRepository and
 * its synthesizer synthesizes. Its templates and generated Dockerfile must be the ones the same
 * app in TypeScript synthesizes, and say what the app asked for.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { E2E_DIR, REPO } from './helpers';
import { BaseImage, ExtensionImageLayer, LambdaContainerFunction, SharedImageRepository, SharedImageRepositorySynthesizer } from '../src';

const examples = path.join(REPO, 'examples');
let python: string;
let fromPython: string;
let fromTypeScript: string;

beforeAll(() => {
  python = execFileSync(path.join(REPO, 'scripts/e2e/python-binding.sh'), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  fromPython = path.join(E2E_DIR, 'assemblies', 'python-binding');
  fs.rmSync(fromPython, { recursive: true, force: true });
  execFileSync(python, [path.join(REPO, 'e2e/python/app.py'), examples, fromPython], { stdio: 'inherit', env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' } });
  // The same app in TypeScript (neither sets the CLI's context: no path metadata in either).
  fromTypeScript = path.join(E2E_DIR, 'assemblies', 'python-binding-ts');
  fs.rmSync(fromTypeScript, { recursive: true, force: true });
  const app = new App({ outdir: fromTypeScript, defaultStackSynthesizer: new SharedImageRepositorySynthesizer() });
  const images = new Stack(app, 'PythonImages');
  const repository = new SharedImageRepository(images, 'Repository', { repositoryName: 'python-binding', removalPolicy: RemovalPolicy.DESTROY, emptyOnDelete: true });
  const functions = new Stack(app, 'PythonFunctions');
  new LambdaContainerFunction(functions, 'ListOrders', {
    baseImage: BaseImage.python('3.13'),
    code: path.join(examples, 'functions', 'orders'),
    cmd: ['app.list_orders'],
    architecture: lambda.Architecture.ARM_64,
    memorySize: 256,
    environment: { TABLE_NAME: 'orders' },
    imageLayers: [ExtensionImageLayer.fromDirectory(path.join(examples, 'layers', 'telemetry'))],
    repository,
  });
  app.synth();
}, 600_000);

const read = (dir: string, file: string) => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));

test('the Python app synthesizes the function and the repository it asked for', () => {
  const fns = Object.values<any>(read(fromPython, 'PythonFunctions.template.json').Resources).filter(r => r.Type === 'AWS::Lambda::Function' && r.Properties.PackageType === 'Image');
  expect(fns).toEqual([expect.objectContaining({
    Properties: expect.objectContaining({
      PackageType: 'Image',
      Architectures: ['arm64'],
      MemorySize: 256,
      ImageConfig: { Command: ['app.list_orders'] },
      Environment: { Variables: { TABLE_NAME: 'orders' } },
    }),
  })]);
  const repos = Object.values<any>(read(fromPython, 'PythonImages.template.json').Resources).filter(r => r.Type === 'AWS::ECR::Repository');
  expect(repos.map(r => r.Properties.RepositoryName)).toEqual(['python-binding']);
  // The image is routed into that repository, built for arm64 with the layer before the code.
  const routed = read(fromPython, 'PythonFunctions.shared-images.json');
  const [image] = Object.values<any>(routed.dockerImages);
  expect(Object.values<any>(image.destinations)[0].repositoryName).toBe('python-binding');
  expect(image.source.platform).toBe('linux/arm64');
  const dockerfile = fs.readFileSync(path.join(fromPython, image.source.directory, 'Dockerfile'), 'utf8');
  expect(dockerfile).toMatch(/^FROM public\.ecr\.aws\/lambda\/python:3\.13-arm64$(.*\n)*# layer: fromDirectory\(telemetry\)(.*\n)*COPY code\//m);
});

test('the Python app and the same app in TypeScript synthesize the same templates and asset manifests', () => {
  for (const file of ['PythonImages.template.json', 'PythonFunctions.template.json', 'PythonFunctions.shared-images.json', 'PythonFunctions.assets.json']) {
    expect([file, read(fromPython, file)]).toEqual([file, read(fromTypeScript, file)]);
  }
});
