import { findFunction } from '../../../src/cli/local/assembly';
import { RunningFunction } from '../../../src/cli/local/container';
import { FunctionPools } from '../../../src/cli/local/function-pool';
import { synthesizedApp } from '../../util';

let assembly: string;
beforeAll(() => { assembly = synthesizedApp(); });

/** Containers that answer the event back after a while (or '' when told to die). */
function fakeStarter(record: Array<{ build?: boolean }>, answer = (e: string) => e, delayMs = 20) {
  return async (_fn: unknown, options: { build?: boolean }): Promise<RunningFunction> => {
    record.push({ build: options.build });
    let n = 0;
    return {
      createMs: 0,
      startedAt: 0,
      invoke: async event => {
        await new Promise(r => setTimeout(r, delayMs));
        n++;
        const lines = [{ text: `REPORT RequestId: ${n}`, stream: 'stdout' as const }];
        return { statusCode: 200, body: answer(event.toString()), roundTripMs: 0, receivedAt: 0, lines: async () => lines };
      },
      stop: async () => undefined,
    };
  };
}

describe('FunctionPools', () => {
  test('builds a function\'s image with its first container only, and reuses warm containers', async () => {
    const started: Array<{ build?: boolean }> = [];
    const pools = new FunctionPools(assembly, { starter: fakeStarter(started) });
    const fn = findFunction(assembly, 'A');
    for (let i = 0; i < 3; i++) expect((await pools.invoke(fn, Buffer.from(`{"i":${i}}`), 'RequestResponse')).payload).toBe(`{"i":${i}}`);
    expect(started).toEqual([{ build: true }]);
    await Promise.all([1, 2, 3].map(i => pools.invoke(fn, Buffer.from(`${i}`), 'RequestResponse')));
    expect(started).toEqual([{ build: true }, { build: false }, { build: false }]);
    expect(pools.containers()).toEqual({ 'TestStack/A': 3 });
  });

  test('never more containers than the limit: the others wait', async () => {
    const started: Array<{ build?: boolean }> = [];
    const pools = new FunctionPools(assembly, { starter: fakeStarter(started), maxContainersPerFunction: 1 });
    const fn = findFunction(assembly, 'A');
    const answers = await Promise.all([1, 2, 3, 4].map(i => pools.invoke(fn, Buffer.from(`${i}`), 'RequestResponse')));
    expect(answers.map(a => a.payload)).toEqual(['1', '2', '3', '4']);
    expect(started).toHaveLength(1);
  });

  test('--no-build: no container builds', async () => {
    const started: Array<{ build?: boolean }> = [];
    const pools = new FunctionPools(assembly, { starter: fakeStarter(started), build: false });
    await pools.invoke(findFunction(assembly, 'A'), Buffer.from('{}'), 'RequestResponse');
    expect(started).toEqual([{ build: false }]);
  });

  test('a dead runtime answers Runtime.ExitError and its container is replaced', async () => {
    const started: Array<{ build?: boolean }> = [];
    const pools = new FunctionPools(assembly, { starter: fakeStarter(started, () => '') });
    const fn = findFunction(assembly, 'A');
    const answer = await pools.invoke(fn, Buffer.from('{}'), 'RequestResponse');
    expect(answer.functionError).toBe('Unhandled');
    expect(JSON.parse(answer.payload).errorType).toBe('Runtime.ExitError');
    expect(pools.containers()).toEqual({ 'TestStack/A': 0 });
  });
});

test('a new synth that changed the image swaps the containers: the old ones stop, the next one builds', async () => {
  const started: Array<{ build?: boolean }> = [];
  const stopped: string[] = [];
  const starter = async (fn: { asset?: { hash: string } }, options: { build?: boolean }): Promise<RunningFunction> => {
    started.push({ build: options.build });
    return {
      createMs: 0,
      startedAt: 0,
      stop: async () => { stopped.push(fn.asset!.hash); },
      invoke: async () => ({ statusCode: 200, body: fn.asset!.hash, roundTripMs: 0, receivedAt: 0, lines: async () => [] }),
    };
  };
  const pools = new FunctionPools(assembly, { starter: starter as never });
  const fn = findFunction(assembly, 'A');
  const changed = { ...fn, asset: { ...fn.asset!, hash: 'f'.repeat(64) } };
  expect((await pools.invoke(fn, Buffer.from('{}'), 'RequestResponse')).payload).toBe(fn.asset!.hash);
  expect((await pools.invoke(fn, Buffer.from('{}'), 'RequestResponse')).payload).toBe(fn.asset!.hash);
  expect((await pools.invoke(changed, Buffer.from('{}'), 'RequestResponse')).payload).toBe('f'.repeat(64));
  expect(started).toEqual([{ build: true }, { build: true }]);
  expect(stopped).toEqual([fn.asset!.hash]);
});

describe('no request waits forever when a container fails (D2)', () => {
  test('a container that dies mid-invocation: the queued requests get a new container', async () => {
    let started = 0;
    const starter = async (): Promise<RunningFunction> => {
      const id = ++started;
      return {
        createMs: 0,
        startedAt: 0,
        invoke: async event => {
          await new Promise(r => setTimeout(r, 30));
          if (id === 1) throw new Error('fetch failed'); // the container was removed under it
          return { statusCode: 200, body: event.toString(), roundTripMs: 0, receivedAt: 0, lines: async () => [] };
        },
        stop: async () => undefined,
      };
    };
    const pools = new FunctionPools(assembly, { starter: starter as never, maxContainersPerFunction: 1 });
    const fn = findFunction(assembly, 'A');
    const results = await Promise.allSettled([1, 2, 3].map(i => pools.invoke(fn, Buffer.from(`${i}`), 'RequestResponse')));
    expect(results.map(r => (r.status === 'fulfilled' ? r.value.payload : 'failed'))).toEqual(['failed', '2', '3']);
    expect(started).toBe(2);
  });

  test('a container that never starts: every queued request is answered with the error, none hangs', async () => {
    let attempts = 0;
    const starter = async (): Promise<RunningFunction> => {
      attempts++;
      await new Promise(r => setTimeout(r, 10));
      throw new Error('the container exited before the emulator listened');
    };
    const pools = new FunctionPools(assembly, { starter: starter as never, maxContainersPerFunction: 1 });
    const fn = findFunction(assembly, 'A');
    const results = await Promise.allSettled([1, 2, 3].map(i => pools.invoke(fn, Buffer.from(`${i}`), 'RequestResponse')));
    expect(results.map(r => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(attempts).toBe(3);
  });

  test('stopAll refuses the waiting requests and removes the containers, also one still starting', async () => {
    const stopped: number[] = [];
    let n = 0;
    const starter = async (): Promise<RunningFunction> => {
      const id = ++n;
      await new Promise(r => setTimeout(r, 50));
      return {
        createMs: 0,
        startedAt: 0,
        invoke: async () => { await new Promise(r => setTimeout(r, 1000)); return { statusCode: 200, body: '{}', roundTripMs: 0, receivedAt: 0, lines: async () => [] }; },
        stop: async () => { stopped.push(id); },
      };
    };
    const pools = new FunctionPools(assembly, { starter: starter as never, maxContainersPerFunction: 1 });
    const fn = findFunction(assembly, 'A');
    const calls = [1, 2].map(i => pools.invoke(fn, Buffer.from(`${i}`), 'RequestResponse'));
    await new Promise(r => setTimeout(r, 10)); // the first container is still starting
    await pools.stopAll();
    const results = await Promise.allSettled(calls);
    expect(results.map(r => r.status)).toEqual(['rejected', 'rejected']);
    expect(stopped).toEqual([1]);
  });
});
