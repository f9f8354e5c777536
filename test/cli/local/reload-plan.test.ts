import * as fs from 'fs';
import * as path from 'path';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { BaseImage, FunctionImage, LambdaContainerFunction, RuntimeInterfaceClient } from '../../../src';
import { readImageFunctions } from '../../../src/cli/local/assembly';
import { cdkExcluder, codeMounts, decideChange, MountPlan, readReloadPlans, ReloadPlan, withoutCodeLayer } from '../../../src/cli/local/reload-plan';
import { newStack, tempTree } from '../../util';

/** An app with one function of each kind --reload tells apart, synthesized with asset metadata as `cdk synth` does. */
function app(metadata = true) {
  const { app: a, stack } = newStack({ 'aws:cdk:enable-path-metadata': true, 'aws:cdk:enable-asset-metadata': metadata });
  const root = tempTree({
    'py/app.py': 'def handler(e, c): return 1\n',
    'py/requirements.txt': 'humanize\n',
    'py/tests/test_app.py': '',
    'node/index.js': 'exports.handler = async () => 1;\n',
    'java/H.class': 'built on the host',
    'go/go.mod': 'module example.com/fn\n\ngo 1.24\n',
    'go/main.go': 'package main\n\nfunc main() {}\n',
    'own/Dockerfile': 'FROM public.ecr.aws/lambda/python:3.13\nCOPY app.py ${LAMBDA_TASK_ROOT}/\n',
    'own/app.py': '',
  });
  new LambdaContainerFunction(stack, 'Py', {
    image: FunctionImage.fromEntry(path.join(root, 'py'), { baseImage: BaseImage.python('3.13'), exclude: ['tests', '__pycache__'] }),
    cmd: ['app.handler'],
  });
  new LambdaContainerFunction(stack, 'Node', {
    baseImage: BaseImage.fromRegistry('node:22-bookworm-slim', { ric: RuntimeInterfaceClient.nodejs() }), entry: path.join(root, 'node'), cmd: ['index.handler'],
  });
  new LambdaContainerFunction(stack, 'Java', {
    baseImage: BaseImage.fromRegistry('eclipse-temurin:21-jre', { ric: RuntimeInterfaceClient.java() }), entry: path.join(root, 'java'), cmd: ['H::handle'],
  });
  new LambdaContainerFunction(stack, 'Go', {
    baseImage: BaseImage.fromRegistry('debian:bookworm-slim', { ric: RuntimeInterfaceClient.go() }), entry: path.join(root, 'go'),
  });
  new LambdaContainerFunction(stack, 'Own', { image: FunctionImage.fromImageAsset(path.join(root, 'own')) });
  new LambdaContainerFunction(stack, 'Pulled', { image: FunctionImage.fromEcr(ecr.Repository.fromRepositoryName(stack, 'R', 'r'), { tagOrDigest: `sha256:${'a'.repeat(64)}` }), cmd: ['app.handler'] });
  const dir = a.synth().directory;
  return { root, plans: readReloadPlans(readImageFunctions(dir)) };
}

const mount = (plans: Map<string, ReloadPlan>, fn: string) => plans.get(fn) as MountPlan;

describe('reloadPlan', () => {
  test('code the image copies verbatim is mounted; code compiled in the image, your own Dockerfile and existing images are rebuilt, each saying why', () => {
    const { root, plans } = app();
    expect(mount(plans, 'TestStack/Py')).toMatchObject({
      mode: 'mount', codeDir: path.join(root, 'py'), codePath: '/var/task', language: 'python', exclude: ['tests', '__pycache__'],
    });
    expect(mount(plans, 'TestStack/Node')).toMatchObject({ mode: 'mount', codeDir: path.join(root, 'node'), codePath: '/function', language: 'nodejs' });
    // Java's RIC image copies the code directory (classes and jars built on the host) as it is: mounted too.
    expect(mount(plans, 'TestStack/Java')).toMatchObject({ mode: 'mount', codeDir: path.join(root, 'java'), codePath: '/function', language: 'java' });
    expect(plans.get('TestStack/Go')).toEqual({ mode: 'rebuild', fn: 'TestStack/Go', language: 'go', why: expect.stringMatching(/compiled in the image's build stage \(go\)/) });
    expect(plans.get('TestStack/Own')).toMatchObject({ mode: 'rebuild', why: expect.stringMatching(/a Dockerfile of your own/) });
    expect(plans.get('TestStack/Pulled')).toMatchObject({ mode: 'rebuild', why: expect.stringMatching(/existing image/) });
  });

  test('the image --reload runs is the generated Dockerfile without its code layer, the dependencies kept', () => {
    const { plans } = app();
    const dockerfile = mount(plans, 'TestStack/Py').dockerfile;
    expect(dockerfile).not.toMatch(/^COPY code\//m);
    expect(dockerfile).toMatch(/^COPY deps\/requirements.txt \$\{LAMBDA_TASK_ROOT\}\/$/m);
    expect(dockerfile).toMatch(/^RUN pip install/m);
  });

  test('without asset metadata the assembly does not say where the code is: rebuilt, and the fix is named', () => {
    const { plans } = app(false);
    expect(plans.get('TestStack/Py')).toMatchObject({ mode: 'rebuild', why: expect.stringMatching(/aws:cdk:enable-asset-metadata=true/) });
  });

  test('withoutCodeLayer only removes the final stage\'s code copy', () => {
    const text = '# x\nFROM a AS build\nCOPY code/ /src/\nFROM b\nCOPY --from=build /function /function\nCOPY code/ /function/\nCMD ["x"]\n';
    expect(withoutCodeLayer(text)).toEqual({ codePath: '/function', dockerfile: '# x\nFROM a AS build\nCOPY code/ /src/\nFROM b\nCOPY --from=build /function /function\nCMD ["x"]\n' });
    expect(withoutCodeLayer('FROM a AS build\nCOPY code/ /src/\nFROM b\nCOPY --from=build /function /function\n')).toBeUndefined();
  });
});

describe('decideChange', () => {
  const { root, plans } = app();
  const all = [...plans.values()];
  const decide = (rel: string) => decideChange(all, path.join(root, rel), cdkExcluder());

  test.each([
    ['py/app.py', { action: 'recycle', functions: ['TestStack/Py'] }],
    ['py/lib/util.py', { action: 'recycle', functions: ['TestStack/Py'] }],
    ['py/.app.py.swp', { action: 'nothing' }],
    ['py/__pycache__/app.cpython-313.pyc', { action: 'nothing' }],
    ['py/tests/test_app.py', { action: 'nothing' }], // excluded from the code layer
    ['node/index.js', { action: 'recycle', functions: ['TestStack/Node'] }],
  ])('%s -> %j', (rel, expected) => {
    expect(decide(rel)).toEqual(expected);
  });

  test.each([
    ['py/requirements.txt', /requirements.txt, a dependency file of TestStack\/Py, changed/],
    ['node/package.json', /package.json, a dependency file of TestStack\/Node/],
    ['node/package-lock.json', /package-lock.json, a dependency file/],
    ['go/main.go', /changed$/], // compiled in the build stage: the rebuild path
    ['go/go.sum', /changed$/],
    ['own/app.py', /changed$/], // your own Dockerfile's context
    ['app.ts', /changed$/], // the app itself (layers, props, base images)
  ])('%s rebuilds', (rel, why) => {
    expect(decide(rel)).toEqual({ action: 'rebuild', why: expect.stringMatching(why) });
  });

  test('a requirements file in a subfolder of the code is code, not the manifest', () => {
    expect(decide('py/vendored/requirements.txt')).toEqual({ action: 'recycle', functions: ['TestStack/Py'] });
  });
});

describe('codeMounts', () => {
  test('one read-only mount per entry the code layer has, listed when the container starts', () => {
    const { root, plans } = app();
    const plan = mount(plans, 'TestStack/Py');
    const excluded = cdkExcluder();
    expect(codeMounts(plan, excluded)).toEqual([
      '--volume', `${root}/py/app.py:/var/task/app.py:ro`,
      '--volume', `${root}/py/requirements.txt:/var/task/requirements.txt:ro`,
    ]);
    fs.mkdirSync(path.join(root, 'py', 'lib'));
    fs.mkdirSync(path.join(root, 'py', '__pycache__'));
    expect(codeMounts(plan, excluded)).toEqual([
      '--volume', `${root}/py/app.py:/var/task/app.py:ro`,
      '--volume', `${root}/py/lib:/var/task/lib:ro`,
      '--volume', `${root}/py/requirements.txt:/var/task/requirements.txt:ro`,
    ]);
    fs.writeFileSync(path.join(root, 'py', 'a:b.py'), '');
    expect(() => codeMounts(plan, excluded)).toThrow(/TestStack\/Py: .*a:b.py has a colon in its path/);
  });
});
