import * as fs from 'fs';
import * as path from 'path';
import { engineRun, findEngine } from '../../../src/cli/local/engine';
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
  test('returns what the engine printed', () => {
    expect(engineRun('sh', ['-c', 'echo built'])).toBe('built\n');
  });

  test('throws with the command, its exit status and its stderr when it fails, or when it cannot start', () => {
    expect(() => engineRun('sh', ['-c', 'echo no space left on device >&2; exit 3'])).toThrow('sh -c echo no space left on device >&2; exit 3 failed (exit 3): no space left on device');
    expect(() => engineRun('/nonexistent/engine', ['build', '.'])).toThrow(/^\/nonexistent\/engine build: .*ENOENT/);
  });
});
