import { spawn } from 'child_process';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

/** Runs the CLI's `main` in a child process whose stdout reader goes away at once, as `| head` or a closed pipe does. */
function runWithClosedStdout(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const script = `require('./src/cli/output').guardOutput(); require('./src/cli/main').main(${JSON.stringify(args)}).then(c => { process.exitCode = c; })`;
  return new Promise(resolve => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // the reader is gone before the first write
    let stderr = '';
    child.stderr.on('data', c => { stderr += c; });
    child.on('close', code => resolve({ code, stderr }));
  });
}

test('a closed stdout ends a command quietly, not with an unhandled EPIPE (D3)', async () => {
  for (const args of [['--help'], ['generate-event', 'apigateway-http']]) {
    const { code, stderr } = await runWithClosedStdout(args);
    expect(stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(code).toBe(0);
  }
}, 60_000);
