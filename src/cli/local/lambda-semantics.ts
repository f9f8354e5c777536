/**
 * Lambda's rules around an invocation, in one place for `invoke`, `start-lambda` and `start-api`:
 * what Lambda refuses before the function runs (size, JSON, client context), what it passes for
 * an empty payload, and `lambdaAnswer` — the one function that turns the emulator's answer into
 * Lambda's (payload, `X-Amz-Function-Error`), with the named shims for the RIE's gaps.
 */
import { LIMITS } from '../../private/limits';
import { CliError, EXIT_CODES } from '../errors';

export type InvocationType = 'RequestResponse' | 'Event';

/** An error Lambda's Invoke API answers with: its `x-amzn-ErrorType` and HTTP status. */
export abstract class LambdaRequestError extends CliError {
  public abstract readonly errorType: string;
  public abstract readonly statusCode: number;
  constructor(message: string) {
    super(message, EXIT_CODES.requestRefused);
  }
  /** The message without its `Type: ` prefix, as Lambda's `message` field has it. */
  public get reason(): string {
    return this.message.slice(this.message.indexOf(': ') + 2);
  }
}

/** Lambda's answer to a payload over its limit (the RIE itself silently truncates). */
export class RequestEntityTooLargeError extends LambdaRequestError {
  public readonly errorType = 'RequestEntityTooLargeException';
  public readonly statusCode = 413;
  constructor(public readonly bytes: number, public readonly limit: number) {
    super(`RequestEntityTooLargeException: Request must be smaller than ${limit} bytes for the InvokeFunction operation (the event is ${bytes} bytes)`);
  }
}

/** Lambda's answer to a payload that is not JSON: refused before the function runs (the RIE passes it on). */
export class InvalidRequestContentError extends LambdaRequestError {
  public readonly errorType = 'InvalidRequestContentException';
  public readonly statusCode = 400;
  constructor(reason: string, prefix = 'Could not parse request body into json: ') {
    super(`InvalidRequestContentException: ${prefix}${reason}`);
  }
}

/** The payload limit Lambda applies to an invocation type. */
function payloadLimit(invocationType: InvocationType): number {
  return invocationType === 'Event' ? LIMITS.payloadAsyncMaxBytes : LIMITS.payloadSyncMaxBytes;
}

export function checkPayload(bytes: number, invocationType: InvocationType): void {
  const limit = payloadLimit(invocationType);
  if (bytes > limit) {
    throw new RequestEntityTooLargeError(bytes, limit);
  }
}

/**
 * What Lambda checks before it runs a function — the size, then that the payload is JSON — and
 * the payload it passes: an empty one is `{}`, as Lambda does (and SAM: `local_lambda_http_service.py`,
 * `if not request_data: request_data = b"{}"`), so `aws lambda invoke` without `--payload` works.
 */
export function checkRequest(event: Buffer, invocationType: InvocationType): Buffer {
  checkPayload(event.length, invocationType);
  if (event.length === 0) return Buffer.from('{}');
  try {
    JSON.parse(event.toString('utf8'));
  } catch (e) {
    throw new InvalidRequestContentError((e as Error).message);
  }
  return event;
}

/** The largest `X-Amz-Client-Context` Lambda takes (base64, as sent). */
const CLIENT_CONTEXT_MAX_BYTES = 3583;

/** Lambda's check of `X-Amz-Client-Context`: base64 of a JSON object, at most 3,583 bytes. */
export function checkClientContext(value: string | undefined): void {
  if (value === undefined) return;
  if (Buffer.byteLength(value) > CLIENT_CONTEXT_MAX_BYTES) {
    throw new InvalidRequestContentError(`the client context is ${Buffer.byteLength(value)} bytes, more than ${CLIENT_CONTEXT_MAX_BYTES}`, 'Client context must be smaller than 3583 bytes: ');
  }
  const decoded = /^[A-Za-z0-9+/]*={0,2}$/.test(value) ? Buffer.from(value, 'base64').toString('utf8') : undefined;
  let parsed: unknown;
  try {
    parsed = decoded === undefined ? undefined : JSON.parse(decoded);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidRequestContentError('X-Amz-Client-Context is not base64-encoded JSON', 'Client context must be a valid Base64-encoded JSON object: ');
  }
}

/** What the emulator answered to one invocation. */
export interface EmulatorAnswer {
  readonly body: string;
  /** The emulator's `X-Amz-Function-Error`, when it sent one. */
  readonly functionError?: string;
}

/** What Lambda answers: the payload and `X-Amz-Function-Error`. */
export interface LambdaAnswer {
  readonly payload: string;
  readonly functionError?: string;
}

/** The keys of Lambda's error object (the runtime API's ErrorRequest, the Python RIC's `requestId`, the Node.js runtime's `trace`). */
const ERROR_OBJECT_KEYS = ['errorMessage', 'errorType', 'stackTrace', 'requestId', 'cause', 'trace'];

/**
 * Whether a handler failed, as Lambda's `X-Amz-Function-Error` says.
 *
 * Shim for an emulator gap (named, tested by e2e/example.e2e.ts "the RIE still sends no
 * X-Amz-Function-Error"): the RIE answers a handler's error with 200 and the error object, without
 * the header Lambda sets. An answer that is Lambda's error object counts as `Unhandled`: a string
 * `errorMessage` and `errorType` with nothing but the error object's keys (those every runtime
 * writes: the Node.js runtime's `trace` included). SAM's looser rule (any object of three keys with
 * those two, `is_lambda_error_response`) is not taken: it would turn an API answer such as
 * `{"statusCode":500,"errorMessage":…,"errorType":…}` into a 502. The header wins when sent.
 */
export function functionErrorOf(answer: EmulatorAnswer): string | undefined {
  if (answer.functionError) return answer.functionError;
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const keys = Object.keys(parsed);
  const record = parsed as Record<string, unknown>;
  const hasBoth = typeof record.errorMessage === 'string' && typeof record.errorType === 'string';
  return hasBoth && keys.every(k => ERROR_OBJECT_KEYS.includes(k)) ? 'Unhandled' : undefined;
}

/**
 * What Lambda answers when the runtime never produced a response (it exited, or failed its
 * init): the RIE answers with an empty body, and its log says why. Undefined when the log shows
 * no such failure.
 */
export function runtimeFailure(logs: string): { errorType: string; errorMessage: string } | undefined {
  const init = /Init failed error=(.*?) InvokeID=/.exec(logs);
  const exit = /Process runtime-\d+ exited: (.*)$/m.exec(logs);
  const done = /Invoke DONE failed: (\S+)/.exec(logs);
  if (!init && !exit && !done) return undefined;
  const errorType = exit || init ? 'Runtime.ExitError' : done![1];
  const errorMessage = init ? init[1].trim() : exit ? `Runtime exited: ${exit[1].trim()}` : `the invocation failed (${done![1]})`;
  return { errorType, errorMessage };
}

/** The RIE's answer when the function ran past its timeout: plain text, not Lambda's error object. */
const TIMED_OUT = /^Task timed out after ([\d.]+) seconds$/;

/**
 * The one translation from the emulator's answer to Lambda's, for every command.
 * - An empty body (the runtime died; the RIE answers nothing): Lambda's error object from the
 *   log (`Runtime.ExitError`, or the init failure), `Unhandled`. `log` is read only then.
 * - The RIE's plain `Task timed out after N seconds` (a named shim: Lambda answers a JSON error
 *   object, `Sandbox.Timedout`, with `X-Amz-Function-Error: Unhandled`).
 * - Otherwise the payload as sent, and `functionErrorOf`.
 */
export async function lambdaAnswer(answer: EmulatorAnswer, log: () => Promise<string>): Promise<LambdaAnswer> {
  if (answer.body === '') {
    const failure = runtimeFailure(await log()) ?? { errorType: 'Runtime.ExitError', errorMessage: 'Runtime exited without providing a reason' };
    return { payload: JSON.stringify(failure), functionError: 'Unhandled' };
  }
  const timedOut = TIMED_OUT.exec(answer.body.trim());
  if (timedOut) {
    return { payload: JSON.stringify({ errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${timedOut[1]} seconds` }), functionError: 'Unhandled' };
  }
  return { payload: answer.body, functionError: functionErrorOf(answer) };
}
