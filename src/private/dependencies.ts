/**
 * Dependency manifests: what each kind copies into the image and how it installs, before the
 * function code (stable → volatile). Pure: file existence is checked by the caller.
 */

/** The package managers this library knows how to install with. */
export type DependencyKind = 'pip' | 'npm' | 'bundler' | 'go';

export interface DependencyKindInfo {
  readonly kind: DependencyKind;
  /** The language whose base images can install it. */
  readonly language: 'python' | 'nodejs' | 'ruby' | 'go';
  /** Files copied beside the manifest when present (lockfiles). */
  readonly companions: readonly string[];
  /** Companions of which at least one must exist (npm ci needs a lockfile). */
  readonly requiredCompanion?: readonly string[];
  /** The manifest looked for at the top of a code directory on a base image of this language. */
  readonly detected: string;
}

const KINDS: readonly DependencyKindInfo[] = [
  { kind: 'pip', language: 'python', companions: [], detected: 'requirements.txt' },
  {
    kind: 'npm',
    language: 'nodejs',
    companions: ['package-lock.json', 'npm-shrinkwrap.json'],
    requiredCompanion: ['package-lock.json', 'npm-shrinkwrap.json'],
    detected: 'package.json',
  },
  { kind: 'bundler', language: 'ruby', companions: ['Gemfile.lock'], detected: 'Gemfile' },
  { kind: 'go', language: 'go', companions: ['go.sum'], detected: 'go.mod' },
];

/** The kind of a dependency manifest, from its file name; undefined when unknown. */
export function dependencyKindOf(fileName: string): DependencyKindInfo | undefined {
  let kind: DependencyKind | undefined;
  if (/^requirements.*\.txt$/.test(fileName)) kind = 'pip';
  else if (fileName === 'package.json') kind = 'npm';
  else if (fileName === 'Gemfile') kind = 'bundler';
  else if (fileName === 'go.mod') kind = 'go';
  return KINDS.find(k => k.kind === kind);
}

/** Whether a file name is a dependency manifest or lockfile of a kind this library installs. */
export function isDependencyFile(fileName: string): boolean {
  return dependencyKindOf(fileName) !== undefined || KINDS.some(k => k.companions.includes(fileName));
}

/** The manifest names this library recognises, for error messages. */
export const KNOWN_MANIFESTS = 'requirements.txt (pip), package.json with package-lock.json (npm ci), Gemfile (bundler), go.mod (go)';

/**
 * Shell commands that install the manifest's dependencies into `targetDir`, run with the
 * manifest files already copied into `targetDir` and WORKDIR set to it.
 */
export function installCommands(kind: DependencyKind, manifest: string, targetDir: string): string[] {
  switch (kind) {
    case 'pip':
      return [`pip install --no-cache-dir --target "${targetDir}" -r "${targetDir}/${manifest}"`];
    case 'npm':
      return ['npm ci --omit=dev --no-audit --no-fund', 'npm cache clean --force'];
    case 'bundler':
      return ['bundle config set --local deployment true', 'bundle config set --local without development:test', 'bundle install'];
    case 'go':
      return ['go mod download'];
  }
}

/** What a code directory's top level holds in dependency files, for the base image's language. */
export interface DetectedDependencies {
  /** The manifest to install (the base image's language; a package.json only when it declares dependencies). */
  readonly manifest?: string;
  /** Manifests of another language: an error (they would not be installed, the build would not fail). */
  readonly foreign: ReadonlyArray<{ readonly file: string; readonly kind: DependencyKind; readonly language: string }>;
  /** Dependencies declared in a form this library does not install: an error, with why and the fix. */
  readonly unsupported?: { readonly file: string; readonly why: string; readonly fix: string };
  /** Files that may declare dependencies that are not installed: a warning. */
  readonly notInstalled: readonly string[];
}

/** Whether a package.json declares runtime dependencies (an unreadable one counts as declaring). */
export function packageJsonDeclaresDependencies(text: string): boolean {
  try {
    const deps = JSON.parse(text).dependencies;
    return deps !== null && typeof deps === 'object' && Object.keys(deps).length > 0;
  } catch {
    return true;
  }
}

/**
 * Finds the dependency manifest of a code directory as aws-lambda-python-alpha and NodejsFunction
 * do: `requirements.txt`, `package.json` (with its lockfile), `Gemfile`, `go.mod` at its top level,
 * for the base image's language (`language` undefined or another language: nothing is detected).
 * `names` are the directory's (not excluded) file names; `read` reads one of them.
 */
export function detectDependencies(names: readonly string[], language: string | undefined, read: (name: string) => string): DetectedDependencies {
  const info = KINDS.find(k => k.language === language);
  if (info === undefined) return { foreign: [], notInstalled: [] };
  const own = info.detected;
  const has = (name: string) => names.includes(name);
  const declares = (name: string) => has(name) && (name !== 'package.json' || packageJsonDeclaresDependencies(read(name)));
  const foreign = KINDS.filter(k => k !== info && declares(k.detected)).map(k => ({ file: k.detected, kind: k.kind, language: k.language }));
  const notInstalled = language === 'python' && !has(own) && has('pyproject.toml') ? ['pyproject.toml'] : [];
  if (!declares(own)) return { foreign, notInstalled };
  if (info.requiredCompanion && !info.requiredCompanion.some(has)) {
    const other = ['yarn.lock', 'pnpm-lock.yaml'].find(has);
    return {
      foreign,
      notInstalled,
      unsupported: other
        ? { file: own, why: `its lockfile is ${other}, and the image installs with \`npm ci\`, which needs package-lock.json`, fix: 'add a package-lock.json (`npm install --package-lock-only`), install the dependencies in your own Dockerfile (FunctionImage.fromImageAsset), or set detectDependencies: false' }
        : { file: own, why: 'it declares dependencies and has no package-lock.json or npm-shrinkwrap.json beside it (the image installs with `npm ci`, which needs a lockfile)', fix: 'run `npm install` in the code directory and keep the lockfile, or set detectDependencies: false' },
    };
  }
  return { manifest: own, foreign, notInstalled };
}
