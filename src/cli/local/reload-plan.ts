/**
 * `--reload`: what each function gets, and what a saved file does. Pure but for reading the
 * function's Dockerfile and code directory listing.
 *
 * A function whose generated Dockerfile copies its code directory verbatim as the final stage's
 * last layer (`COPY code/ <code path>/`: Python, Node.js and Ruby on AWS base images or with a
 * Runtime Interface Client; Java's RIC image and custom runtimes too, whose code directory holds
 * what was built on the host: classes, jars, a `bootstrap`) runs from an image built
 * without that layer, with the code directory's entries bind-mounted read-only at the code path. A
 * code edit then only recycles its containers; a dependency manifest or lockfile, or anything
 * else of the app (layers, the base image, the Dockerfile's inputs), goes through a synth and
 * a rebuild of the layers that changed. Code compiled in the image's build stage (Go, .NET) and
 * images from a Dockerfile of your own always take that rebuild path.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ImageFunction } from './assembly';
import { isDependencyFile } from '../../private/dependencies';
import { CONTEXT_CODE_DIR, GENERATED_HEADER } from '../../private/image-recipe';

/** The language of a function's runtime, as far as the debuggers care. */
export type RuntimeLanguage = 'python' | 'nodejs' | 'ruby' | 'java' | 'dotnet' | 'go' | 'custom';

/** A function served from its code directory, mounted. */
export interface MountPlan {
  readonly mode: 'mount';
  /** Construct path. */
  readonly fn: string;
  /** The code directory on this machine (absolute). */
  readonly codeDir: string;
  /** Where the image has the code (`/var/task`, `/function`). */
  readonly codePath: string;
  /** Globs (relative to codeDir) the code layer leaves out: never mounted, their changes ignored. */
  readonly exclude: readonly string[];
  /** The generated Dockerfile without its code layer. */
  readonly dockerfile: string;
  readonly language: RuntimeLanguage;
}

/** A function rebuilt from the assembly when its asset hash changes (today's `--watch`). */
export interface RebuildPlan {
  readonly mode: 'rebuild';
  readonly fn: string;
  /** Why it is not mounted, said once at start. */
  readonly why: string;
  readonly language?: RuntimeLanguage;
}

export type ReloadPlan = MountPlan | RebuildPlan;

/** AWS base images' `LAMBDA_TASK_ROOT`. */
const TASK_ROOT = '/var/task';

/** What a saved file asks for. */
export type ReloadDecision =
  /** Code of mounted functions: new containers for them, no build. */
  | { readonly action: 'recycle'; readonly functions: readonly string[] }
  /** Anything else of the app: synthesize, then rebuild the images whose layers changed. */
  | { readonly action: 'rebuild'; readonly why: string }
  | { readonly action: 'nothing' };

/** Files no runtime loads: bytecode caches, editors' swap and backup files. */
const CACHES = /(^|\/)(__pycache__|\.pytest_cache|\.mypy_cache)(\/|$)|(^|\/)\.[^/]*\.sw[a-p]$|~$|\.pyc$/;
/** App paths a synth never reads: its output, installed packages, VCS and dot-folders, logs. */
const NOT_APP_SOURCE = /(^|\/)(cdk\.out|node_modules|\.[^/]+)(\/|$)|\.log$/;

/** The final stage's `COPY code/ <dest>/` line, and the Dockerfile without it. */
export function withoutCodeLayer(dockerfile: string): { dockerfile: string; codePath: string } | undefined {
  const lines = dockerfile.split('\n');
  const lastFrom = lines.map(l => /^FROM\s/i.test(l)).lastIndexOf(true);
  const copy = new RegExp(`^COPY\\s+${CONTEXT_CODE_DIR}/\\s+(\\S+?)/?\\s*$`);
  const index = lines.findIndex((l, i) => i > lastFrom && copy.test(l));
  if (lastFrom < 0 || index < 0) return undefined;
  const dest = copy.exec(lines[index])![1];
  const from = lines[index - 1]?.startsWith('# Function code') ? index - 1 : index; // its comment goes too
  return {
    dockerfile: [...lines.slice(0, from), ...lines.slice(index + 1)].join('\n'),
    codePath: dest === '${LAMBDA_TASK_ROOT}' ? TASK_ROOT : dest,
  };
}

/** The runtime's language, from the generated Dockerfile's final base image or its RIC's ENTRYPOINT. */
export function languageOf(dockerfile: string): RuntimeLanguage | undefined {
  const froms = [...dockerfile.matchAll(/^FROM\s+(\S+)/gim)].map(m => m[1]);
  const family = /lambda\/(python|nodejs|ruby|java|dotnet|provided)\b/.exec(froms[froms.length - 1] ?? '')?.[1];
  if (family) return family === 'provided' ? 'custom' : family as RuntimeLanguage;
  const entrypoint = /^ENTRYPOINT\s+(.*)$/im.exec(dockerfile)?.[1] ?? '';
  if (/awslambdaric/.test(entrypoint)) return 'python';
  if (/aws-lambda-ric/.test(entrypoint)) return 'nodejs';
  if (/aws_lambda_ric/.test(entrypoint)) return 'ruby';
  if (/AWSLambda/.test(entrypoint)) return 'java';
  if (/dotnet/.test(entrypoint)) return 'dotnet';
  if (/bootstrap/.test(entrypoint)) return 'go';
  return undefined;
}

/** What `--reload` does for `fn`; `dockerfile` is its Dockerfile's text (undefined: none). */
export function reloadPlan(fn: ImageFunction, dockerfile: string | undefined): ReloadPlan {
  const rebuild = (why: string, language?: RuntimeLanguage): RebuildPlan => ({ mode: 'rebuild', fn: fn.path, why, language });
  if (!fn.asset) return rebuild('it runs an existing image, not built here: served as it is');
  if (dockerfile === undefined || !dockerfile.startsWith(`# ${GENERATED_HEADER}`)) {
    return rebuild('its image is built from a Dockerfile of your own, whose code layer is not known: rebuilt when its asset changes');
  }
  const language = languageOf(dockerfile);
  const stripped = withoutCodeLayer(dockerfile);
  if (!stripped) return rebuild(`its code is compiled in the image's build stage (${language ?? 'compiled'}): rebuilt when its asset changes`, language);
  if (!fn.code) {
    return rebuild('the assembly does not say where its code is (synthesized without asset metadata: `cdk synth` adds it; an App of your own needs the context aws:cdk:enable-asset-metadata=true): rebuilt when its asset changes', language);
  }
  return {
    mode: 'mount',
    fn: fn.path,
    codeDir: fn.code.directory,
    codePath: stripped.codePath,
    exclude: fn.code.exclude,
    dockerfile: stripped.dockerfile,
    language: language ?? 'custom',
  };
}

/** Whether `file` (absolute) is `dir` or under it. */
function isUnder(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** A matcher of the code layer's exclude globs, the one staging uses (aws-cdk-lib's, loaded when first needed). */
export type Excluder = (plan: MountPlan, file: string) => boolean;

export function cdkExcluder(): Excluder {
  const cache = new Map<MountPlan, { ignores(file: string): boolean }>();
  return (plan, file) => {
    let strategy = cache.get(plan);
    if (!strategy) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { IgnoreStrategy } = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
      strategy = IgnoreStrategy.glob(plan.codeDir, [...plan.exclude]);
      cache.set(plan, strategy);
    }
    // Staging never enters an excluded folder: a file under one is excluded too.
    for (let p = file; isUnder(p, plan.codeDir) && p !== plan.codeDir; p = path.dirname(p)) {
      if (strategy.ignores(p)) return true;
    }
    return false;
  };
}

/**
 * What a change of `file` (absolute) does: under a mounted function's code directory, a
 * dependency manifest or lockfile at its top rebuilds, an excluded or cache file does nothing,
 * anything else recycles that directory's functions; elsewhere (the app, layers, your own
 * Dockerfiles) it rebuilds through a synth.
 */
export function decideChange(plans: readonly ReloadPlan[], file: string, excluded: Excluder): ReloadDecision {
  const mounted = plans.filter((p): p is MountPlan => p.mode === 'mount' && isUnder(file, p.codeDir));
  if (mounted.length === 0) {
    return { action: 'rebuild', why: `${file} changed` };
  }
  const functions: string[] = [];
  for (const plan of mounted) {
    const rel = path.relative(plan.codeDir, file).split(path.sep).join('/');
    if (rel === '' || CACHES.test(rel) || excluded(plan, file)) continue;
    if (!rel.includes('/') && isDependencyFile(rel)) {
      return { action: 'rebuild', why: `${rel}, a dependency file of ${plan.fn}, changed` };
    }
    functions.push(plan.fn);
  }
  return functions.length > 0 ? { action: 'recycle', functions } : { action: 'nothing' };
}

/** Whether a change outside every code directory (the app's sources) may matter. */
export function appChangeMatters(relativePath: string): boolean {
  return relativePath !== '' && !NOT_APP_SOURCE.test(relativePath) && !CACHES.test(relativePath);
}

/**
 * The engine's `--volume` arguments that mount the code directory's entries (those the code layer
 * has: excluded ones are left out) read-only at the code path, listed now: a container started
 * later sees entries added or removed since; exactly what the code layer would hold. Each entry has its own mount, so the dependencies the
 * image installed at the same path stay visible. Names the engine's `--volume` cannot carry (a
 * colon) are refused.
 */
export function codeMounts(plan: MountPlan, excluded: Excluder): string[] {
  const entries = fs.readdirSync(plan.codeDir).sort();
  const args: string[] = [];
  for (const name of entries) {
    const source = path.join(plan.codeDir, name);
    if (excluded(plan, source)) continue;
    if (source.includes(':')) {
      throw new Error(`${plan.fn}: ${source} has a colon in its path, which a container engine's --volume cannot mount: rename it, or run without --reload`);
    }
    args.push('--volume', `${source}:${path.posix.join(plan.codePath, name)}:ro`);
  }
  return args;
}

/** Every image function's plan, by construct path, from the assembly as it is now. */
export function readReloadPlans(functions: readonly ImageFunction[]): Map<string, ReloadPlan> {
  return new Map(functions.map(fn => {
    const file = fn.asset && path.join(fn.asset.directory, fn.asset.dockerFile);
    const dockerfile = file && fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    return [fn.path, reloadPlan(fn, dockerfile)];
  }));
}

/** What `--reload` says once at start about a function. */
export function describePlan(plan: ReloadPlan): string {
  return plan.mode === 'mount'
    ? `${plan.fn}: ${plan.codeDir} mounted read-only at ${plan.codePath} (${plan.language}): a code change answers from new containers with no build; dependency files and the rest of the app rebuild`
    : `${plan.fn}: ${plan.why}`;
}
