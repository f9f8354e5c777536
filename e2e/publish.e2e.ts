/**
 * The example app's assets published by the real cdk-assets, as `cdk deploy` publishes them:
 * every image into the app's one SharedImageRepository, the template and the in-use marker's code
 * into the bootstrap bucket, on the deploy emulator (ministack: ECR with its registry, STS, S3;
 * through the named shims of e2e/ministack-shim.ts and scripts/e2e/ecr-push-shim.sh); then every
 * image the template references is pulled back, and the repository's storage is measured against
 * the same images spread over one repository per function.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CreateRepositoryCommand, ECRClient } from '@aws-sdk/client-ecr';
import { CreateBucketCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { clientConfig, cliEnv, EMULATOR, EMULATOR_ACCOUNT, EMULATOR_PORT, REGION, runCli } from './deploy-target';
import { E2E_DIR, engine, engineEnv, evaluateExpression, HOST_ARCH, REPO, synth } from './helpers';
import { MinistackShim, startMinistackShim } from './ministack-shim';
import { ExampleStack, ImagesStack } from '../examples/app';

const ACCOUNT = EMULATOR_ACCOUNT;
/** The emulator's registry (ECR's API and the registry on one port). */
const REGISTRY = `127.0.0.1:${EMULATOR_PORT}`;
/** Where cdk-assets pushes (ECR's repository URIs); scripts/e2e/ecr-push-shim.sh sends it to REGISTRY. */
const ECR_HOST = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com`;
// A fresh repository each run (the emulator's registry keeps blobs between runs).
const REPOSITORY = `lambda-container-publish-${Date.now()}`;
const BUCKET = `cdk-hnb659fds-assets-${ACCOUNT}-${REGION}`;
const PUSH_LOG = path.join(E2E_DIR, 'publish-pushes.log');
const env = engineEnv();
const ecr = new ECRClient(clientConfig);
const s3 = new S3Client({ ...clientConfig, forcePathStyle: true });

let shim: MinistackShim;
let assembly: string;
let imagesManifest: string;
let filesManifest: string;

beforeAll(async () => {
  shim = await startMinistackShim(EMULATOR);
  fs.rmSync(PUSH_LOG, { force: true });
  assembly = synth('publish', app => {
    const images = new ImagesStack(app, 'LambdaContainerImages', { repositoryName: REPOSITORY });
    new ExampleStack(app, 'LambdaContainerExample', { architecture: HOST_ARCH, repository: images.repository });
  });
  imagesManifest = path.join(assembly, 'LambdaContainerExample.shared-images.json');
  filesManifest = path.join(assembly, 'LambdaContainerExample.assets.json');
  // The bootstrap bucket (the deploy suites' `cdk bootstrap` may have made it already).
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET })).catch(err => {
    if (!/BucketAlreadyOwnedByYou|BucketAlreadyExists/.test(err.name)) throw err;
  });
});
afterAll(() => shim?.close());

/** Runs the real cdk-assets CLI against the emulator, as `cdk deploy` runs it. */
function cdkAssets(manifest: string) {
  return runCli('cdk-assets', ['--verbose', 'publish', '--path', manifest], { env: cliEnv({ shimEndpoint: shim.endpoint, pushLog: PUSH_LOG }) });
}
const pushes = () => (fs.existsSync(PUSH_LOG) ? fs.readFileSync(PUSH_LOG, 'utf8').split('\n').filter(Boolean) : []);

/** The destinations (repository, tag) of the routed manifest's docker assets, with the asset IDs. */
function destinations(): Array<{ assetId: string; repositoryName: string; imageTag: string }> {
  const assets = JSON.parse(fs.readFileSync(imagesManifest, 'utf8'));
  return Object.entries<any>(assets.dockerImages).map(([assetId, a]) => ({ assetId, ...Object.values<any>(a.destinations)[0] }));
}
const imageTags = () => destinations().map(d => d.imageTag);

/** A CloudFormation string expression of the template, for this run's account. */
const evaluate = (expr: unknown) => evaluateExpression(expr, ACCOUNT, REGION);

/** Repository and tag of every function's Code.ImageUri. */
function referencedImages(): string[] {
  const template = JSON.parse(fs.readFileSync(path.join(assembly, 'LambdaContainerExample.template.json'), 'utf8'));
  return Object.values<any>(template.Resources)
    .filter(r => r.Type === 'AWS::Lambda::Function' && r.Properties.PackageType === 'Image')
    .map(r => evaluate(r.Properties.Code.ImageUri))
    .map(uri => {
      expect(uri.startsWith(`${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/`)).toBe(true);
      return uri.replace(/^[^/]+\//, '');
    });
}

test('before the repository\'s stack is deployed, cdk-assets cannot publish into it (why the routed manifest waits for that stack)', async () => {
  const early = await cdkAssets(imagesManifest);
  expect(early.code).not.toBe(0);
  expect(early.output).toContain(`No ECR repository named '${REPOSITORY}'`);
});

test('cdk-assets publishes every image into the one shared repository, and the files into S3', async () => {
  await ecr.send(new CreateRepositoryCommand({ repositoryName: REPOSITORY })); // the LambdaContainerImages stack is deployed
  const tags = imageTags();
  expect(tags.length).toBe(4); // five functions: CreateOrder and ListOrders share an image
  expect(new Set(destinations().map(d => d.repositoryName))).toEqual(new Set([REPOSITORY]));
  for (const tag of tags) expect(tag).toMatch(/^lambdacontainerexample\.[a-z]+_[0-9a-f]{6}-[0-9a-f]{64}$/);

  const first = await cdkAssets(imagesManifest);
  expect(first).toMatchObject({ code: 0 });
  for (const tag of tags) expect(first.output).toContain(`Push ${ECR_HOST}/${REPOSITORY}:${tag}`);
  expect(pushes().sort()).toEqual(tags.map(tag => `${ECR_HOST}/${REPOSITORY}:${tag}`).sort());

  // The placeholders were resolved through STS, and ECR was asked with the publishing role's session.
  const roles = shim.calls.filter(c => c.action === 'AssumeRole').map(c => c.params.RoleArn);
  expect(roles).toContain(`arn:aws:iam::${ACCOUNT}:role/cdk-hnb659fds-image-publishing-role-${ACCOUNT}-${REGION}`);
  const ecrCalls = shim.calls.filter(c => c.service === 'ecr');
  expect(ecrCalls.map(c => c.action)).toEqual(expect.arrayContaining(['DescribeRepositories', 'DescribeImages', 'GetAuthorizationToken']));
  const mainKey = cliEnv().AWS_ACCESS_KEY_ID;
  for (const call of ecrCalls) expect([call.action, call.accessKeyId]).toEqual([call.action, expect.not.stringMatching(`^${mainKey}$`)]);

  // Every image a function references is in the registry, under the repository and tag cdk-assets used.
  expect(new Set(referencedImages())).toEqual(new Set(tags.map(tag => `${REPOSITORY}:${tag}`)));

  // The bootstrap manifest holds no image now: the template and the marker's code go to the bucket.
  const files = JSON.parse(fs.readFileSync(filesManifest, 'utf8'));
  expect(files.dockerImages ?? {}).toEqual({});
  expect((await cdkAssets(filesManifest)).code).toBe(0);
  for (const file of Object.values<any>(files.files)) {
    const key = Object.values<any>(file.destinations)[0].objectKey;
    expect((await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }))).ContentLength).toBeGreaterThan(0);
  }
});

test('a second publish finds every image through DescribeImages and pushes nothing', async () => {
  const again = await cdkAssets(imagesManifest);
  expect(again.code).toBe(0);
  expect(again.output).not.toMatch(/\bPush /);
  expect(pushes().length).toBe(imageTags().length);
  for (const tag of imageTags()) expect(again.output).toContain(`Found ${ECR_HOST}/${REPOSITORY}:${tag}`);
});

test('each published image pulls back whole and is the image that was built', () => {
  for (const { assetId, imageTag: tag } of destinations()) {
    const dir = path.join(E2E_DIR, 'pulled', tag);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    // A full pull: skopeo fetches every blob and checks it against its digest.
    execFileSync('skopeo', ['copy', '--quiet', '--src-tls-verify=false', `docker://${REGISTRY}/${REPOSITORY}:${tag}`, `oci:${dir}:${tag}`], { env, stdio: 'pipe' });
    const index = JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8'));
    const manifestDigest: string = index.manifests[0].digest;
    const pulled = JSON.parse(fs.readFileSync(path.join(dir, 'blobs', ...manifestDigest.split(':')), 'utf8'));
    // Same image config (the image ID) and as many layers as the image cdk-assets built locally
    // (it tags its local build after the asset ID).
    const local = JSON.parse(engine(['image', 'inspect', `cdkasset-${assetId}`], env))[0];
    expect(pulled.config.digest).toBe(local.Id.startsWith('sha256:') ? local.Id : `sha256:${local.Id}`);
    expect(pulled.layers.length).toBe(local.RootFS.Layers.length);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** An image as its repository stores it: blobs (compressed layers and config) and layer contents. */
interface StoredImage {
  readonly blobs: Array<{ digest: string; size: number }>;
  /** Uncompressed content digest of each layer, beside its blob. */
  readonly layers: Array<{ diffId: string; digest: string; size: number }>;
}

function storedImage(repository: string, tag: string): StoredImage {
  const ref = `docker://${REGISTRY}/${repository}:${tag}`;
  const manifest = JSON.parse(execFileSync('skopeo', ['inspect', '--raw', '--tls-verify=false', ref], { env, encoding: 'utf8' }));
  const config = JSON.parse(execFileSync('skopeo', ['inspect', '--config', '--raw', '--tls-verify=false', ref], { env, encoding: 'utf8' }));
  const layers = manifest.layers.map((l: { digest: string; size: number }, i: number) =>
    ({ diffId: config.rootfs.diff_ids[i], digest: l.digest, size: l.size }));
  return { blobs: [manifest.config, ...manifest.layers].map((b: any) => ({ digest: b.digest, size: b.size })), layers };
}

/** Bytes a set of repositories stores, as ECR stores them: each distinct blob once per repository. */
function storedBytes(byRepository: Map<string, StoredImage[]>): number {
  let total = 0;
  for (const images of byRepository.values()) {
    const blobs = new Map(images.flatMap(i => i.blobs).map(b => [b.digest, b.size]));
    total += [...blobs.values()].reduce((a, b) => a + b, 0);
  }
  return total;
}

test('one shared repository stores the shared layers once (≤ 1.02 of ideal), one repository per function does not', async () => {
  const tags = imageTags();
  const shared = new Map([[REPOSITORY, tags.map(tag => storedImage(REPOSITORY, tag))]]);
  // Ideal: each distinct layer content once (shared content counted once), plus each image's config.
  const images = shared.get(REPOSITORY)!;
  const layerContent = new Map(images.flatMap(i => i.layers).map(l => [l.diffId, l.size]));
  const configs = new Map(images.map(i => [i.blobs[0].digest, i.blobs[0].size]));
  const ideal = [...layerContent.values(), ...configs.values()].reduce((a, b) => a + b, 0);

  // The same images, one repository per function (copied blob for blob).
  const perFunction = new Map<string, StoredImage[]>();
  for (const tag of tags) {
    const repository = `${REPOSITORY}-${tag.split('_')[0].split('.').pop()}`;
    await ecr.send(new CreateRepositoryCommand({ repositoryName: repository }));
    execFileSync('skopeo', ['copy', '--quiet', '--src-tls-verify=false', '--dest-tls-verify=false', `docker://${REGISTRY}/${REPOSITORY}:${tag}`, `docker://${REGISTRY}/${repository}:${tag}`], { env, stdio: 'pipe' });
    perFunction.set(repository, [storedImage(repository, tag)]);
  }
  const sharedBytes = storedBytes(shared);
  const perFunctionBytes = storedBytes(perFunction);
  const report = {
    images: tags.length,
    idealBytes: ideal,
    sharedRepositoryBytes: sharedBytes,
    perFunctionRepositoriesBytes: perFunctionBytes,
    sharedOverIdeal: +(sharedBytes / ideal).toFixed(3),
    perFunctionOverIdeal: +(perFunctionBytes / ideal).toFixed(3),
  };
  fs.mkdirSync(path.join(REPO, 'test-reports'), { recursive: true });
  fs.writeFileSync(path.join(REPO, 'test-reports', 'dedup-shared-repository.json'), JSON.stringify(report, undefined, 2));
  console.log(`de-duplication: ${JSON.stringify(report)}`);
  expect(report.sharedOverIdeal).toBeLessThanOrEqual(1.02);
  // The Python base layers of the thumbnailer and the orders image are stored twice there.
  expect(report.perFunctionOverIdeal).toBeGreaterThan(report.sharedOverIdeal);
});
