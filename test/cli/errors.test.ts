import { CliError, EXIT_CODES, UsageError } from '../../src/cli/errors';

describe('EXIT_CODES', () => {
  test('each outcome has its own code, 0 only for success', () => {
    const codes = Object.values(EXIT_CODES);
    expect(new Set(codes).size).toBe(codes.length);
    expect(EXIT_CODES.ok).toBe(0);
    expect(codes.filter(c => c === 0)).toHaveLength(1);
  });
});

describe('errors', () => {
  test('a CliError ends with a failure unless told otherwise; a UsageError with the usage code', () => {
    expect(new CliError('x').exitCode).toBe(EXIT_CODES.failure);
    expect(new CliError('x', EXIT_CODES.requestRefused).exitCode).toBe(EXIT_CODES.requestRefused);
    const usage = new UsageError('bad');
    expect(usage).toBeInstanceOf(CliError);
    expect(usage.exitCode).toBe(EXIT_CODES.usage);
    expect(usage.message).toBe('bad');
  });
});
