import * as fc from 'fast-check';
import { IN_USE_TAG_PREFIX, lifecyclePolicy, LifecyclePolicyDocument, lifecyclePolicyText } from '../../src/private/lifecycle-policy';
import { lineageTagPrefix } from '../../src/private/repository-naming';
import { evaluateLifecycle, ModelImage } from '../ecr-lifecycle-model';
import { FakeEcrRepository } from '../fake-ecr';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const marker = require('../../assets/in-use-marker/index.js');

const REPO = 'shared';
const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/Functions/0f1e2d3c';

describe('lifecyclePolicy', () => {
  test('claims marked images first, keeps N per lineage, expires the rest after D days', () => {
    const policy = lifecyclePolicy({ lineagePrefixes: ['b_2-', 'a_1-', 'b_2-'], keepPerLineage: 2, expireOthersAfterDays: 5 });
    expect(policy.rules.map(r => [r.rulePriority, r.selection])).toEqual([
      [1, { tagStatus: 'tagged', tagPatternList: ['inuse-*'], countType: 'imageCountMoreThan', countNumber: 9999 }],
      [10, { tagStatus: 'tagged', tagPrefixList: ['a_1-'], countType: 'imageCountMoreThan', countNumber: 2 }],
      [11, { tagStatus: 'tagged', tagPrefixList: ['b_2-'], countType: 'imageCountMoreThan', countNumber: 2 }],
      [12, { tagStatus: 'any', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 5 }],
    ]);
    expect(JSON.parse(lifecyclePolicyText({ lineagePrefixes: [], keepPerLineage: 1, expireOthersAfterDays: 1 })).rules).toHaveLength(2);
  });
});

describe('the ECR lifecycle model', () => {
  const policy = lifecyclePolicy({ lineagePrefixes: ['a_1-'], keepPerLineage: 1, expireOthersAfterDays: 3 });
  const image = (digest: string, tags: string[], pushedAt: number): ModelImage => ({ digest, tags, pushedAt });

  test('expires all but the newest N of a lineage, and never a marked one', () => {
    const images = [image('old', ['a_1-x', 'inuse-f-old'], 0), image('mid', ['a_1-y'], 1), image('new', ['a_1-z'], 2)];
    expect([...evaluateLifecycle(policy, images, 2)]).toEqual(['mid']);
  });

  test('expires untagged and unknown images after D days only', () => {
    const images = [image('u', [], 0), image('foreign', ['v1'], 0), image('fresh', [], 9)];
    expect([...evaluateLifecycle(policy, images, 10)].sort()).toEqual(['foreign', 'u']);
  });

  test('counts claimed images in lower rules without expiring them', () => {
    // The marked image is the newest: the lineage's keep-1 is used up by it, so 'b' expires.
    const images = [image('a', ['a_1-a'], 0), image('b', ['a_1-b'], 1), image('m', ['a_1-m', 'inuse-f-m'], 2)];
    expect([...evaluateLifecycle(policy, images, 2)].sort()).toEqual(['a', 'b']);
  });
});

// ---------------------------------------------------------------------------------------------
// Property tests: random deploys, failed deploys (rollbacks), reverts, shared images, deletions
// and time passing, with the real marker handler on an immutable in-memory repository, and a
// lifecycle run after every single step of every deployment.
// ---------------------------------------------------------------------------------------------

/** Lineages: group 0 is one image shared by two functions; groups 1 and 2 have one function each. */
const GROUPS = [['Api', 'Worker'], ['Thumbnailer'], ['Report']];
const prefixOf = (group: number) => lineageTagPrefix(`Functions/${GROUPS[group][0]}`);

type Command =
  | { kind: 'deploy'; group: number; version: number; fails: boolean }
  | { kind: 'delete'; group: number }
  | { kind: 'advance'; days: number };

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('deploy' as const), group: fc.nat(2), version: fc.nat(5), fails: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), group: fc.nat(2) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), days: fc.integer({ min: 1, max: 20 }) }) },
);

interface FunctionState {
  /** The digest the function runs (what Lambda resolved its ImageUri to). */
  digest?: string;
  /** The marker custom resource: its physical ID and properties, as CloudFormation keeps them. */
  physicalId?: string;
  imageTag?: string;
}

class Violation extends Error {}

interface Scenario {
  readonly keep: number;
  readonly expireDays: number;
  /** Negative control: drop the in-use rule. */
  readonly withoutInUseRule?: boolean;
}

async function simulate(scenario: Scenario, commands: Command[]): Promise<FakeEcrRepository> {
  const repo = new FakeEcrRepository(REPO);
  const fns = new Map<string, FunctionState>();
  const active = new Set<number>();
  const policy = (): LifecyclePolicyDocument => {
    const lineagePrefixes = [...active].map(prefixOf);
    const doc = lifecyclePolicy({ lineagePrefixes, keepPerLineage: scenario.keep, expireOthersAfterDays: scenario.expireDays });
    return scenario.withoutInUseRule ? { rules: doc.rules.slice(1) } : doc;
  };
  /** Images that must exist now: what each function runs, and what an update in flight rolls back to. */
  let rollbackTargets: string[] = [];
  const lifecycleRun = (when: string) => {
    repo.expire(evaluateLifecycle(policy(), repo.snapshot(), repo.now));
    for (const [name, fn] of fns) {
      if (fn.digest && !repo.has(fn.digest)) throw new Violation(`${when}: ${name} runs ${fn.digest}, which the lifecycle expired`);
    }
    for (const d of rollbackTargets) {
      if (!repo.has(d)) throw new Violation(`${when}: the rollback target ${d} was expired`);
    }
  };
  const event = (fn: string, requestType: string, props: { imageTag: string }, physicalId?: string) => ({
    RequestType: requestType,
    StackId: STACK_ID,
    LogicalResourceId: `${fn}ImageInUse`,
    PhysicalResourceId: physicalId,
    ResourceProperties: { RepositoryName: REPO, RegistryId: '123456789012', ImageTag: props.imageTag, MarkerPrefix: IN_USE_TAG_PREFIX },
  });
  const cr = async (fn: string, type: string, imageTag: string, physicalId?: string): Promise<string> =>
    (await marker.onEvent(event(fn, type, { imageTag }, physicalId), repo.send)).PhysicalResourceId;
  const crDelete = (fn: string, physicalId: string) => marker.onEvent(event(fn, 'Delete', { imageTag: '' }, physicalId), repo.send);

  for (const command of commands) {
    if (command.kind === 'advance') {
      repo.now += command.days;
      lifecycleRun('time passed');
      continue;
    }
    if (command.kind === 'delete') {
      if (!active.has(command.group)) continue;
      for (const name of GROUPS[command.group]) {
        // The function depends on its marker: CloudFormation deletes the function first.
        const fn = fns.get(name)!;
        fns.delete(name);
        lifecycleRun(`${name} deleted`);
        await crDelete(name, fn.physicalId!);
        lifecycleRun(`${name}'s marker deleted`);
      }
      active.delete(command.group);
      continue;
    }

    // cdk deploy: the repository stack first (its lifecycle now knows the lineage), then cdk-assets
    // publishes (skipped when the tag is found), then the functions' stack update.
    active.add(command.group);
    const tag = `${prefixOf(command.group)}${command.version.toString(16).padStart(64, '0')}`;
    if (repo.digestOf(tag)) repo.reverts++; else repo.push(tag);
    lifecycleRun(`pushed ${tag}`);
    const updated: Array<{ name: string; before: FunctionState }> = [];
    let failed = command.fails;
    for (const name of GROUPS[command.group]) {
      const before = { ...(fns.get(name) ?? {}) };
      rollbackTargets = [...updated.map(u => u.before.digest), before.digest].filter((d): d is string => !!d);
      try {
        const physicalId = await cr(name, before.physicalId ? 'Update' : 'Create', tag, before.physicalId);
        fns.set(name, { ...before, physicalId, imageTag: tag });
      } catch {
        failed = true; // The image is gone (expired since the push): the deployment fails, safely.
        break;
      }
      updated.push({ name, before });
      lifecycleRun(`${name} marked`);
      const digest = repo.digestOf(tag);
      if (!digest) {
        failed = true; // Lambda refuses an ImageUri that does not exist.
        break;
      }
      fns.set(name, { ...fns.get(name)!, digest });
      lifecycleRun(`${name} updated`);
    }
    if (failed) {
      // Rollback, in reverse order: the function back to its old image, then the marker back
      // (an update with the old properties), then the new marker deleted in the cleanup.
      for (const { name, before } of updated.reverse()) {
        const now = fns.get(name)!;
        if (before.digest) {
          if (!repo.has(before.digest)) throw new Violation(`rollback of ${name}: its old image ${before.digest} is gone`);
          fns.set(name, { ...now, digest: before.digest });
        } else {
          fns.delete(name);
        }
        lifecycleRun(`${name} rolled back`);
        const restored = before.physicalId ? await cr(name, 'Update', before.imageTag!, now.physicalId) : undefined;
        if (restored !== now.physicalId) await crDelete(name, now.physicalId!);
        if (before.physicalId) fns.set(name, { ...fns.get(name)!, physicalId: restored, imageTag: before.imageTag });
        lifecycleRun(`${name}'s marker rolled back`);
      }
      if (!updated.some(u => u.before.physicalId) && !GROUPS[command.group].some(n => fns.has(n))) active.delete(command.group);
    } else {
      // Cleanup phase of a successful update: the old markers go.
      for (const { name, before } of updated) {
        if (before.physicalId && before.physicalId !== fns.get(name)!.physicalId) {
          await crDelete(name, before.physicalId);
          lifecycleRun(`${name}'s old marker deleted`);
        }
      }
    }
    rollbackTargets = [];
  }
  return repo;
}

const scenarioArb = fc.record({ keep: fc.integer({ min: 1, max: 3 }), expireDays: fc.integer({ min: 1, max: 7 }) });
const RUNS = 500;
const historyArb = fc.array(commandArb, { minLength: 10, maxLength: 60 });

describe('the shared repository lifecycle', () => {
  test('never expires an image a deployed function uses, nor the one an update rolls back to', async () => {
    let expired = 0;
    let reverts = 0;
    await fc.assert(fc.asyncProperty(scenarioArb, historyArb, async (scenario, commands) => {
      const repo = await simulate(scenario, commands);
      expired += repo.expired;
      reverts += repo.reverts;
    }), { numRuns: RUNS });
    // Not vacuous: the lifecycle did expire images, and deploys went back to tags still stored.
    console.log(`lifecycle property: ${RUNS} histories, ${expired} images expired, ${reverts} deploys of a stored tag`);
    expect(expired).toBeGreaterThan(RUNS);
    expect(reverts).toBeGreaterThan(RUNS / 10);
  });

  test('bounds storage: after D days, each lineage keeps at most N images beyond those in use', async () => {
    await fc.assert(fc.asyncProperty(scenarioArb, historyArb, async (scenario, commands) => {
      const repo = await simulate(scenario, [...commands, { kind: 'advance', days: scenario.expireDays + 1 }]);
      const images = repo.snapshot();
      const inUse = images.filter(i => i.tags.some(t => t.startsWith(IN_USE_TAG_PREFIX)));
      const unmarked = images.filter(i => !inUse.includes(i));
      for (let g = 0; g < GROUPS.length; g++) {
        expect(unmarked.filter(i => i.tags.some(t => t.startsWith(prefixOf(g)))).length).toBeLessThanOrEqual(scenario.keep);
      }
      expect(images.length).toBeLessThanOrEqual(inUse.length + GROUPS.length * scenario.keep);
    }), { numRuns: RUNS });
  });

  test('can fail: without the in-use rule, a random history expires an image in use', async () => {
    const result = await fc.check(fc.asyncProperty(scenarioArb, historyArb, async (scenario, commands) => {
      await simulate({ ...scenario, withoutInUseRule: true }, commands);
    }), { numRuns: RUNS, seed: 42 });
    expect(result.failed).toBe(true);
    expect(String(result.errorInstance)).toMatch(/expired|is gone/);
  });
});
