import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LABELS, OwnedContainers, ownerLabels, processAlive, reapOrphans, removeArgs, ShuttingDownError } from '../../../src/cli/local/containers';
import { tempTree } from '../../util';

/** A stand-in engine: records every call in `calls`; `ps` and `inspect` answer from `containers` (name pid host). */
function fakeEngine(containers: string[] = []): { command: string; calls: () => string[]; record: (line: string) => void } {
  const dir = tempTree({});
  const record = path.join(dir, 'calls');
  const command = path.join(dir, 'engine');
  fs.writeFileSync(command, [
    '#!/bin/sh',
    `echo "$*" >> '${record}'`,
    'case "$1" in',
    `  ps) ${containers.map((_, i) => `echo id${i}`).join('; ') || 'true'} ;;`,
    `  inspect) ${containers.map(c => `echo '${c}'`).join('; ') || 'true'} ;;`,
    '  create) sleep 0.2 ;;',
    'esac',
  ].join('\n'), { mode: 0o755 });
  return {
    command,
    calls: () => (fs.existsSync(record) ? fs.readFileSync(record, 'utf8').trim().split('\n') : []),
    record: line => fs.appendFileSync(record, `${line}\n`),
  };
}

test('ownerLabels name the tool, the process, the host and the assembly', () => {
  expect(ownerLabels('cdk.out', 42)).toEqual([
    '--label', 'cdk-lambda-container=local',
    '--label', `${LABELS.pid}=42`,
    '--label', `${LABELS.host}=${os.hostname()}`,
    '--label', `${LABELS.assembly}=${path.resolve('cdk.out')}`,
  ]);
});

describe('OwnedContainers', () => {
  test('removeAll waits for a create in flight, then removes it: Ctrl-C during a cold start leaks nothing (D6)', async () => {
    const engine = fakeEngine();
    const owned = new OwnedContainers();
    const creating = owned.create(engine.command, 'c1', async () => {
      await new Promise(r => setTimeout(r, 200));
      engine.record('create c1 (done)'); // the container exists only now
    });
    await new Promise(r => setTimeout(r, 20));
    const removing = owned.removeAll();
    await creating;
    await removing;
    expect(engine.calls()).toEqual(['create c1 (done)', 'rm --force c1']);
    expect(owned.size).toBe(0);
  });

  test('after shutdown began, no container is created; removeAll again is the same removal', async () => {
    const engine = fakeEngine();
    const owned = new OwnedContainers();
    await owned.create(engine.command, 'a', async () => undefined);
    await owned.create(engine.command, 'b', async () => undefined);
    const first = owned.removeAll();
    expect(owned.removeAll()).toBe(first);
    await expect(owned.create(engine.command, 'c', async () => 'never')).rejects.toThrow(ShuttingDownError);
    await first;
    expect(engine.calls().sort()).toEqual(['rm --force a', 'rm --force b']);
  });

  test('a create that fails is still removed (it may have half-happened)', async () => {
    const engine = fakeEngine();
    const owned = new OwnedContainers();
    await expect(owned.create(engine.command, 'x', async () => { throw new Error('no space left on device'); })).rejects.toThrow('no space');
    await owned.removeAll();
    expect(engine.calls()).toEqual(['rm --force x']);
  });
});

describe('reapOrphans', () => {
  test('removes this host\'s containers whose process is gone; live processes\' and other hosts\' stay (kill -9, D6)', async () => {
    const engine = fakeEngine([
      `/dead 999999 ${os.hostname()}`,
      `alive ${process.ppid} ${os.hostname()}`,
      'elsewhere 999999 another-host',
      `mine ${process.pid} ${os.hostname()}`,
    ]);
    const reaped = await reapOrphans(engine.command, pid => pid !== 999999);
    expect(reaped).toEqual(['dead']);
    expect(engine.calls().filter(c => c.startsWith('rm'))).toEqual(['rm --force dead']);
    expect(engine.calls()[0]).toBe(`ps --all --quiet --filter label=${LABELS.pid}`);
  });

  test('processAlive tells a live process from a gone one', () => {
    expect(processAlive(process.pid)).toBe(true);
    expect(processAlive(2 ** 22 + 12345)).toBe(false);
  });
});

test('removal kills at once: podman gets --time 0 (it would wait 10 s for a process that ignores SIGTERM), others rm --force', () => {
  expect(removeArgs('/usr/bin/podman', 'c')).toEqual(['rm', '--force', '--time', '0', 'c']);
  expect(removeArgs('docker', 'c')).toEqual(['rm', '--force', 'c']);
  expect(removeArgs('finch', 'c')).toEqual(['rm', '--force', 'c']);
});
