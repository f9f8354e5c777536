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

/** src-relative modules that `file` imports or re-exports from src/ (type-only imports included). */
function localImports(file: string): string[] {
  const text = fs.readFileSync(path.join(SRC, file), 'utf8');
  return [...text.matchAll(/^(?:import|export)\b[^;]*?\bfrom '(\.[^']*)'/gms)].flatMap(([, spec]) => {
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
    return [`${target}.ts`, `${target}/index.ts`].filter(f => fs.existsSync(path.join(SRC, f)));
  });
}

/** Every import cycle among `files`, each as the path that closes it. */
function importCycles(files: string[], importsOf: (f: string) => string[]): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[][] = [];
  const visit = (f: string, trail: string[]) => {
    state.set(f, 'open');
    for (const next of importsOf(f)) {
      if (state.get(next) === 'open') cycles.push([...trail.slice(trail.indexOf(next)), f, next]);
      else if (!state.has(next)) visit(next, [...trail, f]);
    }
    state.set(f, 'done');
  };
  for (const f of files) if (!state.has(f)) visit(f, []);
  return cycles;
}

// eslint's import/no-cycle skips `import type`; this checks the whole graph, as the architecture
// review asked ("the import graph has no circle").
test('src/ has no import cycle, type-only imports included', () => {
  const files = sourceFiles();
  expect(importCycles(files, localImports)).toEqual([]);
  // The check sees cycles: a.ts -> b.ts -> a.ts, and the real graph has edges to walk.
  expect(importCycles(['a.ts', 'b.ts'], f => (f === 'a.ts' ? ['b.ts'] : ['a.ts']))).toEqual([['a.ts', 'b.ts', 'a.ts']]);
  expect(localImports('function.ts')).toEqual(expect.arrayContaining(['function-image.ts', 'private/in-use-marker.ts']));
  expect(localImports('private/generated-image.ts')).toContain('types.ts');
});
