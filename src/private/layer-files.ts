/**
 * The files of a layer known at synth: a directory's or a layer .zip's, with their modes, and
 * their content hash. Read from the host file system; no CDK constructs.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import AdmZip from 'adm-zip';
import { IgnoreStrategy } from 'aws-cdk-lib';
import { knownFiles, LayerFile, LayerPlan, permissionBits } from './layer-plan';
import { fail, requireDirectory } from './problems';

/**
 * Every file under a directory but the excluded ones (symlinks kept as links), sorted, with its
 * mode. `prop` names the factory argument in problems.
 */
export function directoryFiles(directory: string, prop: string, exclude: readonly string[]): LayerFile[] {
  const root = requireDirectory(undefined, prop, directory, 'give the directory holding the layer\'s files, relative to where `cdk synth` runs or absolute');
  const ignore = IgnoreStrategy.glob(root, [...exclude]);
  const files: LayerFile[] = [];
  const walk = (dir: string, rel: string) => {
    for (const name of fs.readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      if (ignore.ignores(full)) continue;
      const relativePath = rel ? `${rel}/${name}` : name;
      const stat = fs.lstatSync(full);
      if (stat.isSymbolicLink()) {
        files.push({ relativePath, mode: 0o777, size: 0, source: full, linkTarget: fs.readlinkSync(full) });
      } else if (stat.isDirectory()) {
        walk(full, relativePath);
      } else if (stat.isFile()) {
        files.push({ relativePath, mode: permissionBits(stat.mode), size: stat.size, source: full });
      }
    }
  };
  walk(root, '');
  return files;
}

/** The files of a layer .zip (directories implied), with the unix modes it records. */
export function zipFiles(zipPath: string, prop: string): LayerFile[] {
  let entries: AdmZip.IZipEntry[];
  try {
    entries = new AdmZip(path.resolve(zipPath)).getEntries();
  } catch (e) {
    fail(undefined, { prop, value: JSON.stringify(zipPath), message: `not a readable .zip file (${(e as Error).message})`, fix: 'give the layer\'s .zip file or its directory' });
  }
  return entries
    .filter(e => !e.isDirectory)
    .map(e => {
      const relativePath = path.posix.normalize(e.entryName);
      if (relativePath.startsWith('../') || relativePath.startsWith('/')) {
        fail(undefined, { prop, value: JSON.stringify(zipPath), message: `its entry ${JSON.stringify(e.entryName)} points outside the layer`, fix: 'rebuild the .zip with relative paths' });
      }
      const unixMode = permissionBits(Math.floor(e.attr / 0x10000)); // the high 16 bits hold st_mode
      const data = e.getData();
      // Zips made on Windows record no unix mode: files are readable, extensions executable.
      const mode = unixMode || (relativePath.startsWith('extensions/') ? 0o755 : 0o644);
      return { relativePath, mode, size: data.length, source: data };
    })
    .sort((a, b) => (a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0));
}

const contentHashes = new WeakMap<LayerPlan, string>();

/** The content hash of a layer's files: relative paths, modes, link targets and bytes (memoized per plan). */
export function layerContentHash(plan: LayerPlan): string {
  const known = contentHashes.get(plan);
  if (known) return known;
  const h = crypto.createHash('sha256');
  const add = (s: string | Uint8Array) => h.update(s).update('\0');
  add(plan.destination);
  for (const file of knownFiles(plan)) {
    add(file.relativePath);
    add(file.mode.toString(8));
    if (file.linkTarget !== undefined) add(`-> ${file.linkTarget}`);
    else add(typeof file.source === 'string' ? fs.readFileSync(file.source) : file.source);
  }
  const hash = h.digest('hex');
  contentHashes.set(plan, hash);
  return hash;
}
