import * as fs from 'fs';
import * as path from 'path';
import { EcrError } from '../fake-ecr';
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
    StackId: STACK_ID,
    LogicalResourceId: 'ThumbnailerImageInUseAB4DB256',
    PhysicalResourceId: physicalId,
    ResourceProperties: { ServiceToken: 'arn', RepositoryName: REPO, RegistryId: '123456789012', ImageTag: TAG, MarkerPrefix: 'inuse-' },
  };
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
