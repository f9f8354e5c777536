import * as path from 'path';
import { Annotations } from 'aws-cdk-lib/assertions';
import { fail, failIfAny, formatProblem, ProblemError, requireDirectory, requireFile, validationMessages, warn } from '../../src/private/problems';
import { WarningIds } from '../../src/warnings';
import { newStack, tempTree } from '../util';

const problem = { prop: 'memorySize', value: '64 MB', message: 'too small', fix: 'raise it' };

describe('formatProblem', () => {
  test('names where, the prop, the value and the fix', () => {
    expect(formatProblem('Stack/Fn', problem)).toBe('Stack/Fn: invalid memorySize 64 MB: too small. Fix: raise it.');
  });

  test('leaves the prefix out when there is no construct yet', () => {
    expect(formatProblem(undefined, problem)).toBe('invalid memorySize 64 MB: too small. Fix: raise it.');
  });
});

describe('fail', () => {
  test('throws a ProblemError with one line per problem, under the construct path', () => {
    const { stack } = newStack();
    let error: unknown;
    try {
      fail(stack, problem, { ...problem, prop: 'timeout' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProblemError);
    expect((error as ProblemError).where).toBe('TestStack');
    expect((error as ProblemError).problems).toHaveLength(2);
    expect((error as Error).message).toBe('TestStack: invalid memorySize 64 MB: too small. Fix: raise it.\nTestStack: invalid timeout 64 MB: too small. Fix: raise it.');
  });

  test('takes a label where there is no construct', () => {
    expect(() => fail('BaseImage.python', problem)).toThrow(/^BaseImage\.python: invalid memorySize/);
  });

  test('failIfAny returns when there is nothing to report', () => {
    expect(() => failIfAny('X', [])).not.toThrow();
    expect(() => failIfAny('X', [problem])).toThrow(ProblemError);
  });
});

test('validationMessages are the same lines, for node validation', () => {
  const { stack } = newStack();
  expect(validationMessages(stack, [problem])).toEqual(['TestStack: invalid memorySize 64 MB: too small. Fix: raise it.']);
});

test('warn adds a warning users acknowledge by its id', () => {
  const { stack } = newStack();
  warn(stack, WarningIds.LAYER_OVERLAP, 'two layers write /opt/x');
  Annotations.fromStack(stack).hasWarning('/TestStack', 'two layers write /opt/x [ack: cdk-lambda-container:layerOverlap]');
});

describe('requireDirectory and requireFile', () => {
  const dir = tempTree({ 'a.txt': 'a' });

  test('return the absolute path of what exists', () => {
    expect(requireDirectory('X', 'code', dir, 'fix it')).toBe(path.resolve(dir));
    expect(requireFile('X', 'dependencies', path.join(dir, 'a.txt'), 'fix it')).toBe(path.join(path.resolve(dir), 'a.txt'));
  });

  test('fail with the value given, where it resolved to, and the fix', () => {
    expect(() => requireDirectory('Stack/Fn', 'code', path.join(dir, 'a.txt'), 'give a directory'))
      .toThrow(`Stack/Fn: invalid code ${JSON.stringify(path.join(dir, 'a.txt'))}: no such directory (resolved to ${path.join(path.resolve(dir), 'a.txt')}). Fix: give a directory.`);
    expect(() => requireFile('Stack/Fn', 'dependencies', dir, 'give a file')).toThrow(/invalid dependencies .*: no such file \(resolved to .*\)\. Fix: give a file\.$/);
  });
});
