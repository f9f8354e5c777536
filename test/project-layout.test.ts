/**
 * The layout CONTRIBUTING.md describes is the layout there is: every source file is named in its
 * "Project layout" block, in the folder the block puts it in, and everything the block names
 * exists; every source module has its test file, except the types-only ones.
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const SRC = path.join(ROOT, 'src');
const TYPES_ONLY = ['index.ts', 'types.ts', 'private/image-source.ts', 'dockerfile/model.ts'];

/** src-relative paths of the source files. */
function sourceFiles(dir = SRC, prefix = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => (e.isDirectory()
    ? sourceFiles(path.join(dir, e.name), `${prefix}${e.name}/`)
    : e.name.endsWith('.ts') ? [`${prefix}${e.name}`] : []));
}

/** The src/ part of the layout block: `folder/` lines open a folder, `name.ts` entries sit in the folder above them by indentation. */
function layoutBlock(): { listed: string[]; text: Record<string, string> } {
  const doc = fs.readFileSync(path.join(ROOT, 'CONTRIBUTING.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Project layout'));
  const block = section.slice(section.indexOf('```\nsrc/\n') + 4, section.indexOf('\ntest/'));
  const listed: string[] = [];
  const text: Record<string, string> = {};
  let folder = '';
  for (const line of block.split('\n').slice(1)) {
    const m = /^( {2,4})(\S.*?)(\s{2,}.*)?$/.exec(line);
    if (!m || m[1].length > 4) {
      if (folder && line.trim()) text[folder] += ` ${line.trim()}`; // a description's continuation
      continue;
    }
    const entry = m[2];
    const inFolder = m[1].length === 4 ? folder : '';
    if (entry.endsWith('/')) {
      folder = entry;
      text[folder] = m[3] ?? '';
      continue;
    }
    if (m[1].length === 2) folder = '';
    listed.push(...entry.split(/,\s*/).map(name => `${inFolder}${name}`));
  }
  return { listed, text };
}

describe('the project layout in CONTRIBUTING.md', () => {
  const files = sourceFiles();
  const { listed, text } = layoutBlock();

  test('names files that exist, where they are', () => {
    expect(listed.length).toBeGreaterThan(20);
    expect(listed.filter(f => !files.includes(f))).toEqual([]);
  });

  test('names every file at the top of src/ and in src/private/, and every module of dockerfile/ and cli/', () => {
    const described = (f: string) => {
      const [folder, name] = f.includes('/') ? [f.slice(0, f.indexOf('/') + 1), path.basename(f, '.ts')] : ['', f];
      return folder === '' || folder === 'private/' ? listed.includes(f) : new RegExp(`\\b${name}\\b`).test(text[folder] ?? '');
    };
    expect(files.filter(f => !described(f))).toEqual([]);
  });
});

test('every source module has a test file named after it, but the types-only ones', () => {
  const missing = sourceFiles()
    .filter(f => !TYPES_ONLY.includes(f))
    .filter(f => !fs.existsSync(path.join(__dirname, f.replace(/\.ts$/, '.test.ts'))));
  expect(missing).toEqual([]);
  for (const f of TYPES_ONLY) expect(fs.readFileSync(path.join(SRC, f), 'utf8')).not.toMatch(/^\s*(export )?(async )?function /m);
});
