import * as fs from 'fs';
import * as path from 'path';
import { WarningIds } from '../src/warnings';

const PREFIX = 'cdk-lambda-container:';
const ids = Object.entries(WarningIds) as Array<[string, string]>;

/** Every .ts file under src/ but warnings.ts itself, with its text. */
function sourceFiles(dir = path.join(__dirname, '..', 'src')): Array<{ file: string; text: string }> {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const file = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(file);
    return e.name.endsWith('.ts') && e.name !== 'warnings.ts' ? [{ file, text: fs.readFileSync(file, 'utf8') }] : [];
  });
}

describe('WarningIds', () => {
  test('has the ids users acknowledge, each unique', () => {
    expect(ids.length).toBeGreaterThanOrEqual(11);
    expect(new Set(ids.map(([, id]) => id)).size).toBe(ids.length);
  });

  test('every id is cdk-lambda-container: then camelCase, the constant\'s name in camelCase', () => {
    for (const [name, id] of ids) {
      expect(id.startsWith(PREFIX)).toBe(true);
      const rest = id.slice(PREFIX.length);
      expect(rest).toMatch(/^[a-z]+(?:[A-Z0-9][a-z0-9]*)*$/);
      expect(rest.replace(/([A-Z]|[0-9]+)/g, '_$1').toUpperCase()).toBe(name);
    }
  });

  test('every id is reported somewhere in src/', () => {
    const files = sourceFiles();
    const unused = ids.filter(([name, id]) => !files.some(f => f.text.includes(`WarningIds.${name}`) || f.text.includes(`'${id}'`)));
    expect(unused.map(([name]) => name)).toEqual([]);
  });

  test('every id has a row in the README\'s Warnings table (constant and id)', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    const start = readme.indexOf('\n### Warnings\n');
    expect(start).toBeGreaterThanOrEqual(0);
    const end = readme.indexOf('\n## ', start + 1);
    const section = readme.slice(start, end < 0 ? undefined : end);
    // The table's header says the ids are under `cdk-lambda-container:`; each row names the rest.
    expect(section).toContain(`(\`${PREFIX}…\`)`);
    const missing = ids.filter(([name, id]) => !new RegExp(`^\\| \`${name}\` \\| \`${id.slice(PREFIX.length)}\` \\|`, 'm').test(section));
    expect(missing.map(([, id]) => id)).toEqual([]);
  });
});
