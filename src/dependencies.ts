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
}

const KINDS: readonly DependencyKindInfo[] = [
  { kind: 'pip', language: 'python', companions: [] },
  { kind: 'npm', language: 'nodejs', companions: ['package-lock.json', 'npm-shrinkwrap.json'], requiredCompanion: ['package-lock.json', 'npm-shrinkwrap.json'] },
  { kind: 'bundler', language: 'ruby', companions: ['Gemfile.lock'] },
  { kind: 'go', language: 'go', companions: ['go.sum'] },
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
