/**
 * integ-runner's snapshot test, through the CDK toolkit library instead of integ-runner itself.
 *
 * Why: integ-runner's newest release (2.197.10) bundles a toolkit that reads cloud-assembly schema
 * 53 at most, and aws-cdk-lib 2.258+ writes 54/55 ("Maximum schema version supported is 53.x.x,
 * but found 55.0.0"): no integ-runner can read what the newest aws-cdk-lib synthesizes. The
 * matrix's newest leg (scripts/compat.sh) runs the integ tests through this module and the CDK CLI
 * instead. It does what integ-runner's `testSnapshot` does, with the toolkit library that reads
 * every schema (@aws-cdk/toolkit-lib): the app runs as integ-runner runs it (the same command,
 * integ-runner's own recommended feature flags and dummy environment, no lookups, no version
 * reporting, path or asset metadata), and the templates of the test cases' stacks (not the
 * assertion stack, whose `salt` changes with every synth) are compared with the committed snapshot
 * by @aws-cdk/cloudformation-diff's `fullDiff`, the function integ-runner calls.
 */
import * as fs from 'fs';
import * as path from 'path';
import { fullDiff, formatDifferences } from '@aws-cdk/cloudformation-diff';
import { MemoryContext, NonInteractiveIoHost, StackSelectionStrategy, Toolkit } from '@aws-cdk/toolkit-lib';

/** The integ tests of a repository: integ/integ.*.ts, as integ-runner discovers them. */
export function integTests(repo: string): string[] {
  return fs.readdirSync(path.join(repo, 'integ')).filter(f => /^integ\.(?!.*\.d\.ts$).*\.ts$/.test(f)).sort();
}

/** integ-runner's synth context: its recommended feature flags, target partitions unset (as it does). */
export function integContext(repo: string): Record<string, unknown> {
  const flags = JSON.parse(fs.readFileSync(require.resolve('@aws-cdk/integ-runner/lib/recommended-feature-flags.json', { paths: [repo] }), 'utf8'));
  delete flags['@aws-cdk/core:target-partitions'];
  return flags;
}

/** integ-runner's DEFAULT_SYNTH_OPTIONS.env (the apps here are environment-agnostic; kept alike). */
const INTEG_ENV = { CDK_INTEG_ACCOUNT: '12345678', CDK_INTEG_REGION: 'test-region' };

/**
 * Synthesizes one integ test into `outdir` as integ-runner does (`node -r ts-node/register <file>`,
 * integ/tsconfig.json, transpile only, as the `integ` task's environment gives it).
 */
export async function synthIntegTest(repo: string, test: string, outdir: string, dir = path.join(repo, 'integ')): Promise<void> {
  fs.rmSync(outdir, { recursive: true, force: true });
  const toolkit = new Toolkit({ ioHost: new NonInteractiveIoHost({ logLevel: 'error' }) });
  const source = await toolkit.fromCdkApp(`node -r ts-node/register ${JSON.stringify(path.join(dir, test))}`, {
    workingDirectory: repo,
    outdir,
    contextStore: new MemoryContext(integContext(repo) as any),
    lookups: false,
    resolveDefaultEnvironment: false,
    env: { ...INTEG_ENV, TS_NODE_PROJECT: path.join(repo, 'integ/tsconfig.json'), TS_NODE_TRANSPILE_ONLY: 'true' },
    synthOptions: { versionReporting: false, pathMetadata: false, assetMetadata: false },
  });
  const stacks = { strategy: StackSelectionStrategy.ALL_STACKS, failOnEmpty: false };
  const assembly = await toolkit.synth(source, { validateStacks: false, stacks });
  await assembly.dispose();
}

interface TestCase { readonly stacks: string[]; readonly diffAssets?: boolean; readonly assertionStackName?: string }

/** The test cases of a synthesized (or snapshot) assembly, from its integ manifest (integ.json). */
export function testCases(assemblyDir: string): Record<string, TestCase> {
  return JSON.parse(fs.readFileSync(path.join(assemblyDir, 'integ.json'), 'utf8')).testCases;
}

/** A stack's template in an assembly, by artifact id (the names integ.json lists). */
export function stackTemplate(assemblyDir: string, stackId: string): any {
  const manifest = JSON.parse(fs.readFileSync(path.join(assemblyDir, 'manifest.json'), 'utf8'));
  const artifact = manifest.artifacts?.[stackId];
  if (!artifact) return undefined;
  return JSON.parse(fs.readFileSync(path.join(assemblyDir, artifact.properties.templateFile), 'utf8'));
}

/** One difference integ-runner would report: the stack and the formatted `fullDiff`. */
export interface SnapshotDifference { readonly stack: string; readonly diff: string; readonly resources: Record<string, string[]> }

/**
 * integ-runner's `diffAssembly` for the test cases' stacks: a stack missing on either side, or a
 * template that differs. Every test here sets `diffAssets: true` (asset hashes are compared, not
 * canonicalized); a test without it is refused rather than compared differently from integ-runner.
 * `resources` lists, per changed logical id, the changed property paths (for the callers' checks).
 */
export function diffSnapshot(expectedDir: string, actualDir: string): SnapshotDifference[] {
  const differences: SnapshotDifference[] = [];
  const expectedCases = testCases(expectedDir);
  const actualCases = testCases(actualDir);
  const stacks = (cases: Record<string, TestCase>) => Object.values(cases).flatMap(c => c.stacks);
  for (const [name, testCase] of Object.entries(actualCases)) {
    if (!testCase.diffAssets) throw new Error(`${name}: diffAssets is not set; this comparison only implements integ-runner's diffAssets: true`);
  }
  for (const stack of stacks(expectedCases)) {
    if (!stacks(actualCases).includes(stack)) differences.push({ stack, diff: `${stack} exists in snapshot, but not in actual`, resources: {} });
  }
  for (const stack of stacks(actualCases)) {
    const expected = stackTemplate(expectedDir, stack);
    if (!expected) {
      differences.push({ stack, diff: `${stack} does not exist in snapshot, but does in actual`, resources: {} });
      continue;
    }
    const templateDiff = fullDiff(expected, stackTemplate(actualDir, stack));
    if (templateDiff.isEmpty) continue;
    let text = '';
    formatDifferences({ write: (chunk: any) => { text += chunk; return true; } } as any, templateDiff);
    const resources: Record<string, string[]> = {};
    templateDiff.resources.forEachDifference((logicalId, change) => {
      resources[logicalId] = change.isAddition || change.isRemoval ? ['(whole resource)'] : Object.keys(change.propertyUpdates).concat(Object.keys(change.otherChanges));
    });
    const other = ['parameters', 'outputs', 'conditions', 'mappings', 'metadata', 'rules', 'unknown'] as const;
    for (const section of other) {
      if ((templateDiff as any)[section]?.differenceCount > 0) resources[`(${section})`] = ['(section)'];
    }
    differences.push({ stack, diff: text, resources });
  }
  return differences;
}
