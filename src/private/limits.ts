/**
 * Every AWS Lambda limit this library checks, in one place, with pure checks that return
 * problems instead of throwing (the constructs add the construct path and throw or annotate).
 * No CDK imports: unresolved Tokens are filtered out by the caller.
 */
import { Problem } from './problems';

/** Lambda's published quotas for container-image functions. */
export const LIMITS = {
  memoryMinMb: 128,
  memoryMaxMb: 10_240,
  timeoutMaxSeconds: 900,
  ephemeralStorageMinMb: 512,
  ephemeralStorageMaxMb: 10_240,
  /** Total size of all environment variables (keys + values), as Lambda counts it. */
  environmentMaxBytes: 4 * 1024,
  imageConfigCommandMaxEntries: 1500,
  imageConfigEntryPointMaxEntries: 1500,
  imageConfigWorkingDirectoryMaxChars: 1000,
  /** Uncompressed image size. */
  imageMaxBytes: 10 * 1024 * 1024 * 1024,
  payloadSyncMaxBytes: 6 * 1024 * 1024,
  payloadAsyncMaxBytes: 1024 * 1024,
  maxExternalExtensions: 10,
} as const;

/**
 * Environment variables Lambda sets itself: a function may not define them.
 * (AWS_LAMBDA_EXEC_WRAPPER and similar opt-in variables are not reserved.)
 */
export const RESERVED_ENVIRONMENT_VARIABLES: readonly string[] = [
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
];

function range(prop: string, value: number, min: number, max: number, unit: string): Problem[] {
  if (!Number.isInteger(value) || value < min || value > max) {
    return [{ prop, value: `${value} ${unit}`, message: `Lambda accepts whole numbers from ${min} to ${max} ${unit}`, fix: `set ${prop} between ${min} and ${max}` }];
  }
  return [];
}

export function checkMemorySize(mb: number): Problem[] {
  return range('memorySize', mb, LIMITS.memoryMinMb, LIMITS.memoryMaxMb, 'MB');
}

export function checkTimeout(seconds: number): Problem[] {
  if (seconds > LIMITS.timeoutMaxSeconds || seconds < 1) {
    return [{ prop: 'timeout', value: `${seconds} s`, message: `Lambda allows 1 to ${LIMITS.timeoutMaxSeconds} seconds (15 minutes)`, fix: 'use Duration.minutes(15) or less; move longer work to Step Functions, ECS or Batch' }];
  }
  return [];
}

export function checkEphemeralStorage(mb: number): Problem[] {
  return range('ephemeralStorageSize', mb, LIMITS.ephemeralStorageMinMb, LIMITS.ephemeralStorageMaxMb, 'MB');
}

/** ENTRYPOINT and WORKDIR must be absolute; ImageConfig has entry and length limits. */
export function checkImageConfig(config: { cmd?: readonly string[]; entrypoint?: readonly string[]; workingDirectory?: string }): Problem[] {
  const problems: Problem[] = [];
  const { cmd, entrypoint, workingDirectory } = config;
  if (cmd && cmd.length > LIMITS.imageConfigCommandMaxEntries) {
    problems.push({ prop: 'cmd', value: `(${cmd.length} entries)`, message: `ImageConfig.Command takes at most ${LIMITS.imageConfigCommandMaxEntries} entries`, fix: 'pass fewer arguments, or read them from the environment or a file in the image' });
  }
  if (entrypoint) {
    if (entrypoint.length > LIMITS.imageConfigEntryPointMaxEntries) {
      problems.push({ prop: 'entrypoint', value: `(${entrypoint.length} entries)`, message: `ImageConfig.EntryPoint takes at most ${LIMITS.imageConfigEntryPointMaxEntries} entries`, fix: 'pass fewer arguments, or wrap them in a script in the image' });
    }
    if (entrypoint.length === 0) {
      problems.push({ prop: 'entrypoint', value: '[]', message: 'an empty ENTRYPOINT leaves the image with nothing to run', fix: 'give the absolute path of the executable, or leave entrypoint unset to keep the image\'s' });
    } else if (!isAbsolute(entrypoint[0])) {
      problems.push({ prop: 'entrypoint', value: JSON.stringify(entrypoint[0]), message: 'Lambda requires the ENTRYPOINT executable to be an absolute path', fix: `use the absolute path, e.g. "/var/task/${entrypoint[0].replace(/^\.?\//, '')}"` });
    }
  }
  if (workingDirectory !== undefined) {
    if (workingDirectory.length > LIMITS.imageConfigWorkingDirectoryMaxChars) {
      problems.push({ prop: 'workingDirectory', value: `(${workingDirectory.length} characters)`, message: `ImageConfig.WorkingDirectory takes at most ${LIMITS.imageConfigWorkingDirectoryMaxChars} characters`, fix: 'use a shorter absolute path' });
    }
    if (!isAbsolute(workingDirectory)) {
      problems.push({ prop: 'workingDirectory', value: JSON.stringify(workingDirectory), message: 'Lambda requires WORKDIR to be an absolute path', fix: `use an absolute path such as "/var/task/${workingDirectory.replace(/^\.?\//, '')}"` });
    }
  }
  return problems;
}

/** An absolute path in the image; `${LAMBDA_TASK_ROOT}`-style variables count as absolute. */
export function isAbsolute(p: string): boolean {
  return p.startsWith('/') || /^\$\{?(LAMBDA_TASK_ROOT|LAMBDA_RUNTIME_DIR)\}?(\/|$)/.test(p);
}

/**
 * The environment's size as Lambda counts it (UTF-8 bytes of every key and value) and its
 * reserved names. Only resolved entries are given: Token values are skipped by the caller.
 */
export function checkEnvironment(env: Record<string, string>): Problem[] {
  const problems: Problem[] = checkReservedNames(Object.keys(env));
  const bytes = environmentBytes(env);
  if (bytes > LIMITS.environmentMaxBytes) {
    const largest = Object.entries(env).sort((a, b) => (b[0].length + b[1].length) - (a[0].length + a[1].length))[0];
    problems.push({ prop: 'environment', value: `(${bytes} bytes)`, message: `Lambda allows at most ${LIMITS.environmentMaxBytes} bytes of environment variables in total (keys and values)`, fix: `move large values (the largest is ${largest[0]}) to SSM Parameter Store, Secrets Manager or a file in the image` });
  }
  return problems;
}

/** Names Lambda sets itself and rejects in a function's environment. */
export function checkReservedNames(names: readonly string[]): Problem[] {
  const reserved = names.filter(k => RESERVED_ENVIRONMENT_VARIABLES.includes(k));
  if (reserved.length === 0) return [];
  return [{ prop: 'environment', value: reserved.join(', '), message: 'Lambda sets these variables itself and rejects functions that define them', fix: `remove ${reserved.join(', ')} from the environment` }];
}

/** UTF-8 bytes of all keys and values. */
export function environmentBytes(env: Record<string, string>): number {
  return Object.entries(env).reduce((n, [k, v]) => n + Buffer.byteLength(k, 'utf8') + Buffer.byteLength(v, 'utf8'), 0);
}
