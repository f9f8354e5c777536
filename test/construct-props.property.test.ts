/**
 * Property: random props of every construct (LambdaContainerFunction, SharedImageRepository,
 * LayerImage) and random ExtensionImageLayer options never fail with anything but this library's
 * own validation errors (`<path>: invalid <prop> <value>: <why>. Fix: <fix>.`, thrown as a
 * ProblemError), and every accepted combination synthesizes what the props asked for.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Duration, RemovalPolicy, Size } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import fc from 'fast-check';
import { newStack, tempTree } from './util';
import { BaseImage, ExtensionImageLayer, LambdaContainerFunction, LayerImage, SharedImageRepository } from '../src';
import { ProblemError } from '../src/private/problems';

const CDK_VALIDATION_HEADER = 'Validation failed with the following errors:';

/** A bounded sample of accepted templates, which `npx projen lint:cfn` (after jest) runs cfn-lint on. */
const SAMPLE_DIR = path.join(__dirname, '..', '.tmp', 'property-templates');
const SAMPLE_SIZE = 8;
fs.rmSync(SAMPLE_DIR, { recursive: true, force: true });
fs.mkdirSync(SAMPLE_DIR, { recursive: true });
/** Counts what a property's runs came to, and keeps a sample of the accepted templates. */
class Outcomes {
  public synthesized = 0;
  public refused = 0;
  private sampled = 0;
  constructor(private readonly name: string, private readonly constructPath: string) {}

  /** The template `build` synthesizes, or undefined when it was refused with our own problems. */
  public synthesize(build: () => Template): Template | undefined {
    let template: Template;
    try {
      template = build();
    } catch (err) {
      expectOwnProblems(err, this.constructPath);
      this.refused++;
      return undefined;
    }
    this.synthesized++;
    // Templates with resources only (a LayerImage's stack holds an asset and no resource).
    if (this.sampled < SAMPLE_SIZE && template.toJSON().Resources) {
      this.sampled++;
      fs.writeFileSync(path.join(SAMPLE_DIR, `${this.name}-${this.sampled}.template.json`), JSON.stringify(template.toJSON(), undefined, 1));
    }
    return template;
  }

  /** Both outcomes occur: the generator reaches valid and invalid props. */
  public expectBoth(): void {
    console.log(`${this.name} props property: ${JSON.stringify({ synthesized: this.synthesized, refused: this.refused })}`);
    expect(this.synthesized).toBeGreaterThan(20);
    expect(this.refused).toBeGreaterThan(20);
  }
}

/**
 * Every line of an error is one of our problems for the construct at `path`: thrown by the
 * construct, or (what can still change after construction, such as addEnvironment) reported by
 * its node validation at synth, which aws-cdk-lib prefixes with a header and the construct path.
 */
function expectOwnProblems(err: unknown, constructPath: string): void {
  const message = String((err as Error).message);
  const deferred = message.startsWith(CDK_VALIDATION_HEADER);
  // Thrown by the construct: our error class, not a message that happens to look like ours.
  if (!deferred) expect(err).toBeInstanceOf(ProblemError);
  const lines = deferred
    ? message.slice(CDK_VALIDATION_HEADER.length).trim().split('\n').map(l => l.trim().replace(`[${constructPath}] `, ''))
    : message.split('\n');
  const ours = new RegExp(`^${constructPath.replace(/\//g, '\\/')}: invalid \\S+( \\S+)*? .+: .+\\. Fix: .+\\.$`, 's');
  for (const line of lines) expect(line).toMatch(ours);
}

/** Mostly valid values, sometimes the edges and beyond (the generator must reach both outcomes). */
const mostly = <T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<T>) =>
  fc.option(fc.oneof({ arbitrary: valid, weight: 6 }, { arbitrary: invalid, weight: 1 }), { nil: undefined, freq: 3 });
const envName = fc.oneof({ arbitrary: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,12}$/), weight: 8 }, { arbitrary: fc.constantFrom('AWS_REGION', 'AWS_LAMBDA_FUNCTION_NAME', '_HANDLER', 'LANG'), weight: 1 });
const props = fc.record({
  base: fc.constantFrom('python', 'nodejs', 'provided'),
  memorySize: mostly(fc.integer({ min: 128, max: 10_240 }), fc.oneof(fc.integer({ min: -5, max: 127 }), fc.integer({ min: 10_241, max: 12_000 }))),
  timeoutSeconds: mostly(fc.integer({ min: 1, max: 900 }), fc.constantFrom(0, 901, 3_600)),
  ephemeralMiB: mostly(fc.integer({ min: 512, max: 10_240 }), fc.constantFrom(0, 511, 10_241)),
  cmd: mostly(fc.array(fc.string({ minLength: 1, maxLength: 20 }), { minLength: 1, maxLength: 3 }), fc.constant<string[]>([])),
  entrypoint: mostly(fc.constantFrom<string[]>(['/var/task/bootstrap'], ['/bin/sh', '-c', 'exec /var/task/bootstrap']), fc.oneof(fc.constant<string[]>([]), fc.array(fc.string({ maxLength: 12 }), { minLength: 1, maxLength: 2 }))),
  workingDirectory: mostly(fc.constantFrom('/var/task', '/function', '/opt/app'), fc.oneof(fc.string({ maxLength: 12 }), fc.constant('/' + 'a'.repeat(1_001)))),
  environment: mostly(fc.dictionary(envName, fc.string({ maxLength: 16 }), { maxKeys: 3 }), fc.constant({ A: 'x'.repeat(5_000) })),
  arm64: fc.boolean(),
});

test('random props synthesize or fail with our own validation error', () => {
  const code = tempTree({ 'app.py': '', 'index.mjs': '', 'bootstrap': '#!/bin/sh\n' });
  const outcomes = new Outcomes('function', 'TestStack/Fn');
  fc.assert(fc.property(props, p => {
    const { stack } = newStack();
    const baseImage = p.base === 'python' ? BaseImage.python('3.13') : p.base === 'nodejs' ? BaseImage.nodejs('22') : BaseImage.providedAl2023();
    const template = outcomes.synthesize(() => {
      new LambdaContainerFunction(stack, 'Fn', {
        baseImage,
        entry: code,
        memorySize: p.memorySize,
        timeout: p.timeoutSeconds === undefined ? undefined : Duration.seconds(p.timeoutSeconds),
        ephemeralStorageSize: p.ephemeralMiB === undefined ? undefined : Size.mebibytes(p.ephemeralMiB),
        cmd: p.cmd,
        entrypoint: p.entrypoint,
        workingDirectory: p.workingDirectory,
        environment: p.environment,
        architecture: p.arm64 ? lambda.Architecture.ARM_64 : lambda.Architecture.X86_64,
      });
      return Template.fromStack(stack);
    });
    if (!template) return;
    const fn = Object.values<any>(template.findResources('AWS::Lambda::Function')).find(r => r.Properties.PackageType === 'Image');
    expect(fn.Properties.Architectures).toEqual([p.arm64 ? 'arm64' : 'x86_64']);
    if (p.memorySize !== undefined) expect(fn.Properties.MemorySize).toBe(p.memorySize);
    if (p.timeoutSeconds !== undefined) expect(fn.Properties.Timeout).toBe(p.timeoutSeconds);
    if (p.cmd !== undefined && p.cmd.length > 0) expect(fn.Properties.ImageConfig.Command).toEqual(p.cmd);
  }), { numRuns: 300, seed: 20261202 });
  outcomes.expectBoth();
});

const repositoryProps = fc.record({
  repositoryName: mostly(fc.stringMatching(/^[a-z0-9]{2,8}([._/-][a-z0-9]{1,8}){0,2}$/), fc.oneof(fc.string({ maxLength: 10 }), fc.constant('UPPER'), fc.constant('a'.repeat(257)))),
  keepImagesPerFunction: mostly(fc.integer({ min: 1, max: 100 }), fc.integer({ min: -3, max: 0 })),
  expireUntaggedDays: mostly(fc.integer({ min: 1, max: 365 }), fc.constant(0.5)),
  pullAccounts: mostly(fc.array(fc.stringMatching(/^[0-9]{12}$/), { maxLength: 2 }), fc.constant<string[]>(['12345'])),
  destroy: fc.boolean(),
  emptyOnDelete: fc.option(fc.boolean(), { nil: undefined }),
  imageScanOnPush: fc.option(fc.boolean(), { nil: undefined }),
});

test('random SharedImageRepository props synthesize or fail with our own validation error', () => {
  const outcomes = new Outcomes('repository', 'TestStack/Repository');
  fc.assert(fc.property(repositoryProps, p => {
    const { stack } = newStack();
    const template = outcomes.synthesize(() => {
      new SharedImageRepository(stack, 'Repository', {
        repositoryName: p.repositoryName,
        keepImagesPerFunction: p.keepImagesPerFunction,
        expireUntaggedAfter: p.expireUntaggedDays === undefined ? undefined : Duration.days(p.expireUntaggedDays),
        pullAccounts: p.pullAccounts,
        removalPolicy: p.destroy ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
        emptyOnDelete: p.emptyOnDelete,
        imageScanOnPush: p.imageScanOnPush,
      });
      return Template.fromStack(stack);
    });
    if (!template) return;
    const [repo] = Object.values<any>(template.findResources('AWS::ECR::Repository'));
    expect(repo.Properties.ImageTagMutability).toBe('IMMUTABLE');
    expect(repo.Properties.ImageScanningConfiguration).toEqual({ ScanOnPush: p.imageScanOnPush ?? true });
    if (p.repositoryName !== undefined) expect(repo.Properties.RepositoryName).toBe(p.repositoryName);
    expect(repo.DeletionPolicy).toBe(p.destroy ? 'Delete' : 'Retain');
  }), { numRuns: 200, seed: 20261202 });
  outcomes.expectBoth();
});

const place = fc.oneof(
  { arbitrary: fc.constantFrom('/opt', '/opt/extensions', '/opt/python', '/opt/lib/x'), weight: 4 },
  { arbitrary: fc.constantFrom('/usr/local/bin', '/var/task', 'opt/x', '../opt', '/opt/../etc', '', '/opt/a b'), weight: 1 },
);
const layerProps = fc.record({
  directory: fc.record({ destination: fc.option(place, { nil: undefined }), allowOutsideOpt: fc.option(fc.boolean(), { nil: undefined }), exclude: fc.option(fc.constantFrom<string[]>(['*.md'], ['tests', '*.pyc'], ['[']), { nil: undefined }) }),
  image: fc.record({
    uri: fc.constantFrom('public.ecr.aws/awsguru/aws-lambda-adapter:0.9.1', 'example.com/layer@sha256:' + 'a'.repeat(64), 'latest-only', 'UPPER/case:1', ''),
    source: fc.option(fc.constantFrom('/opt', '/lambda-adapter', 'relative', ''), { nil: undefined }),
    destination: fc.option(place, { nil: undefined }),
    allowOutsideOpt: fc.option(fc.boolean(), { nil: undefined }),
  }),
  wrapperDestination: fc.option(fc.constantFrom('/opt/wrapper.sh', '/opt/bin/start', 'wrapper.sh', '/usr/local/bin/w', ''), { nil: undefined }),
});

test('random ExtensionImageLayer options synthesize or fail with our own validation error', () => {
  const code = tempTree({ 'app.py': '' });
  const layerDir = tempTree({ 'extensions/ext': '#!/bin/sh\n', 'python/lib.py': '', 'README.md': '' });
  fs.chmodSync(path.join(layerDir, 'extensions/ext'), 0o755);
  const wrapper = path.join(tempTree({ 'w.sh': '#!/bin/sh\nexec "$@"\n' }), 'w.sh');
  const outcomes = new Outcomes('layers', 'TestStack/Fn');
  fc.assert(fc.property(layerProps, p => {
    const { stack } = newStack();
    const template = outcomes.synthesize(() => {
      new LambdaContainerFunction(stack, 'Fn', {
        baseImage: BaseImage.python('3.13'),
        entry: code,
        cmd: ['app.handler'],
        imageLayers: [
          ExtensionImageLayer.fromDirectory(layerDir, p.directory),
          ExtensionImageLayer.fromImage(p.image.uri, {
            source: p.image.source, destination: p.image.destination, allowOutsideOpt: p.image.allowOutsideOpt,
          }),
          ExtensionImageLayer.wrapperScript(wrapper, { destination: p.wrapperDestination }),
        ],
      });
      return Template.fromStack(stack);
    });
    if (!template) return;
    const fn = Object.values<any>(template.findResources('AWS::Lambda::Function')).find(r => r.Properties.PackageType === 'Image');
    expect(fn.Properties.PackageType).toBe('Image');
  }), { numRuns: 200, seed: 20261202 });
  outcomes.expectBoth();
});

const layerImageProps = fc.record({
  architecture: fc.constantFrom(lambda.Architecture.X86_64, lambda.Architecture.ARM_64, lambda.Architecture.custom('riscv64')),
  layers: fc.array(fc.constantFrom('directory', 'image', 'unpinned', 'arn', 'badArn', 'wrapper', 'missing', 'agent'), { maxLength: 4 }),
});

test('random LayerImage props synthesize or fail with our own validation error', () => {
  const layerDir = tempTree({ 'extensions/ext': '#!/bin/sh\n', 'python/lib.py': '' });
  fs.chmodSync(path.join(layerDir, 'extensions/ext'), 0o755);
  const wrapper = path.join(tempTree({ 'w.sh': '#!/bin/sh\nexec "$@"\n' }), 'w.sh');
  const credentials = path.join(tempTree({ credentials: '[default]\n' }), 'credentials');
  const layerOf = (kind: string): ExtensionImageLayer => {
    switch (kind) {
      case 'directory': return ExtensionImageLayer.fromDirectory(layerDir);
      case 'image': return ExtensionImageLayer.fromImage('public.ecr.aws/awsguru/aws-lambda-adapter:0.9.1', { source: '/lambda-adapter', destination: '/opt/extensions/lambda-adapter' });
      case 'unpinned': return ExtensionImageLayer.fromImage('example.com/layer');
      case 'arn': return ExtensionImageLayer.fromLayerVersionArn('arn:aws:lambda:us-east-1:123456789012:layer:tools:3', { credentialsFile: credentials });
      case 'badArn': return ExtensionImageLayer.fromLayerVersionArn('arn:aws:lambda:us-east-1:123456789012:function:f', { credentialsFile: credentials });
      case 'wrapper': return ExtensionImageLayer.wrapperScript(wrapper);
      case 'agent': return ExtensionImageLayer.javaAgent(path.join(layerDir, 'missing.jar'));
      default: return ExtensionImageLayer.fromDirectory(path.join(layerDir, 'missing'));
    }
  };
  const outcomes = new Outcomes('layer-image', 'TestStack/Layers');
  fc.assert(fc.property(layerImageProps, p => {
    const { app, stack } = newStack();
    let image: LayerImage | undefined;
    const template = outcomes.synthesize(() => {
      image = new LayerImage(stack, 'Layers', { architecture: p.architecture, imageLayers: p.layers.map(layerOf) });
      return Template.fromStack(stack);
    });
    if (!template) return;
    // THEN the image is an asset of the stack, built FROM scratch for the architecture asked for.
    const manifest = JSON.parse(fs.readFileSync(path.join(app.outdir, 'TestStack.assets.json'), 'utf8'));
    const [asset] = Object.values<any>(manifest.dockerImages);
    expect(asset.source.platform).toBe(p.architecture.dockerPlatform);
    const dockerfile = fs.readFileSync(path.join(app.outdir, asset.source.directory, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/\nFROM scratch\n/);
    expect(image!.imageTag).toMatch(/^[0-9a-f]{64}$/);
  }), { numRuns: 150, seed: 20261202 });
  outcomes.expectBoth();
});
