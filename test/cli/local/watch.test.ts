import * as fs from 'fs';
import * as path from 'path';
import { watchAndSynth } from '../../../src/cli/local/watch';
import { tempTree } from '../../util';

const waitFor = async (check: () => boolean, ms = 5000) => {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise(r => setTimeout(r, 50));
  return check();
};

describe('watchAndSynth', () => {
  test('a changed source file runs the synth once for a burst of changes; cdk.out and node_modules do not', async () => {
    const dir = tempTree({ 'src/app.py': 'v1', 'cdk.out/x.json': '{}', 'node_modules/m/i.js': '' });
    const marker = path.join(dir, 'synths.txt');
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
