/**
 * The jsii bindings for real, as a Python, Java or Go user gets them: jsii-pacmak builds the
 * package, it is installed beside aws-cdk-lib from PyPI (scripts/e2e/python-binding.sh: a virtual
 * environment), Maven Central (scripts/e2e/java-binding.sh: Maven) or the Go module proxy
 * (scripts/e2e/go-binding.sh: aws-cdk-go, with the machine's Go), and an app in that language
 * (e2e/python/app.py, e2e/java, e2e/go) using SharedImageRepository and its synthesizer,
 * LambdaContainerFunction and ExtensionImageLayer synthesizes. Its templates, asset manifests and
 * generated Dockerfile must be the ones the same app in TypeScript synthesizes, and say what the
 * app asked for.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { E2E_DIR, REPO } from './helpers';
import { BaseImage, ExtensionImageLayer, LambdaContainerFunction, SharedImageRepository, SharedImageRepositorySynthesizer } from '../src';

const examples = path.join(REPO, 'examples');
const env = { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' };
const outdir = (name: string) => {
  const dir = path.join(E2E_DIR, 'assemblies', `binding-${name}`);
  fs.rmSync(dir, { recursive: true, force: true });
  return dir;
};
const read = (dir: string, file: string) => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));

/** Each binding's way to synthesize the app into a directory. */
const BINDINGS: Record<string, (dir: string) => void> = {
  python: dir => {
    const python = execFileSync(path.join(REPO, 'scripts/e2e/python-binding.sh'), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
    execFileSync(python, [path.join(REPO, 'e2e/python/app.py'), examples, dir], { stdio: 'inherit', env });
  },
  java: dir => execFileSync(path.join(REPO, 'scripts/e2e/java-binding.sh'), [examples, dir], { stdio: 'inherit', env }),
  // No Go toolchain fails the test (the script says so); it is never skipped.
  go: dir => execFileSync(path.join(REPO, 'scripts/e2e/go-binding.sh'), [examples, dir], { stdio: 'inherit', env }),
};

/** The same app in TypeScript (none of them sets the CLI's context: no path metadata in any). */
let fromTypeScript: string;
beforeAll(() => {
  fromTypeScript = outdir('typescript');
  const app = new App({ outdir: fromTypeScript, defaultStackSynthesizer: new SharedImageRepositorySynthesizer() });
  const images = new Stack(app, 'BindingImages');
  const repository = new SharedImageRepository(images, 'Repository', { repositoryName: 'binding', removalPolicy: RemovalPolicy.DESTROY, emptyOnDelete: true });
  const functions = new Stack(app, 'BindingFunctions');
  new LambdaContainerFunction(functions, 'ListOrders', {
    baseImage: BaseImage.python('3.13'),
    entry: path.join(examples, 'functions', 'orders'),
    cmd: ['app.list_orders'],
    architecture: lambda.Architecture.ARM_64,
    memorySize: 256,
    environment: { TABLE_NAME: 'orders' },
    imageLayers: [ExtensionImageLayer.fromDirectory(path.join(examples, 'layers', 'telemetry'))],
    repository,
  });
  app.synth();
});

describe.each(Object.keys(BINDINGS))('the %s binding', language => {
  let synthesized: string;
  beforeAll(() => {
    synthesized = outdir(language);
    BINDINGS[language](synthesized);
  }, 900_000);

  test('synthesizes the function and the repository the app asked for', () => {
    const fns = Object.values<any>(read(synthesized, 'BindingFunctions.template.json').Resources)
      .filter(r => r.Type === 'AWS::Lambda::Function' && r.Properties.PackageType === 'Image');
    expect(fns).toEqual([expect.objectContaining({
      Properties: expect.objectContaining({
        Architectures: ['arm64'],
        MemorySize: 256,
        ImageConfig: { Command: ['app.list_orders'] },
        Environment: { Variables: { TABLE_NAME: 'orders' } },
      }),
    })]);
    const repos = Object.values<any>(read(synthesized, 'BindingImages.template.json').Resources).filter(r => r.Type === 'AWS::ECR::Repository');
    expect(repos.map(r => r.Properties.RepositoryName)).toEqual(['binding']);
    // The image is routed into that repository, built for arm64 with the layer before the code.
    const [image] = Object.values<any>(read(synthesized, 'BindingFunctions.shared-images.json').dockerImages);
    expect(Object.values<any>(image.destinations)[0].repositoryName).toBe('binding');
    expect(image.source.platform).toBe('linux/arm64');
    const dockerfile = fs.readFileSync(path.join(synthesized, image.source.directory, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM public\.ecr\.aws\/lambda\/python:3\.13-arm64$(.*\n)*# layer: fromDirectory\(telemetry\)(.*\n)*COPY code\//m);
  });

  test('synthesizes the same templates and asset manifests as the app in TypeScript', () => {
    for (const file of ['BindingImages.template.json', 'BindingFunctions.template.json', 'BindingFunctions.shared-images.json', 'BindingFunctions.assets.json']) {
      expect([file, read(synthesized, file)]).toEqual([file, read(fromTypeScript, file)]);
    }
  });
});
