import { InvokeCommand, LambdaClient, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { ImageFunction } from '../../../src/cli/local/assembly';
import { InvokeOptions, RunningFunction } from '../../../src/cli/local/container';
import { functionNameOf, LocalLambdaServer } from '../../../src/cli/local/lambda-server';
import { synthesizedApp } from '../../util';

/** A fake container: answers {fn, event, n} after `delayMs`, or what `answer` says; records what happened. */
class Fakes {
  public readonly started: Array<{ fn: string; build?: boolean; environment?: Record<string, string> }> = [];
  public stopped = 0;
  public running = 0;
  public maxRunning = 0;
  constructor(private readonly answer: (event: string) => string = event => event, private readonly delayMs = 0) {}

  public starter = async (fn: ImageFunction, options: InvokeOptions): Promise<RunningFunction> => {
    this.started.push({ fn: fn.path, build: options.build, environment: options.environment });
    let n = 0;
    return {
      createMs: 1,
      startedAt: 0,
      invoke: async event => {
        this.running++;
        this.maxRunning = Math.max(this.maxRunning, this.running);
        await new Promise(r => setTimeout(r, this.delayMs));
        this.running--;
        n++;
        const lines = [{ text: `START ${n}`, stream: 'stdout' as const }, { text: `REPORT RequestId: ${n}`, stream: 'stdout' as const }];
        const body = this.answer(event.toString());
        return { statusCode: 200, body, roundTripMs: 1, receivedAt: 1, lines: async () => lines };
      },
      stop: async () => { this.stopped++; },
    };
  };
}

let assembly: string;
beforeAll(() => { assembly = synthesizedApp(); });

async function withServer<T>(fakes: Fakes, body: (url: string, server: LocalLambdaServer) => Promise<T>, options = {}): Promise<T> {
  const server = new LocalLambdaServer(assembly, { port: 0, starter: fakes.starter, ...options });
  const url = await server.start();
  try {
    return await body(url, server);
  } finally {
    await server.stop();
  }
}

const post = (url: string, name: string, body: string | Buffer, headers: Record<string, string> = {}) =>
  fetch(`${url}/2015-03-31/functions/${encodeURIComponent(name)}/invocations`, { method: 'POST', body, headers });

describe('functionNameOf', () => {
  test('takes the name out of an ARN (with or without a qualifier) and decodes a path', () => {
    expect(functionNameOf('arn:aws:lambda:us-east-1:123456789012:function:A:$LATEST')).toEqual({ name: 'A', qualifier: '$LATEST' });
    expect(functionNameOf('arn:aws:lambda:us-east-1:123456789012:function:A')).toEqual({ name: 'A' });
    expect(functionNameOf('TestStack%2FA')).toEqual({ name: 'TestStack/A' });
  });
});

describe('LocalLambdaServer', () => {
  test('answers an invocation with the function\'s payload and Lambda\'s headers, by path, its last part, logical ID or ARN', async () => {
    const fakes = new Fakes(event => JSON.stringify({ got: JSON.parse(event) }));
    await withServer(fakes, async url => {
      for (const name of ['A', 'TestStack/A', 'arn:aws:lambda:us-east-1:123456789012:function:A']) {
        const res = await post(url, name, '{"x":1}');
        expect(res.status).toBe(200);
        expect(res.headers.get('x-amz-executed-version')).toBe('$LATEST');
        expect(res.headers.get('x-amz-function-error')).toBeNull();
        expect(await res.json()).toEqual({ got: { x: 1 } });
      }
      // One container served all three (warm), built once.
      expect(fakes.started).toEqual([{ fn: 'TestStack/A', build: true, environment: {} }]);
    });
  });

  test('the AWS SDK reads its errors: an unknown function is ResourceNotFoundException', async () => {
    await withServer(new Fakes(), async url => {
      const client = new LambdaClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
      const answer = await client.send(new InvokeCommand({ FunctionName: 'B', Payload: Buffer.from('{"y":2}') }));
      expect(answer.StatusCode).toBe(200);
      expect(JSON.parse(Buffer.from(answer.Payload!).toString())).toEqual({ y: 2 });
      await expect(client.send(new InvokeCommand({ FunctionName: 'Nope', Payload: Buffer.from('{}') }))).rejects.toBeInstanceOf(ResourceNotFoundException);
      await expect(client.send(new InvokeCommand({ FunctionName: 'Nope', Payload: Buffer.from('{}') }))).rejects.toThrow(/Function not found: Nope/);
    });
  });

  test.each([
    ['a payload that is not JSON', 'hello', {}, 400, 'InvalidRequestContentException', /Could not parse request body into json/],
    ['a payload over 6 MB', Buffer.alloc(6 * 1024 * 1024 + 1, 'a'), {}, 413, 'RequestEntityTooLargeException', /smaller than 6291456 bytes/],
    ['an event over 1 MB', `"${'a'.repeat(1024 * 1024)}"`, { 'X-Amz-Invocation-Type': 'Event' }, 413, 'RequestEntityTooLargeException', /smaller than 1048576 bytes/],
    ['an unknown invocation type', '{}', { 'X-Amz-Invocation-Type': 'Later' }, 400, 'InvalidParameterValueException', /RequestResponse, Event or DryRun/],
  ])('%s is refused as Lambda refuses it, before a container starts', async (_, body, headers, status, type, message) => {
    const fakes = new Fakes();
    await withServer(fakes, async url => {
      const res = await post(url, 'A', body, headers as Record<string, string>);
      expect(res.status).toBe(status);
      expect(res.headers.get('x-amzn-errortype')).toBe(type);
      expect((await res.json()).message).toMatch(message);
      expect(fakes.started).toEqual([]);
    });
  });

  test('a handler\'s error object gets X-Amz-Function-Error: Unhandled', async () => {
    await withServer(new Fakes(() => '{"errorMessage":"boom","errorType":"ValueError"}'), async url => {
      const res = await post(url, 'A', '{}');
      expect(res.status).toBe(200);
      expect(res.headers.get('x-amz-function-error')).toBe('Unhandled');
    });
  });

  test('a runtime that dies gets Runtime.ExitError, and its container is replaced', async () => {
    const fakes = new Fakes(() => '');
    await withServer(fakes, async url => {
      for (let i = 0; i < 2; i++) {
        const res = await post(url, 'A', '{}');
        expect(res.headers.get('x-amz-function-error')).toBe('Unhandled');
        expect((await res.json()).errorType).toBe('Runtime.ExitError');
      }
      expect(fakes.started.map(s => s.build)).toEqual([true, false]);
      expect(fakes.stopped).toBe(2);
    });
  });

  test('Event answers 202 at once and runs the invocation after; DryRun answers 204 and runs nothing', async () => {
    const seen: string[] = [];
    const fakes = new Fakes(event => { seen.push(event); return 'null'; }, 50);
    await withServer(fakes, async url => {
      const res = await post(url, 'A', '{"async":true}', { 'X-Amz-Invocation-Type': 'Event' });
      expect(res.status).toBe(202);
      expect(seen).toEqual([]);
      await new Promise(r => setTimeout(r, 300));
      expect(seen).toEqual(['{"async":true}']);
      expect((await post(url, 'A', '{}', { 'X-Amz-Invocation-Type': 'DryRun' })).status).toBe(204);
      expect(seen).toHaveLength(1);
    });
  });

  test('concurrent requests get more containers, up to the limit; the rest wait for a warm one', async () => {
    const fakes = new Fakes(event => event, 100);
    await withServer(fakes, async (url, server) => {
      const answers = await Promise.all(Array.from({ length: 5 }, (_, i) => post(url, 'A', `{"i":${i}}`).then(r => r.json())));
      expect(answers).toEqual(Array.from({ length: 5 }, (_, i) => ({ i })));
      expect(server.containers()).toEqual({ 'TestStack/A': 2 });
      expect(fakes.maxRunning).toBe(2);
    }, { maxContainersPerFunction: 2 });
  });

  test('LogType Tail returns the invocation\'s log, base64-encoded', async () => {
    await withServer(new Fakes(), async url => {
      await post(url, 'A', '{}');
      const res = await post(url, 'A', '{}', { 'X-Amz-Log-Type': 'Tail' });
      expect(Buffer.from(res.headers.get('x-amz-log-result')!, 'base64').toString()).toBe('START 2\nREPORT RequestId: 2\n');
    });
  });

  test('environment values per function reach its containers', async () => {
    const fakes = new Fakes();
    await withServer(fakes, async url => {
      await post(url, 'B', '{}');
      expect(fakes.started[0].environment).toEqual({ FOR: 'TestStack/B' });
    }, { environmentFor: (fn: ImageFunction) => ({ FOR: fn.path }) });
  });

  test('anything but an invocation is UnknownOperationException', async () => {
    await withServer(new Fakes(), async url => {
      const res = await fetch(`${url}/2015-03-31/functions`);
      expect(res.status).toBe(404);
      expect(res.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    });
  });
});

