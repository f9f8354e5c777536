/**
 * The integ tests deployed with their assertions through the CDK CLI installed here, for the
 * matrix's newest leg (scripts/compat.sh), where integ-runner cannot read the assembly (the main
 * leg runs integ-runner itself: e2e/integ.e2e.ts). What integ-runner's deploy workflow does, step
 * by step, with the real CLI against the deploy target (e2e/deploy-target.ts: the emulator): each
 * test synthesized as integ-runner synthesizes it (e2e/compat/integ-toolkit.ts), `cdk deploy --all
 * --outputs-file` (its stacks, then the assertion stack, whose custom resources run the
 * integ-tests-alpha assertions on the deployed functions), the assertion stack's
 * `AssertionResults…` outputs read as integ-runner reads them (each `{"status":"success"}` or
 * `{"status":"fail","message":…}`; none at all is a failure), then `cdk destroy --all --force`,
 * after which no stack may be left. A control changes one expectation and requires the assertion
 * to fail with the function's real answer.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { integTests, synthIntegTest, testCases } from './integ-toolkit';
import { bootstrap, cdk, cliEnv, clientConfig, ON_EMULATOR, stackExists } from '../deploy-target';
import { engine, REPO } from '../helpers';

const cfn = new CloudFormationClient(clientConfig);
const env = cliEnv();
const OUT = path.join(REPO, '.tmp', 'compat-integ-deploy');
const TESTS = integTests(REPO);

/** The stacks of an assembly (test cases and assertion stacks), by CloudFormation name. */
function stackNames(assembly: string): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(assembly, 'manifest.json'), 'utf8'));
  return Object.entries<any>(manifest.artifacts).filter(([, a]) => a.type === 'aws:cloudformation:stack').map(([id, a]) => a.properties?.stackName ?? id);
}

/**
 * On the emulator, zip functions run in `public.ecr.aws/lambda/<runtime>` images, stand-ins built by
 * scripts/e2e/base-images.sh; one it lacks leaves CloudFormation waiting on a custom resource for
 * as long as the emulator lets it (newer aws-cdk-lib releases move their handlers to newer runtimes:
 * nodejs24.x in 2.278). Fails first, naming the image to add there.
 */
function checkRuntimeImages(assembly: string): void {
  if (!ON_EMULATOR) return;
  const manifest = JSON.parse(fs.readFileSync(path.join(assembly, 'manifest.json'), 'utf8'));
  const runtimes = new Set<string>();
  for (const artifact of Object.values<any>(manifest.artifacts)) {
    if (artifact.type !== 'aws:cloudformation:stack') continue;
    const template = JSON.parse(fs.readFileSync(path.join(assembly, artifact.properties.templateFile), 'utf8'));
    for (const r of Object.values<any>(template.Resources ?? {})) {
      if (r.Type === 'AWS::Lambda::Function' && typeof r.Properties?.Runtime === 'string') runtimes.add(r.Properties.Runtime);
    }
  }
  const images = [...runtimes].map(r => r.replace(/^nodejs(\d+)\.x$/, 'nodejs:$1').replace(/^python(\d+\.\d+)$/, 'python:$1'));
  const missing = images.filter(i => {
    try {
      engine(['image', 'exists', `public.ecr.aws/lambda/${i}`]);
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length) throw new Error(`no stand-in for public.ecr.aws/lambda/${missing.join(', ')} (runtimes ${[...runtimes].join(', ')}): add it to scripts/e2e/base-images.sh`);
}

interface Deployed { readonly seconds: number; readonly results: Record<string, { status: string; message?: string }>; readonly output: string }

/** Deploys an assembly, reads its assertion results, destroys it; throws if a CLI command fails. */
async function deployAndAssert(assembly: string): Promise<Deployed> {
  checkRuntimeImages(assembly);
  const outputs = path.join(assembly, 'assertion-results.json');
  let seconds = 0;
  let output = '';
  try {
    const deploy = await cdk(assembly, env, 'deploy', '--all', '--outputs-file', outputs);
    seconds += deploy.seconds;
    output += deploy.output;
    if (deploy.code !== 0) throw new Error(`cdk deploy failed:\n${deploy.output}`);
  } finally {
    const destroy = await cdk(assembly, env, 'destroy', '--all', '--force');
    seconds += destroy.seconds;
    if (destroy.code !== 0) throw new Error(`cdk destroy failed:\n${destroy.output}`);
  }
  // integ-runner's processAssertionResults: the assertion stack's AssertionResults* outputs.
  const all = JSON.parse(fs.readFileSync(outputs, 'utf8'));
  const results: Deployed['results'] = {};
  for (const testCase of Object.values(testCases(assembly))) {
    for (const [id, value] of Object.entries<string>(all[testCase.assertionStackName!] ?? {})) {
      if (id.startsWith('AssertionResults')) results[id] = JSON.parse(value.replace(/\n/g, '\\n'));
    }
  }
  return { seconds, results, output };
}

beforeAll(() => bootstrap(env), 300_000);

test('every integ test is deployed here', () => {
  expect(TESTS).toEqual(expect.arrayContaining(['integ.example.ts', 'integ.shared-repository.ts', 'integ.extension-layers.ts']));
});

test.each(TESTS)('%s: deployed by the CLI, every assertion passes, then destroyed with no stack left', async test => {
  const assembly = path.join(OUT, test);
  await synthIntegTest(REPO, test, assembly);
  const { seconds, results } = await deployAndAssert(assembly);
  console.log(`${test}: cdk deploy + destroy ${seconds.toFixed(1)} s, ${Object.keys(results).length} assertion(s): ` +
    Object.entries(results).map(([id, r]) => `${id} ${r.status}${r.message ? `: ${r.message}` : ''}`).join('; '));
  expect(Object.keys(results).length).toBeGreaterThan(0);
  expect(Object.entries(results).filter(([, r]) => r.status !== 'success')).toEqual([]);
  for (const stack of stackNames(assembly)) expect([stack, await stackExists(cfn, stack)]).toEqual([stack, false]);
}, 1_800_000);

test('a wrong expectation is a failed assertion with the function\'s real answer (the assertions run, they are not skipped)', async () => {
  const assembly = path.join(OUT, 'wrong-answer');
  await synthIntegTest(REPO, 'integ.extension-layers.ts', assembly);
  // The assertion stack's template with one expected value changed, re-hashed so the CLI uploads it.
  const [testCase] = Object.values(testCases(assembly));
  const file = path.join(assembly, `${testCase.assertionStackName}.template.json`);
  const before = fs.readFileSync(file, 'utf8');
  const after = before.replace('\\"shared\\":\\"from the layer\\"', '\\"shared\\":\\"not from the layer\\"');
  expect(after).not.toEqual(before);
  fs.writeFileSync(file, after);
  const hash = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
  for (const name of ['manifest.json', `${testCase.assertionStackName}.assets.json`]) {
    const text = fs.readFileSync(path.join(assembly, name), 'utf8');
    expect(text).toContain(hash(before));
    fs.writeFileSync(path.join(assembly, name), text.split(hash(before)).join(hash(after)));
  }
  const { results } = await deployAndAssert(assembly);
  console.log(`wrong expectation: ${JSON.stringify(results).slice(0, 1500)}`);
  const failed = Object.values(results).filter(r => r.status === 'fail');
  expect(failed).toHaveLength(1);
  expect(failed[0].message).toContain('Expected not from the layer but received from the layer');
  for (const stack of stackNames(assembly)) expect([stack, await stackExists(cfn, stack)]).toEqual([stack, false]);
}, 1_800_000);
