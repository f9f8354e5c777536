/**
 * Deterministic, minimal build contexts for generated images, staged once per content.
 *
 * A generated context holds only the Dockerfile, the dependency manifest (and lockfile) under
 * `deps/` and the code directory under `code/`. Its hash covers exactly those bytes, so functions
 * with identical image content get one staged directory, one asset, one build and one push, and
 * a change that does not change the image (another CMD, another memory size) changes nothing.
 *
 * Written by hand rather than through `DockerImageAsset`: the context does not exist anywhere
 * before synth, and staging it straight into the cloud assembly avoids a second fingerprint and
 * a second copy of every distinct context.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { FileSystem, IgnoreMode, SymlinkFollowMode } from 'aws-cdk-lib';
import { CONTEXT_CODE_DIR, CONTEXT_DEPS_DIR } from './image-recipe';
import { LayerFile } from './layer-plan';

/** Bumped when the layout or hashing of generated contexts changes. */
const CONTEXT_FORMAT = 'cdk-lambda-container/context/v1';

/** Excluded from every code directory unless the user gives their own `exclude`. */
export const DEFAULT_CODE_EXCLUDES: readonly string[] = [
  '.git', 'node_modules', '__pycache__', '*.pyc', '.venv', 'cdk.out', '.DS_Store', '.pytest_cache',
];

/** What a generated build context contains. */
export interface ContextSpec {
  readonly dockerfile: string;
  /** Where the Dockerfile goes in the context. @default 'Dockerfile' */
  readonly dockerfileName?: string;
  /**
   * A build context of your own, copied at the context's root (Docker ignore rules: `exclude`
   * holds what `.dockerignore` says), under the Dockerfile and the layers. Used when layers are
   * added to your Dockerfile.
   */
  readonly baseContext?: { readonly dir: string; readonly exclude: readonly string[] };
  /** The function code directory; undefined for images without code (layer images). */
  readonly codeDir?: string;
  readonly codeExclude: readonly string[];
  /** Dependency files (manifest first), copied flat into `deps/`. */
  readonly dependencyFiles: readonly string[];
  /** Anything else that changes the built image without being in the context (e.g. the platform). */
  readonly extraHash: string;
  /** Extension layers' files, each under its own context folder at their full image path, with their content hash. */
  readonly layers?: readonly StagedLayer[];
  /** Other files of the context: `name` (a context path) copied from the host file `source`. */
  readonly files?: ReadonlyArray<{ readonly name: string; readonly source: string }>;
}

/** A layer's files as a context holds them: `dir/<destination>/<relative path>`. */
export interface StagedLayer {
  readonly dir: string;
  readonly hash: string;
  readonly destination: string;
  readonly files: readonly LayerFile[];
}

/**
 * Modification time of every staged layer file and folder (2000-01-01T00:00:00Z). COPY keeps
 * the context's timestamps, so fixing them makes one layer byte-identical in every function and
 * on every machine: a repository stores it once.
 */
export const LAYER_MTIME = new Date('2000-01-01T00:00:00Z');

/** Fingerprint and copy see the same files: globs (or Docker ignore rules) excluded, symlinks kept as links. */
function copyOptions(exclude: readonly string[], ignoreMode = IgnoreMode.GLOB) {
  return { exclude: [...exclude], ignoreMode, follow: SymlinkFollowMode.NEVER };
}

/**
 * Fingerprint of a directory's content (names, modes, bytes), memoized per path and exclude list
 * in `memo`: 200 functions on one code directory fingerprint it once. Callers keep one memo per
 * synthesis (per App), so a process that synthesizes again after a change sees the change.
 */
export function directoryFingerprint(
  dir: string, exclude: readonly string[], memo = new Map<string, string>(), ignoreMode = IgnoreMode.GLOB,
): string {
  const key = `${path.resolve(dir)}\0${ignoreMode}\0${exclude.join('\0')}`;
  let fp = memo.get(key);
  if (!fp) {
    fp = FileSystem.fingerprint(dir, copyOptions(exclude, ignoreMode));
    memo.set(key, fp);
  }
  return fp;
}

/** The content hash of a context: what the asset and its image tag are named after. */
export function contextHash(spec: ContextSpec, memo?: Map<string, string>): string {
  const h = crypto.createHash('sha256');
  const add = (s: string) => h.update(s).update('\0');
  add(CONTEXT_FORMAT);
  add(spec.dockerfile);
  if (spec.dockerfileName !== undefined) add(`file ${spec.dockerfileName}`);
  if (spec.baseContext) add(`context ${directoryFingerprint(spec.baseContext.dir, spec.baseContext.exclude, memo, IgnoreMode.DOCKER)}`);
  add(spec.extraHash);
  add(spec.codeDir ? directoryFingerprint(spec.codeDir, spec.codeExclude, memo) : '(no code)');
  for (const file of spec.dependencyFiles) {
    add(path.basename(file));
    add(crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex'));
  }
  for (const layer of spec.layers ?? []) {
    add(layer.dir);
    add(layer.hash);
  }
  for (const file of spec.files ?? []) {
    add(file.name);
    add(crypto.createHash('sha256').update(fs.readFileSync(file.source)).digest('hex'));
  }
  return h.digest('hex');
}

/**
 * Writes the context into `outdir/asset.<hash>` unless it is already there. Written to a
 * temporary sibling first and renamed, so an interrupted synth never leaves half a context.
 * Returns the directory name relative to `outdir`.
 */
export function stageContext(outdir: string, hash: string, spec: ContextSpec): string {
  const name = `asset.${hash}`;
  const target = path.join(outdir, name);
  if (fs.existsSync(target)) {
    return name;
  }
  const tmp = `${target}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  if (spec.baseContext) {
    FileSystem.copyDirectory(spec.baseContext.dir, tmp, copyOptions(spec.baseContext.exclude, IgnoreMode.DOCKER));
  }
  const dockerfile = path.join(tmp, spec.dockerfileName ?? 'Dockerfile');
  fs.mkdirSync(path.dirname(dockerfile), { recursive: true });
  fs.writeFileSync(dockerfile, spec.dockerfile);
  if (spec.dependencyFiles.length > 0) {
    fs.mkdirSync(path.join(tmp, CONTEXT_DEPS_DIR));
    for (const file of spec.dependencyFiles) {
      fs.copyFileSync(file, path.join(tmp, CONTEXT_DEPS_DIR, path.basename(file)));
    }
  }
  if (spec.codeDir) {
    const codeTarget = path.join(tmp, CONTEXT_CODE_DIR);
    fs.mkdirSync(codeTarget);
    FileSystem.copyDirectory(spec.codeDir, codeTarget, copyOptions(spec.codeExclude));
  }
  stageLayerFiles(tmp, spec.layers ?? [], spec.files ?? []);
  try {
    fs.renameSync(tmp, target);
  } catch (e) {
    // Another process staged the same content first: theirs is identical.
    fs.rmSync(tmp, { recursive: true, force: true });
    if (!fs.existsSync(target)) throw e;
  }
  return name;
}

/** Writes the layers' files and the other context files (e.g. the fetch script) into a context. */
export function stageLayerFiles(context: string, layers: readonly StagedLayer[], files: NonNullable<ContextSpec['files']>): void {
  for (const layer of layers) {
    stageLayer(path.join(context, layer.dir), layer.destination, layer.files);
  }
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(context, file.name)), { recursive: true });
    fs.copyFileSync(file.source, path.join(context, file.name));
  }
}

/**
 * Writes a layer's files under `root` at their full image path (`root/opt/extensions/x`), with
 * their modes and a fixed modification time on files, links and every folder up to `root`.
 */
function stageLayer(root: string, destination: string, files: readonly LayerFile[]): void {
  const base = path.join(root, ...destination.split('/').filter(Boolean));
  fs.mkdirSync(base, { recursive: true });
  const dirs = new Set<string>([root]);
  for (let d = base; d.startsWith(root) && d !== root; d = path.dirname(d)) dirs.add(d);
  for (const file of files) {
    const target = path.join(base, ...file.relativePath.split('/'));
    for (let d = path.dirname(target); d.startsWith(root) && !dirs.has(d); d = path.dirname(d)) dirs.add(d);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    if (file.linkTarget !== undefined) {
      fs.symlinkSync(file.linkTarget, target);
      fs.lutimesSync(target, LAYER_MTIME, LAYER_MTIME);
      continue;
    }
    if (typeof file.source === 'string') fs.copyFileSync(file.source, target);
    else fs.writeFileSync(target, file.source);
    fs.chmodSync(target, file.mode);
    fs.utimesSync(target, LAYER_MTIME, LAYER_MTIME);
  }
  for (const dir of dirs) {
    fs.chmodSync(dir, 0o755);
    fs.utimesSync(dir, LAYER_MTIME, LAYER_MTIME);
  }
}
