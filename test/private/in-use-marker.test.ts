import * as fs from 'fs';
import * as path from 'path';
import { App, RemovalPolicies, RemovalPolicy, Stack, Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { BaseImage, LambdaContainerFunction, SharedImageRepository, SharedImageRepositorySynthesizer } from '../../src';
import { EcrError } from '../fake-ecr';
import { ENV, handler, tempTree, twoStacks } from '../util';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { onEvent, markerTag } = require('../../assets/in-use-marker/index.js');

const fixture = (name: string) => JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'ecr', `${name}.json`), 'utf8'));
const REPO = 'lambda-container-example';
const TAG = 'lambdacontainerexample.thumbnailer_ea39b5-235ca3b9cb73bf2437c610b94dc9a366a460c870aea8ecba9b39b4a60d2bf0b7';
const DIGEST = fixture('batch-get-image').images[0].imageId.imageDigest;
const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/LambdaContainerExample/5b6e0f40-0000-11f0-8000-0a1b2c3d4e5f';

function event(requestType: string, physicalId?: string) {
  return {
    RequestType: requestType,
    RequestId: '6f2b8a4e-0000-4000-8000-000000000001',
    StackId: STACK_ID,
    LogicalResourceId: 'ThumbnailerImageInUseAB4DB256',
    PhysicalResourceId: physicalId,
    ResourceProperties: { ServiceToken: 'arn', RepositoryName: REPO, RegistryId: '123456789012', ImageTag: TAG, MarkerPrefix: 'inuse-' } as Record<string, string>,
  };
}

/** The event of a published version's marker. */
function versionEvent(requestType: string, physicalId?: string, requestId = '6f2b8a4e-0000-4000-8000-000000000002') {
  const e = event(requestType, physicalId);
  return { ...e, RequestId: requestId, LogicalResourceId: 'ThumbnailerCurrentVersion1A2B3C4DImageInUse0a1b2c3d', ResourceProperties: { ...e.ResourceProperties, Kind: 'version' } };
}

/** ECR as a list of answers: each call takes the next one (an object, or an error to throw). */
function recorded(...answers: unknown[]) {
  const calls: Array<[string, any]> = [];
  const send = async (action: string, input: unknown) => {
    calls.push([action, input]);
    const answer = answers.shift();
    if (answer instanceof Error) throw answer;
    if (answer === undefined) throw new Error(`unexpected call ${action}`);
    return answer;
  };
  return { send, calls };
}

const expectedMarker = markerTag('inuse-', STACK_ID, 'ThumbnailerImageInUseAB4DB256', DIGEST);

describe('markerTag', () => {
  test('names the function (stack ID and logical ID) and the image digest, within ECR\'s tag rules', () => {
    expect(expectedMarker).toMatch(/^inuse-[0-9a-f]{16}-74bdc3b0ac2bd2c8$/);
    expect(expectedMarker).toMatch(/^[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,127}$/);
    expect(markerTag('inuse-', STACK_ID, 'OtherImageInUse', DIGEST)).not.toBe(expectedMarker);
    expect(markerTag('inuse-', STACK_ID.replace('us-east-1', 'eu-west-1'), 'ThumbnailerImageInUseAB4DB256', DIGEST)).not.toBe(expectedMarker);
    expect(markerTag('inuse-', STACK_ID, 'ThumbnailerImageInUseAB4DB256', DIGEST)).toBe(expectedMarker);
  });
});

describe('onEvent', () => {
  test.each(['Create', 'Update'])('%s tags the manifest of the content tag with the marker and returns it as the physical ID', async type => {
    const ecr = recorded(fixture('batch-get-image'), fixture('put-image'));
    const result = await onEvent(event(type, type === 'Update' ? `${REPO}:inuse-0000000000000000-0000000000000000` : undefined), ecr.send);
    expect(ecr.calls.map(c => c[0])).toEqual(['BatchGetImage', 'PutImage']);
    expect(ecr.calls[0][1]).toMatchObject({ registryId: '123456789012', repositoryName: REPO, imageIds: [{ imageTag: TAG }] });
    expect(ecr.calls[0][1].acceptedMediaTypes).toContain('application/vnd.oci.image.manifest.v1+json');
    const image = fixture('batch-get-image').images[0];
    expect(ecr.calls[1][1]).toEqual({
      registryId: '123456789012',
      repositoryName: REPO,
      imageTag: expectedMarker,
      imageManifest: image.imageManifest,
      imageManifestMediaType: image.imageManifestMediaType,
      imageDigest: DIGEST,
    });
    expect(result).toEqual({ PhysicalResourceId: `${REPO}:${expectedMarker}`, Data: { ImageDigest: DIGEST, MarkerTag: expectedMarker } });
  });

  test('treats ImageAlreadyExistsException (a retried event) as done', async () => {
    const ecr = recorded(fixture('batch-get-image'), new EcrError('ImageAlreadyExistsException', "Image with digest '…' and tag '…' already exists"));
    await expect(onEvent(event('Create'), ecr.send)).resolves.toMatchObject({ PhysicalResourceId: `${REPO}:${expectedMarker}` });
  });

  test('fails the deployment when the image is not in the repository, saying to deploy again', async () => {
    const ecr = recorded(fixture('batch-get-image-not-found'));
    await expect(onEvent(event('Create'), ecr.send)).rejects.toThrow(/lambda-container-example:lambdacontainerexample\.thumbnailer_ea39b5-235c.* is not in the repository \(ImageNotFound: Requested image not found\).*run cdk deploy again/);
    expect(ecr.calls).toHaveLength(1);
  });

  test('fails on any other PutImage error (an immutable tag held by another image)', async () => {
    const ecr = recorded(fixture('batch-get-image'), new EcrError('ImageTagAlreadyExistsException', 'cannot be overwritten because the repository is immutable'));
    await expect(onEvent(event('Create'), ecr.send)).rejects.toThrow(/immutable/);
  });

  test('Delete removes the marker tag named by the physical ID, and only it', async () => {
    const ecr = recorded(fixture('batch-delete-image'));
    const physicalId = `${REPO}:${expectedMarker}`;
    await expect(onEvent(event('Delete', physicalId), ecr.send)).resolves.toEqual({ PhysicalResourceId: physicalId });
    expect(ecr.calls).toEqual([['BatchDeleteImage', { registryId: '123456789012', repositoryName: REPO, imageIds: [{ imageTag: expectedMarker }] }]]);
  });

  test('Delete succeeds when the marker or the repository is already gone', async () => {
    const physicalId = `${REPO}:${expectedMarker}`;
    await expect(onEvent(event('Delete', physicalId), recorded(fixture('batch-delete-image-not-found')).send)).resolves.toEqual({ PhysicalResourceId: physicalId });
    await expect(onEvent(event('Delete', physicalId), recorded(new EcrError('RepositoryNotFoundException', 'does not exist')).send)).resolves.toEqual({ PhysicalResourceId: physicalId });
  });

  test('Delete fails on other failures, so a marker is never silently left behind', async () => {
    const failure = { imageIds: [], failures: [{ imageId: { imageTag: expectedMarker }, failureCode: 'KmsError', failureReason: 'KMS key disabled' }] };
    await expect(onEvent(event('Delete', `${REPO}:${expectedMarker}`), recorded(failure).send)).rejects.toThrow(/could not remove the in-use marker .*KmsError: KMS key disabled/);
    await expect(onEvent(event('Delete', `${REPO}:${expectedMarker}`), recorded(new EcrError('AccessDeniedException', 'no')).send)).rejects.toThrow(/no/);
  });

  test('Delete of a create that failed before marking calls nothing', async () => {
    const ecr = recorded();
    const physicalId = '2026/12/01/[$LATEST]0123456789abcdef';
    await expect(onEvent(event('Delete', physicalId), ecr.send)).resolves.toEqual({ PhysicalResourceId: physicalId });
    expect(ecr.calls).toEqual([]);
  });
});

describe('onEvent of a published version\'s marker', () => {
  test('Create marks the content tag\'s manifest with a tag of its own, named after the request that created it', async () => {
    const ecr = recorded(fixture('batch-get-image'), fixture('put-image'));
    const result = await onEvent(versionEvent('Create'), ecr.send);
    const tag = markerTag('inuse-', STACK_ID, 'ThumbnailerCurrentVersion1A2B3C4DImageInUse0a1b2c3d', DIGEST, '6f2b8a4e-0000-4000-8000-000000000002');
    expect(ecr.calls.map(c => c[0])).toEqual(['BatchGetImage', 'PutImage']);
    expect(ecr.calls[1][1]).toMatchObject({ imageTag: tag, imageDigest: DIGEST });
    expect(result).toEqual({ PhysicalResourceId: `${REPO}:${tag}`, Data: { ImageDigest: DIGEST, MarkerTag: tag } });
    // Made again under the same logical ID (a revert to a retained version's configuration): another tag.
    expect(markerTag('inuse-', STACK_ID, 'ThumbnailerCurrentVersion1A2B3C4DImageInUse0a1b2c3d', DIGEST, 'another-request')).not.toBe(tag);
    expect(tag).toMatch(/^inuse-[0-9a-f]{16}-74bdc3b0ac2bd2c8$/);
  });

  test('Update keeps the image it marked at Create and calls nothing (the version was not published again)', async () => {
    const ecr = recorded();
    const physicalId = `${REPO}:inuse-00112233445566778-74bdc3b0ac2bd2c8`;
    const update = { ...versionEvent('Update', physicalId), ResourceProperties: { ...versionEvent('Update').ResourceProperties, ImageTag: 'functions.api_0d662e-newer' } };
    await expect(onEvent(update, ecr.send)).resolves.toEqual({ PhysicalResourceId: physicalId, Data: { MarkerTag: 'inuse-00112233445566778-74bdc3b0ac2bd2c8' } });
    expect(ecr.calls).toEqual([]);
  });

  test('Update of a marker that never marked anything marks, and a function\'s marker Update still moves', async () => {
    const never = recorded(fixture('batch-get-image'), fixture('put-image'));
    await expect(onEvent(versionEvent('Update', '2026/12/01/[$LATEST]0123456789abcdef'), never.send)).resolves.toMatchObject({ Data: { ImageDigest: DIGEST } });
    expect(never.calls.map(c => c[0])).toEqual(['BatchGetImage', 'PutImage']);
    const fn = recorded(fixture('batch-get-image'), fixture('put-image'));
    await expect(onEvent(event('Update', `${REPO}:inuse-0000000000000000-0000000000000000`), fn.send)).resolves.toMatchObject({ PhysicalResourceId: `${REPO}:${expectedMarker}` });
  });

  test('Delete removes its tag, as a function\'s marker', async () => {
    const ecr = recorded(fixture('batch-delete-image'));
    await onEvent(versionEvent('Delete', `${REPO}:${expectedMarker}`), ecr.send);
    expect(ecr.calls).toEqual([['BatchDeleteImage', { registryId: '123456789012', repositoryName: REPO, imageIds: [{ imageTag: expectedMarker }] }]]);
  });
});

// ---------------------------------------------------------------------------------------------
// The markers in the template: one per function, one per published version.
// ---------------------------------------------------------------------------------------------

const api = (scope: Stack, entry = handler(), id = 'Api') =>
  new LambdaContainerFunction(scope, id, { baseImage: BaseImage.python('3.13'), entry, cmd: ['app.handler'], repository: twoStacksOf.get(scope)! });
/** The repository of each functions stack made by `setup`. */
const twoStacksOf = new WeakMap<Stack, ReturnType<typeof twoStacks>['repository']>();
function setup() {
  const stacks = twoStacks();
  twoStacksOf.set(stacks.functions, stacks.repository);
  return stacks;
}
const markers = (t: Template) => t.findResources('Custom::ImageInUseMarker');
const versionMarkers = (t: Template) => t.findResources('Custom::ImageInUseMarker', { Properties: { Kind: 'version' } });
const versions = (t: Template) => t.findResources('AWS::Lambda::Version');

describe('the function\'s marker after cdk deploy --hotswap', () => {
  test('names the image in its properties, so the next full cdk deploy updates it (re-marks) and --hotswap-fallback falls back to CloudFormation', () => {
    const synthOnce = (code: string) => {
      const { app, functions } = setup();
      api(functions, tempTree({ 'app.py': code }));
      app.synth();
      const t = Template.fromStack(functions);
      const [[id, m]] = Object.entries(markers(t));
      const [fn] = Object.values(t.findResources('AWS::Lambda::Function', { Properties: { PackageType: 'Image' } }));
      return { id, type: m.Type, tag: m.Properties.ImageTag, uri: JSON.stringify(fn.Properties.Code.ImageUri) };
    };
    const one = synthOnce('def handler(e, c): return 1\n');
    const two = synthOnce('def handler(e, c): return 2\n');
    // Same resource, a new ImageTag: a property change CloudFormation applies (hotswap skips it: the
    // CDK CLI hotswaps no Custom:: type but Custom::CDKBucketDeployment).
    expect(two.id).toBe(one.id);
    expect(two.tag).not.toBe(one.tag);
    expect(two.uri).toContain(two.tag);
    expect(one.type).toBe('Custom::ImageInUseMarker');
  });
});

describe('markers of published versions', () => {
  test('fn.currentVersion depends on a marker of its own, of the function\'s image, named after the version', () => {
    const { app, functions } = setup();
    const fn = api(functions);
    fn.currentVersion;
    app.synth();
    const t = Template.fromStack(functions);
    const [[versionId, version]] = Object.entries(versions(t));
    const [[markerId, marker]] = Object.entries(versionMarkers(t));
    expect(version.DependsOn).toEqual([markerId]);
    expect(markerId).toMatch(new RegExp(`^${versionId}ImageInUse[0-9a-f]{8}$`));
    const [fnMarker] = Object.values(markers(t)).filter(m => !m.Properties.Kind);
    expect(marker.Properties).toEqual({ ...fnMarker.Properties, Kind: 'version' });
    // Kept or deleted as the version is (currentVersion: DESTROY by default).
    expect([marker.DeletionPolicy, marker.UpdateReplacePolicy]).toEqual(['Delete', 'Delete']);
  });

  test('every version of the function is marked: currentVersion, a lambda.Version in another stack, a weighted alias\'s two versions', () => {
    const { app, functions } = setup();
    const fn = api(functions);
    const other = new Stack(app, 'Releases', { env: ENV });
    const blue = new lambda.Version(other, 'Blue', { lambda: fn });
    const green = new lambda.Version(other, 'Green', { lambda: fn, description: 'green' });
    new lambda.Alias(other, 'Live', { aliasName: 'live', version: blue, additionalVersions: [{ version: green, weight: 0.1 }] });
    fn.addAlias('latest');
    app.synth();
    expect(Object.keys(versionMarkers(Template.fromStack(functions)))).toEqual([expect.stringMatching(/^ApiCurrentVersion[0-9A-F]{8}[0-9a-f]{32}ImageInUse[0-9a-f]{8}$/)]);
    const releases = Template.fromStack(other);
    expect(Object.keys(versionMarkers(releases)).sort()).toEqual([expect.stringMatching(/^Blue[0-9A-F]{8}ImageInUse/), expect.stringMatching(/^Green[0-9A-F]{8}ImageInUse/)]);
    for (const [id, v] of Object.entries(versions(releases))) {
      expect([id, v.DependsOn]).toEqual([id, [expect.stringMatching(new RegExp(`^${id}ImageInUse`))]]);
    }
    // The other stack has the marker provider, allowed to tag in the repository.
    releases.resourceCountIs('AWS::Lambda::Function', 1);
  });

  test('keeps a version\'s marker as the version is kept: RETAIN, DESTROY, and a policy an aspect applies at synth', () => {
    const { app, functions } = setup();
    const fn = new LambdaContainerFunction(functions, 'Api', {
      baseImage: BaseImage.python('3.13'),
      entry: handler(),
      cmd: ['app.handler'],
      repository: twoStacksOf.get(functions)!,
      currentVersionOptions: { removalPolicy: RemovalPolicy.RETAIN },
    });
    fn.currentVersion;
    const later = new Stack(app, 'Later', { env: ENV });
    new lambda.Version(later, 'Later', { lambda: fn });
    new lambda.Version(functions, 'Destroyed', { lambda: fn, removalPolicy: RemovalPolicy.DESTROY });
    // An aspect that retains the versions of one stack, at synth (after the markers were made or not).
    RemovalPolicies.of(later).retain({ applyToResourceTypes: ['AWS::Lambda::Version'] });
    app.synth();
    const laterMarker = Object.values(versionMarkers(Template.fromStack(later)))[0];
    expect([laterMarker.DeletionPolicy, laterMarker.UpdateReplacePolicy]).toEqual(['Retain', 'Retain']);
    const policies = Object.fromEntries(Object.entries(versionMarkers(Template.fromStack(functions)))
      .map(([id, m]) => [id.replace(/[0-9A-F]{8}.*$/, ''), `${m.DeletionPolicy}/${m.UpdateReplacePolicy}`]));
    expect(policies).toEqual({ ApiCurrentVersion: 'Retain/Retain', Destroyed: 'Delete/Delete' });
  });

  test('a new image is a new currentVersion and a new marker; a fixed version keeps its marker (its update keeps the old mark) until it is replaced', () => {
    const synth = (code: string, description?: string) => {
      const { app, functions } = setup();
      const fn = api(functions, tempTree({ 'app.py': code }));
      fn.currentVersion;
      new lambda.Version(functions, 'Pinned', { lambda: fn, description });
      app.synth();
      const t = Template.fromStack(functions);
      return Object.fromEntries(Object.entries(versionMarkers(t)).map(([id, m]) => [id.startsWith('Pinned') ? 'pinned' : 'current', { id, tag: m.Properties.ImageTag }]));
    };
    const one = synth('def handler(e, c): return 1\n');
    const two = synth('def handler(e, c): return 2\n');
    expect(two.current.id).not.toBe(one.current.id);
    expect(two.current.tag).not.toBe(one.current.tag);
    expect(two.pinned.id).toBe(one.pinned.id); // an Update: the handler keeps the image marked at Create
    expect(two.pinned.tag).toBe(two.current.tag);
    // A description replaces the version (CloudFormation publishes it again): a new marker too.
    expect(synth('def handler(e, c): return 2\n', 'v2').pinned.id).not.toBe(one.pinned.id);
  });

  test('versions in a nested Stage are marked; versions of functions without a shared repository, or plain functions, are not', () => {
    const app = new App();
    const stage = new Stage(app, 'Prod');
    const synthesizer = () => new SharedImageRepositorySynthesizer();
    const repository = new SharedImageRepository(new Stack(stage, 'Images', { env: ENV, synthesizer: synthesizer() }), 'Repository', { repositoryName: 'shared' });
    const functions = new Stack(stage, 'Functions', { env: ENV, synthesizer: synthesizer() });
    const fn = new LambdaContainerFunction(functions, 'Api', { baseImage: BaseImage.python('3.13'), entry: handler(), cmd: ['app.handler'], repository });
    fn.currentVersion;
    const plainStack = new Stack(app, 'Plain', { env: ENV, synthesizer: new SharedImageRepositorySynthesizer() });
    new LambdaContainerFunction(plainStack, 'Bootstrap', { baseImage: BaseImage.python('3.13'), entry: handler(), cmd: ['app.handler'] }).currentVersion;
    new lambda.Function(plainStack, 'Zip', { runtime: lambda.Runtime.PYTHON_3_13, handler: 'app.handler', code: lambda.Code.fromInline('x') }).currentVersion;
    app.synth();
    expect(Object.keys(versionMarkers(Template.fromStack(functions)))).toHaveLength(1);
    expect(markers(Template.fromStack(plainStack))).toEqual({});
    Template.fromStack(plainStack).resourceCountIs('AWS::Lambda::Version', 2);
  });
});
