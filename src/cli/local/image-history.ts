/**
 * `cdk-lambda-container layers <function>`: the image's layers with their size and the step that
 * made each, and which of them a code-only change rebuilds (everything from the step that copies
 * the code, as a stable → volatile Dockerfile keeps it last).
 */
import * as fs from 'fs';
import * as path from 'path';
import { findFunction } from './assembly';
import { engineRun, findEngine } from './engine';
import { buildFunction, localTag } from './image-build';
import { parseDockerfile } from '../../dockerfile/parse';

/** One entry of an image's history, oldest first. */
export interface HistoryEntry {
  readonly createdBy: string;
  readonly size: number;
}

export interface LayerRow {
  readonly size: number;
  readonly step: string;
  readonly from: 'base image' | 'Dockerfile';
  readonly rebuiltOnCodeChange: boolean;
}

/** The instructions of the final stage of a Dockerfile (continuations joined, comments and ARGs dropped). */
export function finalStageSteps(dockerfile: string): string[] {
  const { instructions } = parseDockerfile(dockerfile);
  const last = Math.max(-1, ...instructions.map(i => i.stage));
  return instructions
    .filter(i => i.stage === last && i.keyword !== 'FROM' && i.keyword !== 'ARG')
    .map(i => `${i.keyword} ${i.args}`.replace(/\s+/g, ' ').trim());
}

/** Index (in `steps`) of the step a code change invalidates first, if recognisable. */
export function codeStepIndex(steps: string[]): number | undefined {
  const copyCode = steps.findIndex(s => /^COPY\s+(--\S+\s+)*code\//i.test(s));
  if (copyCode >= 0) return copyCode;
  // Compiled languages: the code is built in a stage and copied from it.
  const copyBuilt = steps.findIndex(s => /^COPY\s+(--\S+\s+)*--from=build\s/i.test(s));
  return copyBuilt >= 0 ? copyBuilt : undefined;
}

/** Joins an image's history (oldest first) with its Dockerfile's final-stage steps. */
export function describeLayers(history: HistoryEntry[], steps: string[]): LayerRow[] {
  const own = Math.min(steps.length, history.length);
  const firstOwn = history.length - own;
  const codeStep = codeStepIndex(steps.slice(steps.length - own));
  return history.map((entry, i): LayerRow => {
    const ownIndex = i - firstOwn;
    if (ownIndex >= 0) {
      const step = steps[steps.length - own + ownIndex];
      return { size: entry.size, step, from: 'Dockerfile', rebuiltOnCodeChange: codeStep !== undefined && ownIndex >= codeStep };
    }
    const step = entry.createdBy.replace(/^\/bin\/sh -c #\(nop\)\s*/, '').replace(/^\/bin\/sh -c /, 'RUN ').trim();
    return { size: entry.size, step, from: 'base image', rebuiltOnCodeChange: false };
  });
}

export function formatLayers(title: string, rows: LayerRow[]): string {
  const total = rows.reduce((n, r) => n + r.size, 0);
  const rebuilt = rows.filter(r => r.rebuiltOnCodeChange);
  const lines = [
    `${title} (${rows.length} history entries, ${formatBytes(total)})`,
    `  ${'#'.padEnd(4)}${'size'.padEnd(11)}${'from'.padEnd(12)}step`,
  ];
  rows.forEach((r, i) => {
    const step = r.step.length > 100 ? `${r.step.slice(0, 97)}...` : r.step;
    lines.push(`  ${String(i + 1).padEnd(4)}${formatBytes(r.size).padEnd(11)}${r.from.padEnd(12)}${step}${r.rebuiltOnCodeChange ? '   <- rebuilt by a code-only change' : ''}`);
  });
  lines.push(rebuilt.length > 0
    ? `A code-only change rebuilds ${rebuilt.filter(r => r.size > 0).length} layer(s), ${formatBytes(rebuilt.reduce((n, r) => n + r.size, 0))} of ${formatBytes(total)}; the steps above are reused from the cache.`
    : 'No step that copies the code was recognised: cannot tell which layers a code change rebuilds.');
  return lines.join('\n');
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${bytes} B`;
}

/** Builds (unless told not to) and describes the layers of a function's image. */
export async function functionLayers(
  assemblyDir: string,
  functionName: string,
  options: { engine?: string; build?: boolean; buildProgress?: boolean } = {},
): Promise<{ title: string; rows: LayerRow[] }> {
  const fn = findFunction(assemblyDir, functionName);
  if (!fn.asset) {
    throw new Error(`${fn.path} uses an existing image (${JSON.stringify(fn.imageUri)}): layers describes images built from the assembly.`);
  }
  const engine = options.engine ?? findEngine();
  if (options.build !== false) {
    await buildFunction(assemblyDir, functionName, { engine, quiet: !options.buildProgress });
  }
  const tag = localTag(fn.asset);
  const raw = JSON.parse(await engineRun(engine, ['image', 'history', '--no-trunc', '--human=false', '--format', 'json', tag]));
  // Engines print newest first; podman names the fields CreatedBy/size, docker CreatedBy/Size.
  const history: HistoryEntry[] = (raw as any[]).map(h => ({ createdBy: String(h.CreatedBy ?? h.createdBy ?? ''), size: Number(h.size ?? h.Size ?? 0) })).reverse();
  const dockerfile = fs.readFileSync(path.join(fn.asset.directory, fn.asset.dockerFile), 'utf8');
  return { title: `${fn.path}: ${tag}`, rows: describeLayers(history, finalStageSteps(dockerfile)) };
}
