/**
 * The integ snapshots on the aws-cdk-lib installed here, compared as integ-runner compares them
 * (e2e/compat/integ-toolkit.ts), for the matrix's newest leg (scripts/compat.sh), where integ-runner
 * cannot read the assembly. On the lowest aws-cdk-lib (the main leg, which runs integ-runner itself)
 * the templates equal the committed snapshots. Between aws-cdk-lib releases one thing legitimately
 * differs, and only that is accepted, each case checked: the S3Key of a custom resource provider's
 * handler whose code is a directory of this repository (assets/in-use-marker) plus aws-cdk-lib's
 * own `__entrypoint__.js`, which changes between its releases (2.257 → 2.278 did). Anything else
 * fails, as integ-runner would.
 */
import * as fs from 'fs';
import * as path from 'path';
import { diffSnapshot, integTests, SnapshotDifference, stackTemplate, synthIntegTest, testCases } from './integ-toolkit';
import { REPO } from '../helpers';

const OUT = path.join(REPO, '.tmp', 'compat-integ');
const LIB_DIR = path.dirname(require.resolve('aws-cdk-lib/package.json'));
const LIB = JSON.parse(fs.readFileSync(path.join(LIB_DIR, 'package.json'), 'utf8')).version as string;
/** What aws-cdk-lib's CustomResourceProvider puts beside a provider's code. */
const ENTRYPOINT = path.join(LIB_DIR, 'custom-resource-handlers/dist/core/nodejs-entrypoint-handler/index.js');

function filesOf(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter(e => e.isFile())
    .map(e => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}

/** A directory of the repository's assets/ with exactly these files, byte for byte (or undefined). */
function repositoryDirectoryOf(assetDir: string, except: string[]): string | undefined {
  const files = filesOf(assetDir).filter(f => !except.includes(f));
  return fs.readdirSync(path.join(REPO, 'assets')).map(d => path.join(REPO, 'assets', d))
    .find(dir => fs.statSync(dir).isDirectory() && JSON.stringify(filesOf(dir)) === JSON.stringify(files)
      && files.every(f => fs.readFileSync(path.join(dir, f)).equals(fs.readFileSync(path.join(assetDir, f)))));
}

/**
 * Why a difference is aws-cdk-lib's own, or undefined: every changed resource is a Lambda function
 * whose only change is Code.S3Key, and the asset it now names is a directory of this repository plus
 * aws-cdk-lib's entrypoint, identical to the one in node_modules/aws-cdk-lib.
 */
function libraryOwnDifference(difference: SnapshotDifference, actualDir: string): string | undefined {
  const template = stackTemplate(actualDir, difference.stack);
  if (!template) return undefined;
  const reasons: string[] = [];
  for (const [logicalId, changes] of Object.entries(difference.resources)) {
    const resource = template.Resources?.[logicalId];
    if (resource?.Type !== 'AWS::Lambda::Function' || JSON.stringify(changes) !== '["Code"]') return undefined;
    const key = resource.Properties?.Code?.S3Key;
    const asset = typeof key === 'string' && /^[0-9a-f]{64}\.zip$/.test(key) ? path.join(actualDir, `asset.${key.replace(/\.zip$/, '')}`) : undefined;
    if (!asset || !fs.existsSync(path.join(asset, '__entrypoint__.js'))) return undefined;
    if (!fs.readFileSync(path.join(asset, '__entrypoint__.js')).equals(fs.readFileSync(ENTRYPOINT))) return undefined;
    const own = repositoryDirectoryOf(asset, ['__entrypoint__.js']);
    if (!own) return undefined;
    reasons.push(`${difference.stack}/${logicalId}: Code.S3Key, its code is ${path.relative(REPO, own)}/ plus aws-cdk-lib ${LIB}'s __entrypoint__.js`);
  }
  // Outside Resources (parameters, outputs, ...) nothing may differ; neither may a whole stack.
  return reasons.length > 0 && !Object.keys(difference.resources).some(k => k.startsWith('(')) ? reasons.join('; ') : undefined;
}

const TESTS = integTests(REPO);

test('every integ test is compared', () => {
  expect(TESTS).toEqual(expect.arrayContaining(['integ.example.ts', 'integ.shared-repository.ts', 'integ.extension-layers.ts']));
});

test.each(TESTS)(`%s on aws-cdk-lib ${LIB}: the templates integ-runner compares equal the committed snapshot, but for aws-cdk-lib's own code`, async test => {
  const actual = path.join(OUT, test);
  const started = Date.now();
  await synthIntegTest(REPO, test, actual);
  const differences = diffSnapshot(path.join(REPO, 'integ', `${test}.snapshot`), actual);
  const accepted = differences.map(d => libraryOwnDifference(d, actual));
  console.log(`${test} on aws-cdk-lib ${LIB}: synthesized in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
    `${Object.values(testCases(actual)).flatMap(c => c.stacks).length} stack(s) compared, ${differences.length} differ` +
    accepted.filter(Boolean).map(a => `\n  aws-cdk-lib's own: ${a}`).join(''));
  const refused = differences.filter((_, i) => !accepted[i]);
  expect(refused.map(d => `${d.stack}\n${d.diff}`)).toEqual([]);
}, 300_000);

describe('the comparison can fail', () => {
  const control = 'integ.extension-layers.ts';
  const work = path.join(OUT, 'controls');

  function copyOf(dir: string, name: string): string {
    const to = path.join(work, name);
    fs.rmSync(to, { recursive: true, force: true });
    fs.cpSync(dir, to, { recursive: true });
    return to;
  }
  function editTemplate(dir: string, stack: string, edit: (t: any) => void): void {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    const file = path.join(dir, manifest.artifacts[stack].properties.templateFile);
    const template = JSON.parse(fs.readFileSync(file, 'utf8'));
    edit(template);
    fs.writeFileSync(file, JSON.stringify(template));
  }

  beforeAll(async () => {
    for (const t of [control, 'integ.example.ts']) {
      if (!fs.existsSync(path.join(OUT, t, 'manifest.json'))) await synthIntegTest(REPO, t, path.join(OUT, t));
    }
  }, 300_000);

  test('a changed property of a function is a difference, and not aws-cdk-lib\'s own', () => {
    const snapshot = copyOf(path.join(OUT, control), 'memory'); // the synthesized assembly, changed
    const [stack] = Object.values(testCases(snapshot))[0].stacks;
    const [logicalId] = Object.entries<any>(stackTemplate(snapshot, stack).Resources).find(([, r]) => r.Type === 'AWS::Lambda::Function' && r.Properties.PackageType === 'Image')!;
    editTemplate(snapshot, stack, t => { t.Resources[logicalId].Properties.MemorySize = (t.Resources[logicalId].Properties.MemorySize ?? 128) + 1; });
    const differences = diffSnapshot(snapshot, path.join(OUT, control));
    const changed = differences.find(d => d.stack === stack)!;
    expect(changed.resources[logicalId]).toEqual(['MemorySize']);
    expect(libraryOwnDifference(changed, path.join(OUT, control))).toBeUndefined();
  });

  test('a stack missing from the snapshot is a difference', () => {
    const snapshot = copyOf(path.join(OUT, control), 'missing');
    const integ = JSON.parse(fs.readFileSync(path.join(snapshot, 'integ.json'), 'utf8'));
    const [name] = Object.keys(integ.testCases);
    integ.testCases[name].stacks.push('NotThere');
    fs.writeFileSync(path.join(snapshot, 'integ.json'), JSON.stringify(integ));
    expect(diffSnapshot(snapshot, path.join(OUT, control)).map(d => d.diff)).toEqual(['NotThere exists in snapshot, but not in actual']);
  });

  test('a provider handler whose code is not this repository\'s plus aws-cdk-lib\'s entrypoint is not accepted', () => {
    const actual = copyOf(path.join(OUT, 'integ.example.ts'), 'handler');
    const stack = 'LambdaContainerExample';
    const template = stackTemplate(actual, stack);
    const [logicalId, handler] = Object.entries<any>(template.Resources).find(([id]) => id.startsWith('CdkLambdaContainerInUseMarkerCustomResourceProviderHandler'))!;
    const asset = path.join(actual, `asset.${handler.Properties.Code.S3Key.replace(/\.zip$/, '')}`);
    const difference: SnapshotDifference = { stack, diff: '(control)', resources: { [logicalId]: ['Code'] } };
    expect(libraryOwnDifference(difference, actual)).toMatch(/assets\/in-use-marker\/ plus aws-cdk-lib/);
    fs.appendFileSync(path.join(asset, 'index.js'), '\n// changed\n');
    expect(libraryOwnDifference(difference, actual)).toBeUndefined();
    expect(libraryOwnDifference({ ...difference, resources: { [logicalId]: ['Code', 'Runtime'] } }, actual)).toBeUndefined();
  });
});
