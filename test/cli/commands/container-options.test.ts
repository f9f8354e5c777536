import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { invokeOptions, prepareEngine } from '../../../src/cli/commands/container-options';
import { tempTree } from '../../util';

const base = { app: 'cdk.out', network: 'publish' as const, build: true, credentials: true };

test('--no-credentials passes none; by default the SDK\'s chain', () => {
  expect(invokeOptions(base, 'podman', () => undefined).credentials).toBe('chain');
  expect(invokeOptions({ ...base, credentials: false }, 'podman', () => undefined).credentials).toBe('none');
});

test('prepareEngine removes the containers of dead earlier runs and says so (kill -9, D6)', async () => {
  const dir = tempTree({});
  const engine = path.join(dir, 'podman');
  fs.writeFileSync(engine, `#!/bin/sh\necho "$*" >> '${dir}/calls'\ncase "$1" in ps) echo id1 ;; inspect) echo "/left 999999 ${os.hostname()}" ;; esac\n`, { mode: 0o755 });
  const saved = process.env.CDK_DOCKER;
  process.env.CDK_DOCKER = engine;
  const lines: string[] = [];
  try {
    expect(await prepareEngine(l => lines.push(l))).toBe(engine);
  } finally {
    if (saved === undefined) delete process.env.CDK_DOCKER; else process.env.CDK_DOCKER = saved;
  }
  expect(lines).toEqual(['cdk-lambda-container: removed 1 container(s) left by an earlier run whose process is gone: left']);
  expect(fs.readFileSync(path.join(dir, 'calls'), 'utf8')).toMatch(/^rm --force --time 0 left$/m);
});
