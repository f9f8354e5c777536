/**
 * `--watch` of the local endpoints: when a source file of the app changes, the app is synthesized
 * again (debounced; one synth at a time); the endpoints then see the new assembly on the next
 * request, and a function whose image changed gets new containers built from it (the engine's
 * cache rebuilds only the layers that changed).
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export interface WatchOptions {
  /** The directory watched (recursively). */
  readonly directory: string;
  /** The command that synthesizes the app, run in `directory` through the shell. */
  readonly synthCommand: string;
  /** Path parts never watched. @default cdk.out, node_modules, .git and dot-folders */
  readonly ignore?: (relativePath: string) => boolean;
  /** Milliseconds of quiet before a synth. @default 300 */
  readonly debounceMs?: number;
  readonly log?: (line: string) => void;
}

const IGNORED = /(^|\/)(cdk\.out|node_modules|\.git|__pycache__|\.[^/]+)(\/|$)/;

/** Starts watching; the returned function stops it. */
export function watchAndSynth(options: WatchOptions): () => void {
  const ignore = options.ignore ?? ((rel: string) => IGNORED.test(rel));
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let again = false;
  const synth = () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    const started = Date.now();
    options.log?.(`watch: a source changed: ${options.synthCommand}`);
    const child = spawn(options.synthCommand, { cwd: options.directory, shell: true, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('close', code => {
      running = false;
      options.log?.(code === 0
        ? `watch: synthesized in ${((Date.now() - started) / 1000).toFixed(1)} s; changed images are rebuilt on their next request`
        : `watch: the synth failed (exit ${code}), the endpoints keep the last assembly:\n${stderr.trim().slice(-2000)}`);
      if (again) {
        again = false;
        synth();
      }
    });
  };
  const watcher = fs.watch(options.directory, { recursive: true }, (_event, file) => {
    const rel = String(file ?? '').split(path.sep).join('/');
    if (!rel || ignore(rel)) return;
    clearTimeout(timer);
    timer = setTimeout(synth, options.debounceMs ?? 300);
  });
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}
