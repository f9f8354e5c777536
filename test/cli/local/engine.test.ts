import * as fs from 'fs';
import * as path from 'path';
import { engineRun, engineSpawn, findEngine } from '../../../src/cli/local/engine';
import { tempTree } from '../../util';

/** A directory of stand-in engines: each a script that exits with the given status. */
function engines(statuses: Record<string, number>): string {
  const dir = tempTree(Object.fromEntries(Object.entries(statuses).map(([name, status]) => [name, `#!/bin/sh\nexit ${status}\n`])));
  for (const name of Object.keys(statuses)) fs.chmodSync(path.join(dir, name), 0o755);
  return dir;
}

describe('findEngine', () => {
  test('honours CDK_DOCKER first', () => {
    expect(findEngine({ CDK_DOCKER: 'finch' })).toBe('finch');
  });

  test('says how to get an engine when none answers', () => {
    expect(() => findEngine({ PATH: '/nonexistent' })).toThrow(/no container engine found: tried docker, finch and podman.*set CDK_DOCKER/);
  });

  test('takes the first of docker, finch and podman that answers `version`', () => {
    expect(findEngine({ PATH: engines({ docker: 1, finch: 0, podman: 0 }) })).toBe('finch');
    expect(findEngine({ PATH: engines({ podman: 0 }) })).toBe('podman');
    expect(() => findEngine({ PATH: engines({ docker: 1 }) })).toThrow(/no container engine found/);
  });
});

describe('engineRun', () => {
  test('returns what the engine printed', async () => {
    expect(await engineRun('sh', ['-c', 'echo built'])).toBe('built\n');
  });

  test('rejects with the engine, its subcommand, its exit status and its stderr — never the rest of the command line (D7)', async () => {
    const failing = engines({ podman: 125 });
    fs.writeFileSync(path.join(failing, 'podman'), '#!/bin/sh\necho "Error: no space left on device" >&2\nexit 125\n');
    const create = engineRun(path.join(failing, 'podman'), ['create', '--name', 'x', '--env', 'AWS_SECRET_ACCESS_KEY=qaSecretDoNotLeak', 'image']);
    await expect(create).rejects.toThrow(/podman create failed \(exit 125\): Error: no space left on device$/);
    await expect(create).rejects.not.toThrow(/qaSecretDoNotLeak|--env/);
    await expect(engineRun(path.join(failing, 'podman'), ['image', 'inspect', '--format', '{{.Id}}', 'x'])).rejects.toThrow(/podman image inspect failed/);
    await expect(engineRun('/nonexistent/engine', ['build', '.'])).rejects.toThrow(/^\/nonexistent\/engine build: .*ENOENT/);
  });

  test('is asynchronous: other work goes on while the engine runs (D9)', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    await engineSpawn('sh', ['-c', 'sleep 0.3']);
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(10);
  });
});
