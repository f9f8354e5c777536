import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { BaseImage, ExtensionImageLayer, LambdaContainerFunction } from '../../src';
import { contextHash, DEFAULT_CODE_EXCLUDES, directoryFingerprint, LAYER_MTIME, stageContext } from '../../src/private/build-context';
import { contextOf, newStack, tempTree, telemetryDir } from '../util';

const spec = (codeDir: string, extra: Partial<Parameters<typeof contextHash>[0]> = {}) => ({
  dockerfile: 'FROM x\nCOPY code/ /var/task/\n',
  codeDir,
  codeExclude: DEFAULT_CODE_EXCLUDES,
  dependencyFiles: [],
  extraHash: 'linux/amd64',
  ...extra,
});

describe('contextHash', () => {
  test('depends on content, not on where the code directory is', () => {
    const a = tempTree({ 'app.py': 'print(1)' });
    const b = tempTree({ 'app.py': 'print(1)' });
    expect(contextHash(spec(a))).toBe(contextHash(spec(b)));
  });

  test('changes with the code, the Dockerfile, the platform and the dependency files', () => {
    const a = tempTree({ 'app.py': 'print(1)', 'requirements.txt': 'x==1' });
    const b = tempTree({ 'app.py': 'print(2)' });
    const base = contextHash(spec(a));
    expect(contextHash(spec(b))).not.toBe(base);
    expect(contextHash(spec(a, { dockerfile: 'FROM y\n' }))).not.toBe(base);
    expect(contextHash(spec(a, { extraHash: 'linux/arm64' }))).not.toBe(base);
    expect(contextHash(spec(a, { dependencyFiles: [path.join(a, 'requirements.txt')] }))).not.toBe(base);
  });

  test('ignores excluded files', () => {
    const a = tempTree({ 'app.py': 'print(1)' });
    const b = tempTree({ 'app.py': 'print(1)', '__pycache__/app.cpython-313.pyc': 'junk', 'node_modules/x/index.js': 'y' });
    expect(directoryFingerprint(a, DEFAULT_CODE_EXCLUDES)).toBe(directoryFingerprint(b, DEFAULT_CODE_EXCLUDES));
  });
});

describe('stageContext', () => {
  test('writes Dockerfile, deps/ and code/ once, then reuses the staged directory', () => {
    const code = tempTree({ 'app.py': 'print(1)', 'sub/data.txt': 'd' });
    const deps = tempTree({ 'requirements.txt': 'x==1' });
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'clc-out-'));
    const s = spec(code, { dependencyFiles: [path.join(deps, 'requirements.txt')] });
    const hash = contextHash(s);
    const name = stageContext(outdir, hash, s);
    expect(name).toBe(`asset.${hash}`);
    const root = path.join(outdir, name);
    expect(fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8')).toBe(s.dockerfile);
    expect(fs.readFileSync(path.join(root, 'deps', 'requirements.txt'), 'utf8')).toBe('x==1');
    expect(fs.readFileSync(path.join(root, 'code', 'sub', 'data.txt'), 'utf8')).toBe('d');
    const mtime = fs.statSync(path.join(root, 'Dockerfile')).mtimeMs;
    expect(stageContext(outdir, hash, s)).toBe(name);
    expect(fs.statSync(path.join(root, 'Dockerfile')).mtimeMs).toBe(mtime);
    expect(fs.readdirSync(outdir)).toEqual([name]);
  });
});

describe('ExtensionImageLayer in a generated image', () => {
  test('staged layer files keep their modes and get a fixed timestamp; the wrapper script is executable', () => {
    const { app, stack } = newStack({ 'aws:cdk:enable-asset-metadata': true });
    const wrapper = tempTree({ 'wrapper.sh': '#!/bin/sh\nexec "$@"\n' });
    new LambdaContainerFunction(stack, 'Fn', {
      baseImage: BaseImage.python('3.13'),
      entry: tempTree({ 'app.py': '' }),
      cmd: ['app.handler'],
      imageLayers: [ExtensionImageLayer.fromDirectory(telemetryDir()), ExtensionImageLayer.wrapperScript(path.join(wrapper, 'wrapper.sh'))],
    });
    const layers = path.join(contextOf(app, Template.fromStack(stack)), 'layers');
    const [first, second] = fs.readdirSync(layers).sort();
    // Staged at their full image path, so the COPY to / brings /opt and every folder with a fixed time.
    const ext = fs.statSync(path.join(layers, first, 'opt', 'extensions', 'telemetry'));
    expect(ext.mode % 0o1000).toBe(0o755);
    expect(ext.mtime).toEqual(LAYER_MTIME);
    for (const dir of ['', 'opt', 'opt/telemetry', 'opt/extensions']) {
      expect(fs.statSync(path.join(layers, first, dir)).mtime).toEqual(LAYER_MTIME);
    }
    expect(fs.statSync(path.join(layers, first, 'opt', 'telemetry', 'lib.py')).mode % 0o1000).toBe(0o644);
    expect(fs.statSync(path.join(layers, second, 'opt', 'wrapper.sh')).mode % 0o1000).toBe(0o755);
  });

  test('one layer used by functions with different code: the same layer folder and bytes in each context', () => {
    const { app, stack } = newStack({ 'aws:cdk:enable-asset-metadata': true });
    const layer = ExtensionImageLayer.fromDirectory(telemetryDir());
    for (const name of ['A', 'B']) {
      new LambdaContainerFunction(stack, name, { baseImage: BaseImage.python('3.13'), entry: tempTree({ 'app.py': `# ${name}\n` }), cmd: ['app.handler'], imageLayers: [layer] });
    }
    const fns = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')) as any[];
    const contexts = fns.map(f => path.join(app.outdir, f.Metadata['aws:asset:path']));
    expect(new Set(contexts).size).toBe(2);
    const listing = (ctx: string) => fs.readdirSync(path.join(ctx, 'layers'), { recursive: true }).map(String).sort()
      .map(rel => { const p = path.join(ctx, 'layers', rel); const s = fs.statSync(p); return [rel, s.mode, s.mtimeMs, s.isFile() ? fs.readFileSync(p, 'hex') : '']; });
    expect(listing(contexts[0])).toEqual(listing(contexts[1]));
  });
});
