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

  test('a container that refuses the connection (removed while idle): the request goes to a new container, once; a reset is not sent again', async () => {
    const failure = (code: string) => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(code), { code }) });
    const run = async (code: string, refusals: number) => {
      let started = 0;
      const sent: number[] = [];
      const log: string[] = [];
      const starter = async (): Promise<RunningFunction> => {
        const id = ++started;
        return {
          createMs: 0,
          startedAt: 0,
          invoke: async event => {
            sent.push(id);
            if (id <= refusals) throw failure(code);
            return { statusCode: 200, body: event.toString(), roundTripMs: 0, receivedAt: 0, lines: async () => [] };
          },
          stop: async () => undefined,
        };
      };
      const pools = new FunctionPools(assembly, { starter: starter as never, maxContainersPerFunction: 1, log: l => log.push(l) });
      const answer = await pools.invoke(findFunction(assembly, 'A'), Buffer.from('x'), 'RequestResponse').then(a => a.payload, (e: Error) => `failed: ${e.message}`);
      await pools.stopAll();
      return { answer, sent, log };
    };
    expect(await run('ECONNREFUSED', 1)).toEqual({
      answer: 'x',
      sent: [1, 2],
      log: ['TestStack/A: starting a container (building its image first)', 'TestStack/A: its container refused the connection (it is gone): the request goes to a new one', 'TestStack/A: starting a container'],
    });
    // Once only: a second refusal is the answer.
    expect((await run('ECONNREFUSED', 2)).answer).toBe('failed: fetch failed');
    // The request may have reached the function: not sent again.
    expect(await run('ECONNRESET', 1)).toMatchObject({ answer: 'failed: fetch failed', sent: [1] });
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

describe('--reload: recycle', () => {
  test('a code change: the idle container goes, a busy one is not reused after its invocation, no build runs', async () => {
    const started: Array<{ build?: boolean }> = [];
    const stopped: number[] = [];
    const starter = fakeStarter(started, e => e, 50);
    let count = 0;
    const pools = new FunctionPools(assembly, {
      starter: async (fn, o) => {
        const c = await starter(fn, o);
        const id = ++count;
        return { ...c, stop: async () => { stopped.push(id); } };
      },
    });
    const fn = findFunction(assembly, 'A');
    await pools.invoke(fn, Buffer.from('1'), 'RequestResponse');
    const busy = pools.invoke(fn, Buffer.from('2'), 'RequestResponse'); // container 1, busy
    await new Promise(r => setTimeout(r, 10));
    pools.recycle(['TestStack/A']);
    expect(stopped).toEqual([]); // busy: kept until its invocation ends
    expect((await busy).payload).toBe('2');
    expect(stopped).toEqual([1]);
    expect((await pools.invoke(fn, Buffer.from('3'), 'RequestResponse')).payload).toBe('3');
    expect(started).toEqual([{ build: true }, { build: false }]);
    await pools.invoke(fn, Buffer.from('4'), 'RequestResponse'); // warm again: container 2
    expect(started).toHaveLength(2);
    pools.recycle(['TestStack/A']);
    expect(stopped).toEqual([1, 2]); // idle: removed at once
    pools.recycle(['TestStack/Other']); // no pool: nothing
  });

  test('a debugged function runs one container at a time', async () => {
    const started: Array<{ build?: boolean; debug?: unknown }> = [];
    const starter = fakeStarter(started);
    const pools = new FunctionPools(assembly, {
      starter: async (f, o) => { started.push({ debug: o.debug }); return starter(f, o); },
      debugTargets: new Map([['TestStack/A', { fn: 'TestStack/A', language: 'python' as const, hostPort: 5678 }]]),
    });
    const fn = findFunction(assembly, 'A');
    await Promise.all([1, 2, 3].map(i => pools.invoke(fn, Buffer.from(`${i}`), 'RequestResponse')));
    expect(pools.containers()).toEqual({ 'TestStack/A': 1 });
    expect(started[0]).toEqual({ debug: { fn: 'TestStack/A', language: 'python', hostPort: 5678 } });
  });
});
