import * as fc from 'fast-check';
import { IN_USE_TAG_PREFIX } from '../../src/private/lifecycle-policy';
import { checkRepositoryName, contentTag, defaultRepositoryName, lineageTagPrefix } from '../../src/private/repository-naming';

const HASH = 'a'.repeat(64);
const pathArb = fc.array(fc.string({ minLength: 1, maxLength: 30 }), { minLength: 1, maxLength: 4 }).map(parts => parts.join('/'));

describe('lineageTagPrefix', () => {
  test('names the construct path in a valid ECR tag with the content hash', () => {
    expect(lineageTagPrefix('LambdaContainerExample/Thumbnailer')).toMatch(/^lambdacontainerexample\.thumbnailer_[0-9a-f]{6}-$/);
    fc.assert(fc.property(pathArb, path => {
      expect(contentTag(lineageTagPrefix(path), HASH)).toMatch(/^[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,127}$/);
    }));
  });

  test('no lineage\'s prefix selects another lineage\'s tags or an in-use marker', () => {
    fc.assert(fc.property(pathArb, pathArb, (a, b) => {
      fc.pre(a !== b);
      expect(contentTag(lineageTagPrefix(b), HASH).startsWith(lineageTagPrefix(a))).toBe(false);
      expect(`${IN_USE_TAG_PREFIX}0123456789abcdef-0123456789abcdef`.startsWith(lineageTagPrefix(a))).toBe(false);
      expect(contentTag(lineageTagPrefix(a), HASH).startsWith(IN_USE_TAG_PREFIX)).toBe(false);
    }), { numRuns: 2000 });
  });
});

describe('defaultRepositoryName', () => {
  test('is a name ECR accepts for any construct path', () => {
    fc.assert(fc.property(pathArb, path => {
      expect(checkRepositoryName(defaultRepositoryName(path))).toEqual([]);
    }));
  });
});
