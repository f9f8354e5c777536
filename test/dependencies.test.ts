import { dependencyKindOf, installCommands } from '../src/dependencies';

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
