import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { contextHash, DEFAULT_CODE_EXCLUDES, directoryFingerprint, stageContext } from '../../src/private/build-context';
import { tempTree } from '../util';

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
