import * as fs from 'fs';
import * as path from 'path';
import { MountPlan } from '../../../src/cli/local/reload-plan';
import { AppWatcher, WatchOptions } from '../../../src/cli/local/watch';
import { tempTree } from '../../util';

const waitFor = async (check: () => boolean, ms = 5000) => {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise(r => setTimeout(r, 50));
  return check();
};

const watchAndSynth = (options: WatchOptions) => {
  const watcher = new AppWatcher(options);
  return () => watcher.close();
};

describe('--watch', () => {
  test('a changed source file runs the synth once for a burst of changes; cdk.out and node_modules do not', async () => {
    const dir = tempTree({ 'src/app.py': 'v1', 'cdk.out/x.json': '{}', 'node_modules/m/i.js': '' });
    const marker = path.join(tempTree({}), 'synths.txt');
    const lines: string[] = [];
    const stop = watchAndSynth({ directory: dir, synthCommand: `echo synth >> ${JSON.stringify(marker)}`, debounceMs: 100, log: l => lines.push(l) });
    try {
      await new Promise(r => setTimeout(r, 100));
      fs.writeFileSync(path.join(dir, 'cdk.out', 'x.json'), '{"a":1}');
      fs.writeFileSync(path.join(dir, 'node_modules', 'm', 'i.js'), 'x');
      await new Promise(r => setTimeout(r, 400));
      expect(fs.existsSync(marker)).toBe(false);
      for (const v of ['v2', 'v3', 'v4']) fs.writeFileSync(path.join(dir, 'src', 'app.py'), v);
      expect(await waitFor(() => lines.some(l => /synthesized in/.test(l)))).toBe(true);
      expect(fs.readFileSync(marker, 'utf8')).toBe('synth\n');
    } finally {
      stop();
    }
  });

  test('a failed synth says so and keeps the last assembly', async () => {
    const dir = tempTree({ 'app.ts': '' });
    const lines: string[] = [];
    const stop = watchAndSynth({ directory: dir, synthCommand: 'echo boom >&2; exit 3', debounceMs: 50, log: l => lines.push(l) });
    try {
      await new Promise(r => setTimeout(r, 100));
      fs.writeFileSync(path.join(dir, 'app.ts'), 'changed');
      expect(await waitFor(() => lines.some(l => /the synth failed \(exit 3\), the endpoints keep the last assembly:\nboom/.test(l)))).toBe(true);
    } finally {
      stop();
    }
  });
});

describe('--reload', () => {
  /** An app directory with a code directory inside and one outside, and a watcher whose synth appends to a file. */
  function setup() {
    const app = tempTree({ 'app.ts': '', 'fn/app.py': 'v1', 'fn/requirements.txt': '', 'fn/tests/t.py': '', 'layer/x.sh': '' });
    const outside = tempTree({ 'index.js': 'v1' });
    const plan = (fn: string, codeDir: string, exclude: string[] = []): MountPlan => ({
      mode: 'mount', fn, codeDir, codePath: '/var/task', exclude, dockerfile: '', language: 'python',
    });
    const plans = [plan('S/Py', path.join(app, 'fn'), ['tests']), plan('S/Node', outside)];
    const recycled: string[][] = [];
    const lines: string[] = [];
    const synths = path.join(tempTree({}), 'synths.txt');
    const watcher = new AppWatcher({
      directory: app,
      synthCommand: `sleep 0.3; echo synth >> ${JSON.stringify(synths)}`,
      debounceMs: 50,
      log: l => lines.push(l),
      reload: { plans: () => plans, recycle: fns => recycled.push([...fns]), excluded: (p, file) => path.relative(p.codeDir, file).startsWith('tests') },
    });
    const synthCount = () => (fs.existsSync(synths) ? fs.readFileSync(synths, 'utf8').split('\n').filter(Boolean).length : 0);
    return { app, outside, watcher, recycled, lines, synthCount };
  }
  const settle = () => new Promise(r => setTimeout(r, 250));

  test('a code edit recycles its function, with no synth; an excluded file does nothing', async () => {
    const { app, outside, watcher, recycled, synthCount } = setup();
    try {
      await settle();
      fs.writeFileSync(path.join(app, 'fn', 'app.py'), 'v2');
      expect(await waitFor(() => recycled.length > 0)).toBe(true);
      expect(recycled.every(r => r.join() === 'S/Py')).toBe(true);
      // A code directory outside the app's directory is watched too.
      fs.writeFileSync(path.join(outside, 'index.js'), 'v2');
      expect(await waitFor(() => recycled.some(r => r.join() === 'S/Node'))).toBe(true);
      // A folder created after the start is watched.
      fs.mkdirSync(path.join(app, 'fn', 'lib'));
      await settle();
      const before = recycled.length;
      fs.writeFileSync(path.join(app, 'fn', 'lib', 'util.py'), 'x');
      expect(await waitFor(() => recycled.length > before)).toBe(true);
      const after = recycled.length;
      fs.writeFileSync(path.join(app, 'fn', 'tests', 't.py'), 'changed');
      await settle();
      expect(recycled.length).toBe(after);
      expect(synthCount()).toBe(0);
    } finally {
      watcher.close();
    }
  });

  test('a dependency file or the app synthesizes; requests wait for it (settled)', async () => {
    const { app, watcher, recycled, lines, synthCount } = setup();
    try {
      await settle();
      expect(await Promise.race([watcher.settled().then(() => 'settled'), settle().then(() => 'waiting')])).toBe('settled');
      fs.writeFileSync(path.join(app, 'fn', 'requirements.txt'), 'humanize\n');
      expect(await waitFor(() => lines.some(l => /requirements.txt, a dependency file of S\/Py, changed/.test(l)))).toBe(true);
      const started = Date.now();
      await watcher.settled(); // the debounce, then the synth's 0.3 s
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      expect(synthCount()).toBe(1);
      expect(recycled).toEqual([]);
      fs.writeFileSync(path.join(app, 'layer', 'x.sh'), 'changed');
      expect(await waitFor(() => synthCount() === 2)).toBe(true);
    } finally {
      watcher.close();
    }
  });
});
