/**
 * The integ-runner tests of integ/ deployed for real: integ-runner (the real one, as `npx projen
 * integ` runs it, with `--force`) deploys each test's stacks to the deploy target
 * (e2e/deploy-target.ts: the emulator by default), runs its integ-tests-alpha assertions there
 * (the assertion provider is a Node.js zip function: the emulator runs it on the stand-in
 * public.ecr.aws/lambda/nodejs:22 with the real AWS SDK v3, scripts/e2e/stand-ins) and destroys
 * them. Each test must pass, its assertions must have run, no stack may be left, and the snapshot
 * integ-runner rewrites after a successful deployment must equal the committed one.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { cliEnv, clientConfig, EMULATOR_ACCOUNT, ON_EMULATOR, REGION, runCli } from './deploy-target';
import { removeStaleAssetImages, REPO } from './helpers';

const cfn = new CloudFormationClient(clientConfig);
const env = { ...cliEnv(), TS_NODE_PROJECT: 'integ/tsconfig.json', TS_NODE_TRANSPILE_ONLY: 'true' };
const TESTS = fs.readdirSync(path.join(REPO, 'integ')).filter(f => /^integ\..*\.ts$/.test(f)).sort();

/**
 * What integ-runner compares of a test's snapshot (templates and asset manifests; metadata holds
 * source paths and line numbers), by file name → sha256.
 */
function snapshotFiles(test: string): Record<string, string> {
  const dir = path.join(REPO, 'integ', `${test}.snapshot`);
  return Object.fromEntries(fs.readdirSync(dir).filter(f => /\.(template|assets)\.json$/.test(f)).sort()
    .map(f => [f, createHash('sha256').update(fs.readFileSync(path.join(dir, f))).digest('hex')]));
}

/** The stacks a test deploys (its cases and the assertion stack), from its committed snapshot. */
function snapshotStacks(test: string): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'integ', `${test}.snapshot`, 'manifest.json'), 'utf8'));
  return Object.entries<any>(manifest.artifacts).filter(([, a]) => a.type === 'aws:cloudformation:stack').map(([, a]) => a.properties?.stackName ?? a.displayName);
}

async function stackExists(name: string): Promise<boolean> {
  try {
    const out = await cfn.send(new DescribeStacksCommand({ StackName: name }));
    return (out.Stacks ?? []).some(s => s.StackStatus !== 'DELETE_COMPLETE');
  } catch (err: any) {
    if (/does not exist/.test(String(err.message))) return false;
    throw err;
  }
}

beforeAll(async () => {
  removeStaleAssetImages();
  // Bootstrapped as a user does, from a directory without an app.
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'clc-e2e-bootstrap-'));
  const out = await runCli('cdk', ['bootstrap', ...(ON_EMULATOR ? [`aws://${EMULATOR_ACCOUNT}/${REGION}`] : []), '--no-notices'], { env, cwd });
  if (out.code !== 0) throw new Error(`cdk bootstrap failed:\n${out.output}`);
}, 300_000);

test('every integ test is deployed here', () => {
  expect(TESTS).toEqual(expect.arrayContaining(['integ.example.ts', 'integ.shared-repository.ts', 'integ.extension-layers.ts']));
});

test.each(TESTS)('integ-runner deploys %s, its assertions pass, it is destroyed, and its snapshot stays as committed', async test => {
  const before = snapshotFiles(test);
  const stacks = snapshotStacks(test);
  const out = await runCli('integ-runner', ['--directory', 'integ', '--language', 'typescript', '--parallel-regions', REGION, '--force', test], { env });
  console.log(`${test}: integ-runner ${out.seconds.toFixed(1)} s\n${out.output.split('\n').filter(l => /SUCCESS|FAILED|ERROR|Assertion|Passed|Failed/i.test(l)).join('\n')}`);
  if (out.code !== 0) throw new Error(`integ-runner failed for ${test}:\n${out.output}`);
  expect(out.output).toMatch(new RegExp(`SUCCESS\\s+${test.replace(/\.ts$/, '').replace(/\./g, '\\.')}-`));
  for (const stack of stacks) expect([stack, await stackExists(stack)]).toEqual([stack, false]);
  expect(snapshotFiles(test)).toEqual(before);
}, 1_800_000);
