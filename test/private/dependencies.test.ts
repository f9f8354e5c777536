import { dependencyKindOf, detectDependencies, installCommands } from '../../src/private/dependencies';

describe('dependencyKindOf', () => {
  test.each([
    ['requirements.txt', 'pip', 'python'],
    ['requirements-prod.txt', 'pip', 'python'],
    ['package.json', 'npm', 'nodejs'],
    ['Gemfile', 'bundler', 'ruby'],
    ['go.mod', 'go', 'go'],
  ])('recognises %s as %s for %s', (file, kind, language) => {
    expect(dependencyKindOf(file)).toMatchObject({ kind, language });
  });

  test.each(['pom.xml', 'Pipfile', 'requirements.in', 'package-lock.json'])('does not recognise %s', file => {
    expect(dependencyKindOf(file)).toBeUndefined();
  });

  test('npm needs a lockfile companion, the others only copy theirs when present', () => {
    expect(dependencyKindOf('package.json')!.requiredCompanion).toEqual(['package-lock.json', 'npm-shrinkwrap.json']);
    expect(dependencyKindOf('Gemfile')!.requiredCompanion).toBeUndefined();
    expect(dependencyKindOf('go.mod')!.companions).toEqual(['go.sum']);
  });
});

describe('installCommands', () => {
  test('installs pip requirements into the target directory without a cache', () => {
    expect(installCommands('pip', 'requirements.txt', '/function')).toEqual(['pip install --no-cache-dir --target "/function" -r "/function/requirements.txt"']);
  });

  test('installs npm dependencies reproducibly from the lockfile, without dev dependencies', () => {
    expect(installCommands('npm', 'package.json', '/function')[0]).toBe('npm ci --omit=dev --no-audit --no-fund');
  });

  test('installs gems in deployment mode without development and test groups', () => {
    expect(installCommands('bundler', 'Gemfile', '/function')).toContain('bundle config set --local deployment true');
  });
});

describe('detectDependencies', () => {
  const read = (files: Record<string, string>) => (name: string) => files[name];
  const detect = (files: Record<string, string>, language: string | undefined) => detectDependencies(Object.keys(files), language, read(files));
  const NPM = { 'package.json': '{"dependencies":{"left-pad":"1.3.0"}}', 'package-lock.json': '{}' };

  test.each([
    ['python', { 'app.py': '', 'requirements.txt': 'boto3\n' }, 'requirements.txt'],
    ['nodejs', NPM, 'package.json'],
    ['ruby', { Gemfile: 'source "https://rubygems.org"\n' }, 'Gemfile'],
    ['go', { 'go.mod': 'module x\n' }, 'go.mod'],
  ])('finds the %s manifest', (language, files, manifest) => {
    expect(detect(files, language)).toEqual({ manifest, foreign: [], notInstalled: [] });
  });

  test('only the exact requirements.txt is detected (requirements-dev.txt is not the function\'s)', () => {
    expect(detect({ 'requirements-dev.txt': 'pytest\n' }, 'python').manifest).toBeUndefined();
  });

  test('a package.json that declares no dependencies installs nothing and needs no lockfile', () => {
    expect(detect({ 'package.json': '{"type":"module"}' }, 'nodejs')).toEqual({ foreign: [], notInstalled: [] });
    expect(detect({ 'package.json': '{"dependencies":{}}' }, 'nodejs').manifest).toBeUndefined();
  });

  test('a package.json with dependencies and no lockfile is not installable, with the fix', () => {
    expect(detect({ 'package.json': NPM['package.json'] }, 'nodejs').unsupported).toMatchObject({ file: 'package.json', fix: expect.stringMatching(/npm install.*detectDependencies: false/) });
    expect(detect({ 'package.json': NPM['package.json'], 'yarn.lock': '' }, 'nodejs').unsupported?.why).toMatch(/yarn\.lock.*npm ci.*package-lock\.json/);
    expect(detect({ 'package.json': NPM['package.json'], 'pnpm-lock.yaml': '' }, 'nodejs').unsupported?.why).toMatch(/pnpm-lock\.yaml/);
    // An unreadable package.json counts as declaring dependencies: npm ci would have to read it too.
    expect(detect({ 'package.json': '{not json' }, 'nodejs').unsupported).toBeDefined();
  });

  test('manifests of another language are reported, the base image\'s own is still installed', () => {
    expect(detect({ 'requirements.txt': 'x', ...NPM }, 'nodejs')).toEqual({
      manifest: 'package.json',
      foreign: [{ file: 'requirements.txt', kind: 'pip', language: 'python' }],
      notInstalled: [],
    });
    // A package.json without dependencies (tooling) beside Python code is not a foreign manifest.
    expect(detect({ 'requirements.txt': 'x', 'package.json': '{"scripts":{}}' }, 'python').foreign).toEqual([]);
  });

  test('pyproject.toml without requirements.txt is reported as not installed', () => {
    expect(detect({ 'pyproject.toml': '[project]\n' }, 'python')).toEqual({ foreign: [], notInstalled: ['pyproject.toml'] });
    expect(detect({ 'pyproject.toml': '', 'requirements.txt': 'x' }, 'python').notInstalled).toEqual([]);
  });

  test.each([undefined, 'java', 'dotnet', 'provided'])('detects nothing for a base image of language %s', language => {
    expect(detect({ 'requirements.txt': 'x', ...NPM, 'go.mod': '' }, language)).toEqual({ foreign: [], notInstalled: [] });
  });
});
