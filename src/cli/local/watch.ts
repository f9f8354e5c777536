/**
 * `--watch` and `--reload` of the local endpoints.
 *
 * `--watch`: when a source file of the app changes, the app is synthesized again (debounced; one
 * synth at a time); the endpoints then see the new assembly on the next request, and a function
 * whose image changed gets new containers built from it (the engine's cache rebuilds only the
 * layers that changed).
 *
 * `--reload` adds the mounted functions' code directories (watched too when they are outside the
 * app's directory): a code change recycles those functions' containers at once, with no synth
 * and no build; what else changes goes through the synth (see reload-plan.ts for which is
 * which). Requests wait for a synth in flight (`settled`), so none is answered from an assembly
 * older than a change it follows.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { appChangeMatters, decideChange, Excluder, MountPlan, ReloadPlan } from './reload-plan';

export interface WatchOptions {
  /** The directory watched (recursively). */
  readonly directory: string;
  /** The command that synthesizes the app, run in `directory` through the shell. */
  readonly synthCommand: string;
  /** Milliseconds of quiet before a synth. @default 300 */
  readonly debounceMs?: number;
  readonly log?: (line: string) => void;
  /** `--reload`: the functions' plans now, what recycles them, and the code layers' exclude matcher. */
  readonly reload?: {
    readonly plans: () => readonly ReloadPlan[];
    readonly recycle: (functions: readonly string[]) => void;
    readonly excluded: Excluder;
  };
  /** Called after each successful synth (the plans may have changed). */
  readonly onSynthesized?: () => void;
}

/** Watches the app (and with `--reload` the code directories); `close` stops it. */
export class AppWatcher {
  private timer?: NodeJS.Timeout;
  private running = false;
  private again = false;
  private readonly watchers = new Map<string, fs.FSWatcher>();
  private waiting: Array<() => void> = [];
  private closed = false;
  private lastChange = '';

  constructor(private readonly options: WatchOptions) {
    this.watch(options.directory);
    this.watchCodeDirectories();
  }

  /** Resolves once no synth is due or running. */
  public settled(): Promise<void> {
    if (!this.timer && !this.running) return Promise.resolve();
    return new Promise(resolve => this.waiting.push(resolve));
  }

  public close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
    this.release();
  }

  /** What a change of `file` (absolute) does. */
  public changed(file: string): void {
    const reload = this.options.reload;
    const plans = reload?.plans() ?? [];
    const decision = decideChange(plans, file, reload?.excluded ?? (() => false));
    if (decision.action === 'recycle') {
      reload!.recycle(decision.functions);
    } else if (decision.action === 'rebuild') {
      const underCode = plans.some(p => p.mode === 'mount' && !path.relative(p.codeDir, file).startsWith('..'));
      const rel = path.relative(this.options.directory, file).split(path.sep).join('/');
      if (underCode || (!rel.startsWith('..') && appChangeMatters(rel))) {
        this.schedule(underCode ? decision.why : undefined, rel);
      }
    }
  }

  /**
   * Watches `root` and every folder under it, except those a synth never reads (cdk.out,
   * node_modules, dot-folders, caches: their churn and size would cost watches and events); a
   * folder created later is watched from then on. One non-recursive fs.watch (inotify) per folder:
   * Node's recursive mode on Linux polls files and missed the rename an editor's save is.
   */
  private watch(root: string): void {
    const walk = (dir: string) => {
      if (this.closed || this.watchers.has(dir)) return;
      let watcher: fs.FSWatcher;
      try {
        watcher = fs.watch(dir, (_event, name) => {
          if (!name) return;
          const file = path.join(dir, String(name));
          if (wanted(file) && isDirectory(file)) walk(file);
          this.changed(file);
        });
      } catch {
        return; // removed meanwhile
      }
      // A watched folder that goes away ends its watcher.
      watcher.on('error', () => {
        watcher.close();
        this.watchers.delete(dir);
      });
      this.watchers.set(dir, watcher);
      for (const entry of readdir(dir)) {
        const sub = path.join(dir, entry.name);
        if (entry.isDirectory() && wanted(sub)) walk(sub);
      }
    };
    const wanted = (sub: string) => appChangeMatters(path.relative(root, sub).split(path.sep).join('/'));
    walk(root);
  }

  /** Code directories outside the app's directory get watchers of their own. */
  private watchCodeDirectories(): void {
    for (const plan of this.options.reload?.plans() ?? []) {
      if (plan.mode !== 'mount') continue;
      const rel = path.relative(this.options.directory, (plan as MountPlan).codeDir);
      if (rel.startsWith('..') || path.isAbsolute(rel)) this.watch(plan.codeDir);
    }
  }

  private schedule(why: string | undefined, file: string): void {
    if (this.closed) return;
    this.lastChange = file;
    if (why && !this.timer) this.options.log?.(`reload: ${why}: synthesizing, then rebuilding what changed; requests wait for it`);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.synth();
    }, this.options.debounceMs ?? 300);
  }

  private synth(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    const started = Date.now();
    this.options.log?.(`watch: ${this.lastChange} changed: ${this.options.synthCommand}`);
    const child = spawn(this.options.synthCommand, { cwd: this.options.directory, shell: true, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('close', code => {
      this.running = false;
      this.options.log?.(code === 0
        ? `watch: synthesized in ${((Date.now() - started) / 1000).toFixed(1)} s; changed images are rebuilt on their next request`
        : `watch: the synth failed (exit ${code}), the endpoints keep the last assembly:\n${stderr.trim().slice(-2000)}`);
      if (code === 0) {
        this.options.onSynthesized?.();
        if (!this.closed) this.watchCodeDirectories();
      }
      if (this.again) {
        this.again = false;
        this.synth();
      } else if (!this.timer) {
        this.release();
      }
    });
  }

  private release(): void {
    for (const resolve of this.waiting.splice(0)) resolve();
  }
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function readdir(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}
