/**
 * `invoke --env-vars file.json`: environment values per function, in SAM's format — an object
 * keyed by function (logical ID, construct path or its last part) whose values are variables,
 * plus `Parameters`, which applies to every function. As in SAM, only variables the function's
 * template declares are set; the others are reported, not silently dropped.
 */
import * as fs from 'fs';
import { ImageFunction } from './assembly';
import { UsageError } from '../errors';

/** The file's content: function key (or `Parameters`) → variable → value. */
export type EnvVarsFile = Record<string, Record<string, string>>;

/** Reads and checks an env-vars file: a JSON object of objects of strings (numbers and booleans become strings). */
export function readEnvVars(file: string): EnvVarsFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`--env-vars ${file}: not a readable JSON file (${(e as Error).message}). Give a file such as {"MyFunction": {"TABLE_NAME": "local"}, "Parameters": {"STAGE": "dev"}}.`);
  }
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(parsed)) throw new UsageError(`--env-vars ${file}: the top level must be an object keyed by function (or "Parameters").`);
  const out: EnvVarsFile = {};
  for (const [key, vars] of Object.entries(parsed)) {
    if (!isObject(vars)) throw new UsageError(`--env-vars ${file}: "${key}" must be an object of variables, not ${JSON.stringify(vars)}.`);
    out[key] = {};
    for (const [name, value] of Object.entries(vars)) {
      if (!['string', 'number', 'boolean'].includes(typeof value)) {
        throw new UsageError(`--env-vars ${file}: ${key}.${name} must be a string, number or boolean, not ${JSON.stringify(value)}.`);
      }
      out[key][name] = String(value);
    }
  }
  return out;
}

/**
 * The values of `file` for `fn`: `Parameters` first, then the function's own entry (by logical ID,
 * construct path or its last part). `ignored` lists the variables of its own entry that its
 * template does not declare (`Parameters` is for every function: what one lacks is not reported).
 */
export function envOverrides(file: EnvVarsFile, fn: ImageFunction): { set: Record<string, string>; ignored: string[] } {
  const keys = [fn.logicalId, fn.path, fn.path.split('/').pop()!];
  const own: Record<string, string> = Object.assign({}, ...Object.entries(file).filter(([key]) => key !== 'Parameters' && keys.includes(key)).map(([, vars]) => vars));
  const declared = (name: string) => name in fn.environment;
  const set = Object.fromEntries(Object.entries({ ...(file.Parameters ?? {}), ...own }).filter(([name]) => declared(name)));
  return { set, ignored: Object.keys(own).filter(name => !declared(name)) };
}
