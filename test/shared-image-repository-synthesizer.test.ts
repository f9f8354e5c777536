import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { ENV, handler, TODAY, tempTree, twoStacks } from './util';
import { BaseImage, ExtensionImageLayer, FunctionImage, LambdaContainerFunction, LayerImage, SharedImageRepository, SharedImageRepositorySynthesizer } from '../src';

function manifestArtifact(assembly: cxapi.CloudAssembly, id: string) {
  const artifact = assembly.tryGetArtifact(id);
  if (!artifact) throw new Error(`no artifact ${id}: ${assembly.artifacts.map(a => a.id).join(', ')}`);
  return artifact;
}

function readManifest(assembly: cxapi.CloudAssembly, file: string) {
  return JSON.parse(fs.readFileSync(path.join(assembly.directory, file), 'utf8'));
}

describe('SharedImageRepositorySynthesizer', () => {
  test('publishes routed images into the shared repository through a manifest that depends on its stack', () => {
    const { app, repository, functions } = twoStacks();
    new LambdaContainerFunction(functions, 'Api', { baseImage: BaseImage.python('3.13'), entry: handler(), cmd: ['app.handler'], repository });
    const assembly = app.synth();

    const routed = manifestArtifact(assembly, 'Functions.shared-images');
    expect(routed.manifest.type).toBe('cdk:asset-manifest');
    expect(routed.manifest.dependencies).toEqual(['Images']);
    expect(routed.manifest.properties).toMatchObject({ file: 'Functions.shared-images.json', requiresBootstrapStackVersion: 6, bootstrapStackVersionSsmParameter: '/cdk-bootstrap/hnb659fds/version' });
    const images = readManifest(assembly, 'Functions.shared-images.json').dockerImages;
    const [hash] = Object.keys(images);
    expect(Object.values(images[hash].destinations)).toEqual([{
      repositoryName: 'shared',
      imageTag: expect.stringMatching(new RegExp(`^functions\\.api_[0-9a-f]{6}-${hash}$`)),
      region: 'eu-west-1',
      assumeRoleArn: 'arn:${AWS::Partition}:iam::111111111111:role/cdk-hnb659fds-image-publishing-role-111111111111-eu-west-1',
    }]);
    expect(images[hash].source).toMatchObject({ directory: `asset.${hash}`, dockerFile: 'Dockerfile', platform: 'linux/amd64' });
    // The bootstrap manifest keeps the file assets (the template) and no image.
    expect(readManifest(assembly, 'Functions.assets.json').dockerImages ?? {}).toEqual({});

    const stack = assembly.getStackArtifact('Functions');
    expect(stack.manifest.dependencies).toEqual(expect.arrayContaining(['Images', 'Functions.assets', 'Functions.shared-images']));
    const tag = (Object.values(images[hash].destinations)[0] as { imageTag: string }).imageTag;
    Template.fromStack(functions).hasResourceProperties('AWS::Lambda::Function', {
      Code: { ImageUri: { 'Fn::Join': ['', ['111111111111.dkr.ecr.eu-west-1.', { Ref: 'AWS::URLSuffix' }, `/shared:${tag}`]] } },
    });
  });

  test('registers each lineage in the repository\'s lifecycle', () => {
    const { app, images, repository, functions } = twoStacks();
    new LambdaContainerFunction(functions, 'Api', { baseImage: BaseImage.python('3.13'), entry: handler(), cmd: ['app.handler'], repository });
    new LambdaContainerFunction(functions, 'Worker', { baseImage: BaseImage.python('3.13'), entry: tempTree({ 'w.py': '' }), cmd: ['w.handler'], repository });
    app.synth();
    const repo = Object.values(Template.fromStack(images).findResources('AWS::ECR::Repository'))[0];
    const rules = JSON.parse(repo.Properties.LifecyclePolicy.LifecyclePolicyText).rules;
    expect(rules.map((r: any) => r.selection.tagPrefixList?.[0] ?? r.selection.tagPatternList?.[0] ?? r.selection.tagStatus))
      .toEqual(['inuse-*', expect.stringMatching(/^functions\.api_[0-9a-f]{6}-$/), expect.stringMatching(/^functions\.worker_[0-9a-f]{6}-$/), 'any']);
  });

  test('one image shared by two functions: one build, one tag, a marker per function', () => {
    const { app, repository, functions } = twoStacks();
    const image = FunctionImage.fromEntry(handler(), { baseImage: BaseImage.python('3.13'), repository });
    new LambdaContainerFunction(functions, 'Create', { image, cmd: ['app.create'] });
    new LambdaContainerFunction(functions, 'List', { image, cmd: ['app.list'] });
    const assembly = app.synth();
    expect(Object.keys(readManifest(assembly, 'Functions.shared-images.json').dockerImages)).toHaveLength(1);
    const template = Template.fromStack(functions);
    const uris = Object.values(template.findResources('AWS::Lambda::Function', { Properties: { PackageType: 'Image' } })).map(f => JSON.stringify(f.Properties.Code.ImageUri));
    expect(new Set(uris).size).toBe(1);
    expect(Object.keys(template.findResources('Custom::ImageInUseMarker'))).toHaveLength(2);
  });

  test('marks the deployed image in use before the function is pointed at it', () => {
    const { app, repository, functions } = twoStacks();
    new LambdaContainerFunction(functions, 'Api', { baseImage: BaseImage.python('3.13'), entry: handler(), cmd: ['app.handler'], repository });
    app.synth();
    const template = Template.fromStack(functions);
    const [[markerId, marker]] = Object.entries(template.findResources('Custom::ImageInUseMarker'));
    const [fn] = Object.values(template.findResources('AWS::Lambda::Function', { Properties: { PackageType: 'Image' } }));
    expect(fn.DependsOn).toContain(markerId);
    expect(marker.Properties).toEqual({
      ServiceToken: { 'Fn::GetAtt': [expect.stringMatching(/^CdkLambdaContainerInUseMarker/), 'Arn'] },
      RepositoryName: 'shared',
      RegistryId: '111111111111',
      ImageTag: expect.stringMatching(/^functions\.api_[0-9a-f]{6}-[0-9a-f]{64}$/),
      MarkerPrefix: 'inuse-',
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      Policies: [{ PolicyName: 'Inline', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['ecr:BatchGetImage', 'ecr:PutImage', 'ecr:BatchDeleteImage'], Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecr:eu-west-1:111111111111:repository/shared']] } }] } }],
    });
    template.hasResourceProperties('AWS::Lambda::Function', { Runtime: 'nodejs22.x', Handler: '__entrypoint__.handler' });
  });

  test('routes your own Dockerfile and a LayerImage too', () => {
    const { app, repository, functions } = twoStacks();
    const context = tempTree({ 'Dockerfile': 'FROM public.ecr.aws/lambda/python:3.13\nCOPY app.py /var/task/\nCMD ["app.handler"]\n', 'app.py': '' });
    new LambdaContainerFunction(functions, 'Own', { image: FunctionImage.fromImageAsset(context, { repository }) });
    const layerImage = new LayerImage(functions, 'Telemetry', { imageLayers: [ExtensionImageLayer.fromDirectory(tempTree({ 'lib/probe.so': 'x' }))], repository });
    const assembly = app.synth();
    const destinations = Object.values<any>(readManifest(assembly, 'Functions.shared-images.json').dockerImages).map(i => Object.values<any>(i.destinations)[0].imageTag);
    expect(destinations.sort()).toEqual([expect.stringMatching(/^functions\.own_[0-9a-f]{6}-[0-9a-f]{64}$/), expect.stringMatching(/^functions\.telemetry_[0-9a-f]{6}-[0-9a-f]{64}$/)]);
    expect(layerImage.imageTag).toMatch(/^functions\.telemetry_[0-9a-f]{6}-[0-9a-f]{64}$/);
    expect(readManifest(assembly, 'Functions.assets.json').dockerImages ?? {}).toEqual({});
  });

  test('images without a repository stay in the bootstrap repository, as plain CDK', () => {
    const { app, functions } = twoStacks();
    new LambdaContainerFunction(functions, 'Plain', { baseImage: BaseImage.python('3.13'), entry: handler(), cmd: ['app.handler'] });
    const assembly = app.synth();
    expect(assembly.tryGetArtifact('Functions.shared-images')).toBeUndefined();
    const images = readManifest(assembly, 'Functions.assets.json').dockerImages;
    expect(Object.values<any>(Object.values<any>(images)[0].destinations)[0].repositoryName).toBe('cdk-hnb659fds-container-assets-111111111111-eu-west-1');
    expect(Template.fromStack(functions).findResources('Custom::ImageInUseMarker')).toEqual({});
  });

  test('keeps per-stack state apart when one synthesizer serves several stacks', () => {
    const { app, repository, functions } = twoStacks();
    const other = new Stack(app, 'Other', { env: ENV });
    new LambdaContainerFunction(functions, 'A', { baseImage: BaseImage.python('3.13'), entry: handler(), cmd: ['app.handler'], repository });
    new LambdaContainerFunction(other, 'B', { baseImage: BaseImage.python('3.13'), entry: tempTree({ 'b.py': '' }), cmd: ['b.handler'], repository });
    const assembly = app.synth();
    const tags = (file: string) => Object.values<any>(readManifest(assembly, file).dockerImages)
      .map(i => Object.values<any>(i.destinations)[0].imageTag);
    expect(tags('Functions.shared-images.json')).toEqual([expect.stringMatching(/^functions\.a_/)]);
    expect(tags('Other.shared-images.json')).toEqual([expect.stringMatching(/^other\.b_/)]);
  });

  describe('fails at synth when a routed image could not deploy', () => {
    test('repository with image (it belongs to the FunctionImage)', () => {
      const { repository, functions } = twoStacks();
      const image = FunctionImage.fromEntry(handler(), { baseImage: BaseImage.python('3.13') });
      expect(() => new LambdaContainerFunction(functions, 'Api', { image, cmd: ['app.handler'], repository }))
        .toThrow(/Functions\/Api: invalid repository \(set\): these props describe a build and are ignored when image is given\. Fix: move them into the image.s factory, e\.g\. FunctionImage\.fromEntry/);
    });
  });

  test('cross-account: a pull account\'s functions publish through the repository account\'s role', () => {
    const app = new App({ defaultStackSynthesizer: new SharedImageRepositorySynthesizer(), context: { 'cdk-lambda-container:today': TODAY } });
    const images = new Stack(app, 'Images', { env: ENV });
    const repository = new SharedImageRepository(images, 'Repository', { repositoryName: 'shared', pullAccounts: ['222222222222'] });
    const functions = new Stack(app, 'Functions', { env: { account: '222222222222', region: ENV.region } });
    new LambdaContainerFunction(functions, 'Api', { baseImage: BaseImage.python('3.13'), entry: handler(), cmd: ['app.handler'], repository, architecture: lambda.Architecture.ARM_64 });
    const assembly = app.synth();
    const [image] = Object.values<any>(readManifest(assembly, 'Functions.shared-images.json').dockerImages);
    expect(Object.values<any>(image.destinations)[0].assumeRoleArn).toBe('arn:${AWS::Partition}:iam::111111111111:role/cdk-hnb659fds-image-publishing-role-111111111111-eu-west-1');
    const template = Template.fromStack(functions);
    const [fn] = Object.values(template.findResources('AWS::Lambda::Function', { Properties: { PackageType: 'Image' } }));
    expect(JSON.stringify(fn.Properties.Code.ImageUri)).toContain('111111111111.dkr.ecr.eu-west-1.');
  });
});

describe('the CDK CLI\'s deploy work graph', () => {
  // The CLI's own WorkGraphBuilder (bundled in the installed aws-cdk: 2.1115.1 here, the newest CLI
  // in scripts/compat.sh), with asset prebuild on (the CLI's default), run with stand-in actions
  // that record the order.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cli = require(path.join(path.dirname(require.resolve('aws-cdk/package.json')), 'lib', 'index.js'));
  const quiet = async () => undefined;
  const ioHelper = { defaults: new Proxy({}, { get: () => quiet }), notify: quiet, requestResponse: quiet };

  async function deployOrder(assembly: cxapi.CloudAssembly): Promise<string[]> {
    const artifacts = assembly.stacks.flatMap(s => [s, ...s.dependencies.filter(d => cxapi.AssetManifestArtifact.isAssetManifestArtifact(d))]);
    const graph = new cli.WorkGraphBuilder(ioHelper, true).build(artifacts);
    const order: string[] = [];
    const record = (what: string) => async (node: any) => {
      order.push(node.type === 'stack' ? `${what} ${node.stack.id}` : `${what} ${node.assetManifestArtifact.id} ${node.asset.displayName(false)}`);
    };
    // CLI 2.1149 adds `marker` nodes (start/end of each asset, for timings): without a concurrency
    // and an action for them the graph never finishes. Older CLIs have none and ignore both.
    await graph.doParallel({ 'stack': 1, 'asset-build': 1, 'asset-publish': 1, 'marker': 1 }, {
      deployStack: record('deploy'),
      buildAsset: record('build'),
      publishAsset: record('publish'),
      marker: quiet,
    });
    return order;
  }

  test('routed image builds wait for the repository stack; bootstrap ones do not', async () => {
    const { app, repository, functions } = twoStacks();
    new LambdaContainerFunction(functions, 'Shared', { baseImage: BaseImage.python('3.13'), entry: handler(), cmd: ['app.handler'], repository });
    new LambdaContainerFunction(functions, 'Plain', { baseImage: BaseImage.python('3.13'), entry: tempTree({ 'p.py': '' }), cmd: ['p.handler'] });
    const order = await deployOrder(app.synth());
    const at = (re: RegExp) => order.findIndex(s => re.test(s));
    expect(at(/^deploy Images$/)).toBeGreaterThanOrEqual(0);
    // The bootstrap repository's image is prebuilt before any stack deploys; the routed one waits.
    expect(at(/^build Functions\.assets .*ContainerImage\//)).toBeLessThan(at(/^deploy Images$/));
    const sharedBuild = at(/^build Functions\.shared-images .*ContainerImage\//);
    expect(sharedBuild).toBeGreaterThan(at(/^deploy Images$/));
    expect(at(/^publish Functions\.shared-images /)).toBeGreaterThan(sharedBuild);
    expect(at(/^deploy Functions$/)).toBeGreaterThan(at(/^publish Functions\.shared-images /));
    expect(order.filter(s => /^build .*ContainerImage\//.test(s))).toHaveLength(2);
  });

  test('without the manifest dependency the build would run first (what this synthesizer prevents)', async () => {
    const { app, repository, functions } = twoStacks();
    new LambdaContainerFunction(functions, 'Shared', { baseImage: BaseImage.python('3.13'), entry: handler(), cmd: ['app.handler'], repository });
    const dir = app.synth().directory;
    const manifestFile = path.join(dir, 'manifest.json');
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    delete manifest.artifacts['Functions.shared-images'].dependencies;
    fs.writeFileSync(manifestFile, JSON.stringify(manifest));
    const order = await deployOrder(new cxapi.CloudAssembly(dir));
    expect(order.findIndex(s => /^build Functions\.shared-images /.test(s))).toBeLessThan(order.indexOf('deploy Images'));
  });
});
