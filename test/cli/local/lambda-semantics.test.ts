import { EXIT_CODES } from '../../../src/cli/errors';
import {
  checkClientContext, checkPayload, checkRequest, functionErrorOf, InvalidRequestContentError, lambdaAnswer,
  RequestEntityTooLargeError, runtimeFailure,
} from '../../../src/cli/local/lambda-semantics';

const noLog = async () => '';

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

  test('an empty payload is {}, as Lambda and SAM pass it (D5); JSON of any kind passes as sent', () => {
    expect(checkRequest(Buffer.alloc(0), 'RequestResponse').toString()).toBe('{}');
    expect(checkRequest(Buffer.alloc(0), 'Event').toString()).toBe('{}');
    for (const json of ['"hello"', '42', '[1]', 'null', '{"a":1}']) expect(checkRequest(Buffer.from(json), 'RequestResponse').toString()).toBe(json);
  });
});

describe('checkClientContext', () => {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  test('takes base64 of a JSON object up to 3,583 bytes (D12)', () => {
    expect(() => checkClientContext(undefined)).not.toThrow();
    expect(() => checkClientContext(b64('{"custom":{"a":"b"}}'))).not.toThrow();
  });

  test('refuses what Lambda refuses: not base64, not a JSON object, too large', () => {
    expect(() => checkClientContext('not base64!')).toThrow(/Client context must be a valid Base64-encoded JSON object/);
    expect(() => checkClientContext(b64('[1]'))).toThrow(InvalidRequestContentError);
    expect(() => checkClientContext(b64(JSON.stringify({ a: 'x'.repeat(3000) })))).toThrow(/smaller than 3583 bytes/);
  });
});

describe('functionErrorOf', () => {
  test('Lambda\'s error object from Python and Node.js runtimes is Unhandled (D4: Node.js adds `trace`)', () => {
    expect(functionErrorOf({ body: '{"errorMessage":"boom","errorType":"ValueError","stackTrace":[],"requestId":"1"}' })).toBe('Unhandled');
    expect(functionErrorOf({ body: '{"errorType":"SyntaxError","errorMessage":"Unexpected end of JSON input","trace":["SyntaxError: …"]}' })).toBe('Unhandled');
  });

  test('an ordinary answer is no error, and the emulator\'s header wins', () => {
    expect(functionErrorOf({ body: '{"statusCode":200}' })).toBeUndefined();
    expect(functionErrorOf({ body: 'not json' })).toBeUndefined();
    expect(functionErrorOf({ body: '{"errorMessage":"m"}' })).toBeUndefined();
    expect(functionErrorOf({ body: '{}', functionError: 'Handled' })).toBe('Handled');
  });
});

describe('runtimeFailure', () => {
  test('reads why the runtime never answered from the emulator\'s log', () => {
    expect(runtimeFailure('Process runtime-3 exited: exit status 126\n')).toEqual({ errorType: 'Runtime.ExitError', errorMessage: 'Runtime exited: exit status 126' });
    expect(runtimeFailure('Init failed error=Runtime.ImportModuleError InvokeID=1')).toEqual({ errorType: 'Runtime.ExitError', errorMessage: 'Runtime.ImportModuleError' });
    expect(runtimeFailure('nothing of the sort')).toBeUndefined();
  });
});

describe('lambdaAnswer: the one translation of the emulator\'s answer', () => {
  test('the RIE\'s plain-text timeout is Lambda\'s Sandbox.Timedout error object, Unhandled (D4)', async () => {
    const answer = await lambdaAnswer({ body: 'Task timed out after 30.00 seconds' }, noLog);
    expect(answer.functionError).toBe('Unhandled');
    expect(JSON.parse(answer.payload)).toEqual({ errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 30.00 seconds' });
  });

  test('an empty answer is a dead runtime: the log says why, and the log is read only then', async () => {
    let read = 0;
    const log = async () => { read++; return 'Process runtime-1 exited: signal: killed'; };
    expect(await lambdaAnswer({ body: '' }, log)).toEqual({ payload: '{"errorType":"Runtime.ExitError","errorMessage":"Runtime exited: signal: killed"}', functionError: 'Unhandled' });
    expect(JSON.parse((await lambdaAnswer({ body: '' }, noLog)).payload).errorType).toBe('Runtime.ExitError');
    await lambdaAnswer({ body: '{"ok":true}' }, log);
    expect(read).toBe(1);
  });

  test('anything else is the payload as sent, with functionErrorOf', async () => {
    expect(await lambdaAnswer({ body: '{"ok":true}' }, noLog)).toEqual({ payload: '{"ok":true}', functionError: undefined });
    expect((await lambdaAnswer({ body: '{"errorMessage":"m","errorType":"T","trace":[]}' }, noLog)).functionError).toBe('Unhandled');
  });
});

describe('functionErrorOf (the RIE\'s gap)', () => {
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

describe('runtimeFailure, from the emulator\'s log', () => {
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
