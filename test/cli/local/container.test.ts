import { ImageFunction } from '../../../src/cli/local/assembly';
import { EXIT_CODES } from '../../../src/cli/errors';
import { checkPayload, checkRequest, containerEnvironment, endpointForContainer, findRie, formatTimings, functionErrorOf, hostAccess, InvalidRequestContentError, processArgv, RequestEntityTooLargeError, runtimeFailure } from '../../../src/cli/local/container';

const asset = { hash: 'AB'.repeat(32), directory: '/x', dockerFile: 'Dockerfile', platform: 'linux/arm64', buildArgs: { A: '1' }, buildSecrets: { creds: 'src=/home/u/.aws/credentials' }, target: 'final', destinations: [] };
const fn = (over: Partial<ImageFunction> = {}): ImageFunction => ({
  stack: 'S', logicalId: 'Fn1234', path: 'S/Fn', architecture: 'arm64', imageConfig: {}, environment: {}, asset, imageUri: 'x', ...over,
});

describe('checkPayload', () => {
  test('allows exactly 6 MB synchronously and 1 MB asynchronously', () => {
    expect(() => checkPayload(6 * 1024 * 1024, 'RequestResponse')).not.toThrow();
    expect(() => checkPayload(1024 * 1024, 'Event')).not.toThrow();
  });

  test('answers one byte more with RequestEntityTooLarge, like Lambda', () => {
    expect(() => checkPayload(6 * 1024 * 1024 + 1, 'RequestResponse')).toThrow(RequestEntityTooLargeError);
    expect(() => checkPayload(1024 * 1024 + 1, 'Event')).toThrow(/RequestEntityTooLargeException: Request must be smaller than 1048576 bytes/);
  });
});

describe('checkRequest', () => {
  test('a payload that is not JSON is refused as Lambda refuses it, with exit code 4', () => {
    const refuse = () => checkRequest(Buffer.from('{"unterminated": '), 'RequestResponse');
    expect(refuse).toThrow(InvalidRequestContentError);
    expect(refuse).toThrow(/^InvalidRequestContentException: Could not parse request body into json: /);
    try { refuse(); } catch (e) { expect((e as InvalidRequestContentError).exitCode).toBe(EXIT_CODES.requestRefused); }
  });

  test('JSON of any kind passes, and so does an empty payload (Lambda passes none)', () => {
    for (const body of ['{}', '[1,2]', '"text"', '42', 'null', '']) expect(() => checkRequest(Buffer.from(body), 'Event')).not.toThrow();
  });

  test('the size comes first: a large payload is too large even if it is not JSON', () => {
    expect(() => checkRequest(Buffer.alloc(1024 * 1024 + 1, 'x'), 'Event')).toThrow(RequestEntityTooLargeError);
  });
});

describe('functionErrorOf', () => {
  test('the emulator\'s X-Amz-Function-Error wins when it sends one', () => {
    expect(functionErrorOf({ body: '{"ok":true}', functionError: 'Handled' })).toBe('Handled');
  });

  test('without it, exactly Lambda\'s error object is Unhandled (the RIE\'s gap)', () => {
    const error = { errorMessage: 'boom', errorType: 'ValueError', stackTrace: ['  File "app.py"'], requestId: 'r1' };
    expect(functionErrorOf({ body: JSON.stringify(error) })).toBe('Unhandled');
  });

  test.each([
    ['an ordinary answer', '{"statusCode":200,"body":"{}"}'],
    ['an answer that merely mentions an error', '{"errorMessage":"x","errorType":"y","statusCode":500}'],
    ['an error object without its type', '{"errorMessage":"x"}'],
    ['an array', '[{"errorMessage":"x","errorType":"y"}]'],
    ['text', 'errorMessage'],
  ])('%s is no function error', (_, body) => {
    expect(functionErrorOf({ body })).toBeUndefined();
  });
});

describe('runtimeFailure', () => {
  test('a runtime that exits during init: Lambda\'s Runtime.ExitError with the emulator\'s reason', () => {
    const logs = [
      '/var/runtime/bootstrap: 13: exec: --: not found',
      '22 Nov 2026 05:11:27,513 [WARNING] (rapid) Process runtime-1 exited: exit status 127',
      '22 Nov 2026 05:11:27,513 [ERROR] (rapid) Init failed error=Runtime exited with error: exit status 127 InvokeID=',
      '22 Nov 2026 05:11:27,527 [ERROR] (rapid) Invoke DONE failed: Sandbox.Failure',
    ].join('\n');
    expect(runtimeFailure(logs)).toEqual({ errorType: 'Runtime.ExitError', errorMessage: 'Runtime exited with error: exit status 127' });
  });

  test('a healthy log is no failure', () => {
    expect(runtimeFailure('START RequestId: x\nEND RequestId: x\nREPORT RequestId: x\tDuration: 1 ms')).toBeUndefined();
  });
});

describe('invoke timings', () => {
  const at = (receivedAt: number, roundTripMs: number) => ({ statusCode: 200, body: '{}', receivedAt, roundTripMs });

  test('the first invocation is the cold start, counted from the container start', () => {
    expect(formatTimings({ createMs: 1234.4, startedAt: 100 }, [at(350, 240)]))
      .toBe('timings: container created in 1234 ms; start to first response 250 ms');
  });

  test('the others are warm: median and max of their round trips', () => {
    expect(formatTimings({ createMs: 5, startedAt: 0 }, [at(300, 290), at(305, 4), at(310, 2), at(330, 20)]))
      .toBe('timings: container created in 5.0 ms; start to first response 300 ms; 3 warm round trips: median 4.0 ms, max 20 ms');
  });
});

describe('containerEnvironment', () => {
  test('sets Lambda\'s variables from the template and passes the endpoint URL', () => {
    const { env, skipped } = containerEnvironment(fn({ memorySize: 1024, timeout: 30, environment: { STAGE: 'dev', BUCKET: { Ref: 'B' } } }), { endpointUrl: 'http://127.0.0.1:4566' }, { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });
    expect(env).toMatchObject({
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
      AWS_LAMBDA_FUNCTION_TIMEOUT: '30',
      AWS_LAMBDA_FUNCTION_NAME: 'Fn1234',
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
      AWS_ACCESS_KEY_ID: 'test',
      STAGE: 'dev',
    });
    expect(env.BUCKET).toBeUndefined();
    expect(skipped).toEqual(['BUCKET']);
  });

  test('--env-vars values replace the template\'s, and fill what is known only after deployment', () => {
    const f = fn({ environment: { TABLE: { Ref: 'Table' }, STAGE: 'prod', KEEP: 'x' } });
    const { env, skipped } = containerEnvironment(f, { environment: { TABLE: 'local', STAGE: 'dev' } }, {});
    expect(env).toMatchObject({ TABLE: 'local', STAGE: 'dev', KEEP: 'x' });
    expect(skipped).toEqual([]);
    expect(containerEnvironment(f, {}, {}).skipped).toEqual(['TABLE']);
  });

  test('uses Lambda\'s defaults (128 MB, 3 s) when the template sets none', () => {
    const { env } = containerEnvironment(fn(), {}, {});
    expect(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE).toBe('128');
    expect(env.AWS_LAMBDA_FUNCTION_TIMEOUT).toBe('3');
  });
});

describe('processArgv', () => {
  const image = { Entrypoint: ['/lambda-entrypoint.sh'], Cmd: ['app.default'] };
  test('ImageConfig overrides the image, as Lambda does', () => {
    expect(processArgv(fn(), image)).toEqual(['/lambda-entrypoint.sh', 'app.default']);
    expect(processArgv(fn({ imageConfig: { Command: ['app.other'] } }), image)).toEqual(['/lambda-entrypoint.sh', 'app.other']);
    expect(processArgv(fn({ imageConfig: { EntryPoint: ['/var/task/bootstrap'] } }), image)).toEqual(['/var/task/bootstrap']);
  });

  test('throws when there is nothing to run', () => {
    expect(() => processArgv(fn(), {})).toThrow(/S\/Fn: the image has no ENTRYPOINT or CMD/);
  });
});

test('findRie prefers the explicit path, then CDK_LAMBDA_CONTAINER_RIE', () => {
  expect(findRie(__filename, {})).toBe(__filename);
  expect(findRie(undefined, { CDK_LAMBDA_CONTAINER_RIE: __filename, PATH: '' })).toBe(__filename);
  expect(findRie(undefined, { PATH: '/nonexistent' })).toBeUndefined();
});

describe('without host networking', () => {
  test('podman gets slirp4netns with the host\'s loopback at 10.0.2.2; Docker and Finch host.docker.internal through the host gateway', () => {
    expect(hostAccess('podman')).toEqual({ createArgs: ['--network', 'slirp4netns:allow_host_loopback=true'], hostAlias: '10.0.2.2' });
    expect(hostAccess('/usr/bin/podman')).toMatchObject({ hostAlias: '10.0.2.2' });
    for (const engine of ['docker', 'finch']) expect(hostAccess(engine)).toEqual({ createArgs: ['--add-host', 'host.docker.internal:host-gateway'], hostAlias: 'host.docker.internal' });
  });

  test.each([
    ['http://127.0.0.1:4566', 'http://host.docker.internal:4566'],
    ['http://localhost:4566/path', 'http://host.docker.internal:4566/path'],
    ['http://[::1]:4566', 'http://host.docker.internal:4566'],
    ['https://localhost', 'https://host.docker.internal'],
    ['http://localhost.example.com:4566', 'http://localhost.example.com:4566'],
    ['https://s3.amazonaws.com', 'https://s3.amazonaws.com'],
  ])('an endpoint on the host\'s loopback is reached through the host alias: %s', (url, expected) => {
    expect(endpointForContainer(url, 'host.docker.internal')).toBe(expected);
  });
});
