/**
 * How the CLI fails: one error class per exit code, so scripts can tell a typo from a broken build
 * from a function that answered with an error. The codes are documented in the README (Local
 * testing) and printed by `--help`.
 */

/** Exit codes of `cdk-lambda-container`. */
export const EXIT_CODES = {
  /** Done; for invoke: the function answered without an error. */
  ok: 0,
  /** The tool failed: the build, the engine, the container or the emulator. */
  failure: 1,
  /** The command line: an unknown command, option, function or event kind, a missing or bad value. */
  usage: 2,
  /** The function answered with an error (X-Amz-Function-Error), or its runtime died. */
  functionError: 3,
  /** Lambda would refuse the request before running the function (too large, not JSON). */
  requestRefused: 4,
} as const;

/** An error with the exit code it ends the command with. */
export class CliError extends Error {
  constructor(message: string, public readonly exitCode: number = EXIT_CODES.failure) {
    super(message);
    this.name = 'CliError';
  }
}

/** A command line that cannot be run as given (exit 2). */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT_CODES.usage);
    this.name = 'UsageError';
  }
}
