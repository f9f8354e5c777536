/**
 * How this library reports what is wrong: one problem shape, one formatter, one error class, one
 * way to fail and one way to warn. Checks elsewhere are pure and return `Problem`s; the constructs
 * fail with them (before or while binding) or return them from node validation (what can still
 * change after construction).
 *
 * Every message reads `<where>: invalid <prop> <value>: <why>. Fix: <fix>.`, where `<where>` is
 * the construct path (or, for factories that have no construct yet, the factory's name).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Annotations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { WarningId } from '../warnings';

/** A problem found by a check: which prop, the offending value, what is wrong and how to fix it. */
export interface Problem {
  readonly prop: string;
  readonly value: string;
  readonly message: string;
  readonly fix: string;
}

/** Formats a problem as the one line users see, prefixed with where it is (a construct path). */
export function formatProblem(where: string | undefined, problem: Problem): string {
  const line = `invalid ${problem.prop} ${problem.value}: ${problem.message}. Fix: ${problem.fix}.`;
  return where ? `${where}: ${line}` : line;
}

/** The error this library throws: one line per problem, each naming where, prop, value and fix. */
export class ProblemError extends Error {
  constructor(public readonly where: string | undefined, public readonly problems: readonly Problem[]) {
    super(problems.map(p => formatProblem(where, p)).join('\n'));
    this.name = 'ProblemError';
  }
}

/** The name problems are reported under: a construct's path, or a label such as `BaseImage.python`. */
export type Where = IConstruct | string | undefined;

function whereOf(where: Where): string | undefined {
  return typeof where === 'object' ? where.node.path : where;
}

/** Fails with the problems (at least one). */
export function fail(where: Where, ...problems: Problem[]): never {
  throw new ProblemError(whereOf(where), problems);
}

/** Fails if there are problems; returns otherwise. */
export function failIfAny(where: Where, problems: readonly Problem[]): void {
  if (problems.length > 0) fail(where, ...problems);
}

/** The problems as node validation messages (`addValidation` returns these at synth). */
export function validationMessages(where: IConstruct, problems: readonly Problem[]): string[] {
  return problems.map(p => formatProblem(where.node.path, p));
}

/** A warning users can acknowledge by its id (`Annotations.of(scope).acknowledgeWarning(id)`). */
export function warn(scope: IConstruct, id: WarningId, message: string): void {
  Annotations.of(scope).addWarningV2(id, message);
}

/**
 * The absolute path of an existing directory, or a failure naming `prop`, the value given, where
 * it resolved to, and `fix`.
 */
export function requireDirectory(where: Where, prop: string, given: string, fix: string): string {
  return requireEntry(where, prop, given, 'directory', fix);
}

/** The absolute path of an existing file (see `requireDirectory`). */
export function requireFile(where: Where, prop: string, given: string, fix: string): string {
  return requireEntry(where, prop, given, 'file', fix);
}

function requireEntry(where: Where, prop: string, given: string, kind: 'file' | 'directory', fix: string): string {
  const resolved = path.resolve(given);
  const stat = fs.statSync(resolved, { throwIfNoEntry: false });
  if (!stat || (kind === 'file' ? !stat.isFile() : !stat.isDirectory())) {
    fail(where, { prop, value: JSON.stringify(given), message: `no such ${kind} (resolved to ${resolved})`, fix });
  }
  return resolved;
}
