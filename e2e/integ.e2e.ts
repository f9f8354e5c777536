/**
 * The integ-runner tests of integ/ deployed for real: integ-runner (the real one, as `npx projen
 * integ` runs it, with `--force`) deploys each test's stacks to the deploy target
 * (e2e/deploy-target.ts: the emulator by default), runs its integ-tests-alpha assertions there
 * (the assertion provider is a Node.js zip function: the emulator runs it on the stand-in
 * public.ecr.aws/lambda/nodejs:22 with the real AWS SDK v3, scripts/e2e/stand-ins) and destroys
 * them. Each test must pass, its assertions must have run, no stack may be left, and the snapshot
 * integ-runner rewrites after a successful deployment must equal the committed one.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { bootstrap, cliEnv, clientConfig, Ran, REGION, runCli, stackExists } from './deploy-target';
import { REPO } from './helpers';

const cfn = new CloudFormationClient(clientConfig);
const env = { ...cliEnv(), TS_NODE_PROJECT: 'integ/tsconfig.json', TS_NODE_TRANSPILE_ONLY: 'true' };
const TESTS = fs.readdirSync(path.join(REPO, 'integ')).filter(f => /^integ\..*\.ts$/.test(f)).sort();

/** Without the assertion stacks' `salt` (a timestamp integ-tests-alpha puts in every synth to re-run them). */
function unsalted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unsalted);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'salt').map(([k, v]) => [k, unsalted(v)]));
  }
  return value;
}

/**
 * What integ-runner compares of a test's snapshot: its templates (metadata holds source paths and
 * line numbers; the assertion stack's asset manifest names its salted template's hash).
 */
function snapshotTemplates(test: string): Record<string, unknown> {
  const dir = path.join(REPO, 'integ', `${test}.snapshot`);
  return Object.fromEntries(fs.readdirSync(dir).filter(f => f.endsWith('.template.json')).sort()
    .map(f => [f, unsalted(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')))]));
}

/** The stacks a test deploys (its cases and the assertion stack), from its committed snapshot. */
function snapshotStacks(test: string): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'integ', `${test}.snapshot`, 'manifest.json'), 'utf8'));
  return Object.entries<any>(manifest.artifacts).filter(([, a]) => a.type === 'aws:cloudformation:stack').map(([, a]) => a.properties?.stackName ?? a.displayName);
}

beforeAll(() => bootstrap(env), 300_000);

test('every integ test is deployed here', () => {
  expect(TESTS).toEqual(expect.arrayContaining(['integ.example.ts', 'integ.shared-repository.ts', 'integ.extension-layers.ts']));
});

test.each(TESTS)('integ-runner deploys %s, its assertions pass, it is destroyed, and its snapshot stays as committed', async test => {
  const snapshot = path.join(REPO, 'integ', `${test}.snapshot`);
  const before = snapshotTemplates(test);
  const stacks = snapshotStacks(test);
  // integ-runner rewrites the snapshot after a successful deployment: the committed one is put back.
  const committed = fs.mkdtempSync(path.join(os.tmpdir(), 'clc-e2e-snapshot-'));
  fs.cpSync(snapshot, committed, { recursive: true, filter: f => !path.basename(f).startsWith('asset.') });
  let out: Ran;
  let after: Record<string, unknown> = {};
  try {
    out = await runCli('integ-runner', ['--directory', 'integ', '--language', 'typescript', '--parallel-regions', REGION, '--force', test], { env });
  } finally {
    after = fs.existsSync(snapshot) ? snapshotTemplates(test) : {};
    fs.rmSync(snapshot, { recursive: true, force: true });
    fs.cpSync(committed, snapshot, { recursive: true });
    fs.rmSync(committed, { recursive: true, force: true });
  }
  console.log(`${test}: integ-runner ${out.seconds.toFixed(1)} s\n${out.output.split('\n').filter(l => /SUCCESS|FAILED|ERROR|Assertion|Passed|Failed/i.test(l)).join('\n')}`);
  if (out.code !== 0) throw new Error(`integ-runner failed for ${test}:\n${out.output}`);
  expect(out.output).toMatch(new RegExp(`SUCCESS\\s+${test.replace(/\.ts$/, '').replace(/\./g, '\\.')}-`));
  for (const stack of stacks) expect([stack, await stackExists(cfn, stack)]).toEqual([stack, false]);
  expect(after).toEqual(before);
}, 1_800_000);

test('a wrong expectation fails integ-runner on the emulator (the assertions are evaluated there, not skipped)', async () => {
  const dir = path.join(REPO, '.tmp', 'integ-negative');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const src = JSON.stringify(path.join(REPO, 'src'));
  const code = JSON.stringify(path.join(REPO, 'examples', 'functions', 'custom-runtime'));
  fs.writeFileSync(path.join(dir, 'integ.wrong-answer.ts'), `
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { BaseImage, LambdaContainerFunction } from ${src};
const app = new App();
const stack = new Stack(app, 'IntegWrongAnswer');
const fn = new LambdaContainerFunction(stack, 'Echo', {
  baseImage: BaseImage.providedAl2023(), entry: ${code}, entrypoint: ['/var/task/bootstrap'], architecture: lambda.Architecture.X86_64,
});
const integ = new IntegTest(app, 'WrongAnswer', { testCases: [stack], stackUpdateWorkflow: false });
// The echo answers { echo: { ping: 1 }, handler: '' }: this expectation cannot hold.
integ.assertions.invokeFunction({ functionName: fn.functionName, payload: JSON.stringify({ ping: 1 }) })
  .expect(ExpectedResult.objectLike({ Payload: Match.serializedJson({ echo: { ping: 2 }, handler: '' }) }));
app.synth();
`);
  const out = await runCli('integ-runner', ['--directory', dir, '--language', 'typescript', '--parallel-regions', REGION, '--force'], { env });
  const report = out.output.slice(out.output.indexOf('ASSERT'));
  console.log(`integ.wrong-answer.ts: integ-runner ${out.seconds.toFixed(1)} s (expected to fail)\n${report.slice(0, 1500)}`);
  expect(out.code).not.toBe(0);
  // The failure is the assertion's, with the answer the function gave.
  expect(out.output).toMatch(/ASSERT\s+integ\.wrong-answer/);
  expect(report).toContain('Expected 2 but received 1');
  expect(await stackExists(cfn, 'IntegWrongAnswer')).toBe(false);
  fs.rmSync(dir, { recursive: true, force: true });
}, 900_000);
