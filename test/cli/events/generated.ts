/** What the events/ tests share: a reproducible generated event, and the usage error a bad option gives. */
import { UsageError } from '../../../src/cli/errors';
import { EventOptionValues, generateEvent } from '../../../src/cli/events';

export const TIME = '2026-11-22T09:30:00.000Z';

/** A generated event, reproducible (time fixed), as JSON would carry it. */
export function event(kind: string, options: EventOptionValues = {}): any {
  const e = generateEvent(kind, { time: TIME, ...options });
  return JSON.parse(JSON.stringify(e));
}

/** The error generateEvent throws for these arguments. */
export function failure(kind: string, options: EventOptionValues = {}): UsageError {
  try {
    generateEvent(kind, options);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    expect((e as UsageError).exitCode).toBe(2);
    return e as UsageError;
  }
  throw new Error(`generate-event ${kind} did not fail`);
}
