/**
 * The example app's assets published by the real cdk-assets, as `cdk deploy` publishes them:
 * images into the local registry through the ECR/STS stand-in (repository URIs 127.0.0.1:5000/…),
 * the template into LocalStack S3; then every image the template references is pulled back.
 */
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CreateBucketCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startEcrStandIn, EcrStandIn, SESSION_KEY_PREFIX } from './ecr-stand-in';
import { E2E_DIR, engine, engineEnv, HOST_ARCH, REGISTRY, REPO, synth } from './helpers';
import { ExampleStack } from '../examples/app';

const LOCALSTACK = `http://127.0.0.1:${process.env.E2E_LOCALSTACK_PORT ?? 4566}`;
const REGION = 'us-east-1';
// A fresh account each run: its repository starts empty in the long-lived local registry.
const ACCOUNT = String(Date.now() % 1e12).padStart(12, '1');
const REPOSITORY = `cdk-hnb659fds-container-assets-${ACCOUNT}-${REGION}`;
const BUCKET = `cdk-hnb659fds-assets-${ACCOUNT}-${REGION}`;
const env = engineEnv();
const credentials = { accessKeyId: 'AKIAE2EMAIN', secretAccessKey: 'e2e' };

let standIn: EcrStandIn;
let assembly: string;
let manifest: string;

beforeAll(async () => {
  standIn = await startEcrStandIn({ registry: REGISTRY, account: ACCOUNT, repositories: [REPOSITORY] });
  assembly = synth('publish', app => new ExampleStack(app, 'LambdaContainerExample', { architecture: HOST_ARCH }));
  manifest = path.join(assembly, 'LambdaContainerExample.assets.json');
  const s3 = new S3Client({ endpoint: LOCALSTACK, region: REGION, forcePathStyle: true, credentials });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});
afterAll(() => standIn?.close());

/** Runs the real cdk-assets CLI against the stand-in (ECR, STS) and LocalStack (S3). */
function cdkAssets(...args: string[]): Promise<{ code: number; output: string }> {
  const child = spawn(path.join(REPO, 'node_modules/.bin/cdk-assets'), ['--verbose', 'publish', '--path', manifest, ...args], {
    env: {
      ...env,
      AWS_ENDPOINT_URL: standIn.endpoint,
      AWS_ENDPOINT_URL_S3: LOCALSTACK,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_REGION: REGION,
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    },
  });
  let output = '';
  child.stdout.on('data', d => output += d);
  child.stderr.on('data', d => output += d);
  return new Promise(resolve => child.on('close', code => resolve({ code: code ?? -1, output })));
}

/** The image tags of the manifest's docker assets. */
function imageTags(): string[] {
  const assets = JSON.parse(fs.readFileSync(manifest, 'utf8'));
  return Object.values<any>(assets.dockerImages).map(a => Object.values<any>(a.destinations)[0].imageTag);
}

/** Repository and tag of every function's Code.ImageUri, with the placeholders of this account. */
function referencedImages(): string[] {
  const template = JSON.parse(fs.readFileSync(path.join(assembly, 'LambdaContainerExample.template.json'), 'utf8'));
  return Object.values<any>(template.Resources)
    .filter(r => r.Type === 'AWS::Lambda::Function' && r.Properties.PackageType === 'Image')
    .map(r => r.Properties.Code.ImageUri['Fn::Sub'] as string)
    .map(uri => uri.replace(/\$\{AWS::AccountId\}/g, ACCOUNT).replace(/\$\{AWS::Region\}/g, REGION).replace(/^[^/]+\//, ''));
}

test('cdk-assets publishes every image into the registry and the template into S3', async () => {
  const tags = imageTags();
  expect(tags.length).toBe(4); // five functions: CreateOrder and ListOrders share an image

  const first = await cdkAssets();
  expect(first).toMatchObject({ code: 0 });
  for (const tag of tags) expect(first.output).toContain(`Push ${REGISTRY}/${REPOSITORY}:${tag}`);

  // The placeholders were resolved through STS, and ECR was asked with the publishing role's session.
  const roles = standIn.calls.filter(c => c.action === 'AssumeRole').map(c => c.params.RoleArn);
  expect(roles).toContain(`arn:aws:iam::${ACCOUNT}:role/cdk-hnb659fds-image-publishing-role-${ACCOUNT}-${REGION}`);
  const ecrCalls = standIn.calls.filter(c => c.service === 'ecr');
  expect(ecrCalls.map(c => c.action)).toEqual(expect.arrayContaining(['DescribeRepositories', 'DescribeImages', 'GetAuthorizationToken']));
  for (const call of ecrCalls) expect(call.accessKeyId).toMatch(new RegExp(`^${SESSION_KEY_PREFIX}`));

  // Every image a function references is in the registry, under the repository and tag cdk-assets used.
  const pushed = tags.map(tag => `${REPOSITORY}:${tag}`);
  expect(new Set(referencedImages())).toEqual(new Set(pushed));

  // The template went to the bootstrap bucket (LocalStack).
  const templateAsset = Object.values<any>(JSON.parse(fs.readFileSync(manifest, 'utf8')).files)[0];
  const key = Object.values<any>(templateAsset.destinations)[0].objectKey;
  const s3 = new S3Client({ endpoint: LOCALSTACK, region: REGION, forcePathStyle: true, credentials });
  expect((await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }))).ContentLength).toBeGreaterThan(0);
});

test('a second publish finds every image through DescribeImages and pushes nothing', async () => {
  const again = await cdkAssets();
  expect(again.code).toBe(0);
  expect(again.output).not.toMatch(/\bPush /);
  for (const tag of imageTags()) expect(again.output).toContain(`Found ${REGISTRY}/${REPOSITORY}:${tag}`);
});

test('each published image pulls back whole and is the image that was built', () => {
  for (const tag of imageTags()) {
    const dir = path.join(E2E_DIR, 'pulled', tag);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    // A full pull: skopeo fetches every blob and checks it against its digest.
    execFileSync('skopeo', ['copy', '--quiet', '--src-tls-verify=false', `docker://${REGISTRY}/${REPOSITORY}:${tag}`, `oci:${dir}:${tag}`], { env, stdio: 'pipe' });
    const index = JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8'));
    const manifestDigest: string = index.manifests[0].digest;
    const pulled = JSON.parse(fs.readFileSync(path.join(dir, 'blobs', ...manifestDigest.split(':')), 'utf8'));
    // Same image config (the image ID) and as many layers as the image cdk-assets built locally.
    const local = JSON.parse(engine(['image', 'inspect', `cdkasset-${tag}`], env))[0];
    expect(pulled.config.digest).toBe(local.Id.startsWith('sha256:') ? local.Id : `sha256:${local.Id}`);
    expect(pulled.layers.length).toBe(local.RootFS.Layers.length);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
