import { AMAZON_LINUX_2_END_OF_LIFE, daysBetween, DEPRECATIONS, deprecationNotices, findDeprecation } from '../../src/private/runtime-deprecations';
import { WarningIds } from '../../src/warnings';

describe('DEPRECATIONS table', () => {
  test('has one row per family and version, each with a valid ISO date and a replacement', () => {
    const keys = DEPRECATIONS.map(d => `${d.family}:${d.version}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const d of DEPRECATIONS) {
      expect(d.deprecatedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(Number.isNaN(Date.parse(d.deprecatedOn))).toBe(false);
      expect(d.replacement.length).toBeGreaterThan(0);
    }
  });

  test('lists the runtimes the design names as deprecated', () => {
    for (const [family, version] of [['python', '3.8'], ['python', '3.9'], ['nodejs', '16'], ['nodejs', '18'], ['nodejs', '20'], ['go', '1'], ['provided', 'alami']]) {
      expect(findDeprecation(family, version)).toBeDefined();
    }
  });
});

describe('deprecationNotices', () => {
  test('reports a deprecated runtime with its date and replacement', () => {
    const [n] = deprecationNotices('python', '3.9', '2026-11-22');
    expect(n.id).toBe(WarningIds.RUNTIME_DEPRECATED);
    expect(n.message).toMatch(/2025-12-15/);
    expect(n.message).toMatch(/python\('3\.13'\)/);
  });

  test('warns ahead of a deprecation within 180 days, with the days left', () => {
    const [n] = deprecationNotices('nodejs', '22', '2026-11-22');
    expect(n.id).toBe(WarningIds.RUNTIME_DEPRECATION_SOON);
    expect(n.message).toMatch(/in 159 days/);
    expect(deprecationNotices('nodejs', '22', '2026-10-01')).toEqual([]);
  });

  test('adds the Amazon Linux 2 end-of-life notice only after 2026-06-30', () => {
    expect(deprecationNotices('provided', 'al2', '2026-06-29').map(n => n.id)).toEqual([WarningIds.RUNTIME_DEPRECATION_SOON]);
    expect(deprecationNotices('provided', 'al2', AMAZON_LINUX_2_END_OF_LIFE).map(n => n.id)).toEqual([WarningIds.RUNTIME_DEPRECATED, WarningIds.AMAZON_LINUX_2_END_OF_LIFE]);
  });

  test('says nothing for current runtimes and unknown versions', () => {
    expect(deprecationNotices('python', '3.13', '2026-11-22')).toEqual([]);
    expect(deprecationNotices('python', '4.0', '2026-11-22')).toEqual([]);
  });

  test('counts days across month ends', () => {
    expect(daysBetween('2026-01-31', '2026-03-01')).toBe(29);
  });
});
