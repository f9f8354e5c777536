/**
 * `--debug-port`: a debugger listening in the function's container, on a port of the host's
 * 127.0.0.1. Node.js gets its inspector (`NODE_OPTIONS=--inspect`), Java JDWP
 * (`JAVA_TOOL_OPTIONS=-agentlib:jdwp`), Python debugpy — added to the local image only, as a
 * layer of a throwaway image built from it (the image cdk-assets publishes is never touched),
 * started by a `sitecustomize` on `PYTHONPATH`. A debugged function runs one container at a time
 * (its port is fixed) and its timeout is Lambda's maximum, so a breakpoint does not end it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import AdmZip from 'adm-zip';
import { functionNamed, ImageFunction } from './assembly';
import { engineSpawn } from './engine';
import { MountPlan, ReloadPlan, RuntimeLanguage } from './reload-plan';
import { UsageError } from '../errors';

/** The languages a debugger is attached to. */
export type DebugLanguage = 'nodejs' | 'python' | 'java';

/** One debugged function. */
export interface DebugTarget {
  /** Construct path. */
  readonly fn: string;
  readonly language: DebugLanguage;
  /** On the host's 127.0.0.1. */
  readonly hostPort: number;
  /** Where the code is on this machine and in the container, when known (path mappings). */
  readonly codeDir?: string;
  readonly codePath?: string;
  /** The runtime waits for a debugger to attach before it runs anything (`invoke`: one event, sent at once). */
  readonly wait?: boolean;
}

/** The debugger's port inside the container, per language (each tool's default). */
export const CONTAINER_PORTS: Record<DebugLanguage, number> = { nodejs: 9229, python: 5678, java: 5005 };

/** What each debugger speaks, for the port map. */
const PROTOCOLS: Record<DebugLanguage, string> = {
  nodejs: 'Node.js inspector (Chrome DevTools Protocol)',
  python: 'debugpy (Debug Adapter Protocol)',
  java: 'JDWP',
};

/** Lambda's longest timeout: what a debugged function gets, so a paused breakpoint does not end the invocation. */
export const DEBUG_TIMEOUT_SECONDS = 900;

/** The debugpy release added to Python images (a pure-Python wheel). */
export const DEBUGPY_VERSION = '1.8.22';
/** Where the debug layer puts debugpy and its sitecustomize in the container. */
export const DEBUGPY_DIR = '/cdk-lambda-container/debugpy';
/** The variable that tells the sitecustomize where debugpy listens (removed before the runtime's own child processes see it). */
const DEBUGPY_LISTEN = 'CDK_LAMBDA_CONTAINER_DEBUGPY_LISTEN';
const DEBUGPY_WAIT = 'CDK_LAMBDA_CONTAINER_DEBUGPY_WAIT';

const SITECUSTOMIZE = `# Added by cdk-lambda-container --debug-port to the local image only: starts debugpy.
import os

_listen = os.environ.pop("${DEBUGPY_LISTEN}", None)
_wait = os.environ.pop("${DEBUGPY_WAIT}", None)
if _listen:
    import debugpy

    _host, _port = _listen.rsplit(":", 1)
    debugpy.listen((_host, int(_port)))
    if _wait:
        debugpy.wait_for_client()
`;

/**
 * The debugged functions and their host ports: those `only` names (all debuggable ones when
 * empty), in the assembly's order, from `basePort` up. A named function that cannot be debugged
 * is a usage error saying why.
 */
export function debugTargets(
  functions: readonly ImageFunction[],
  plans: ReadonlyMap<string, ReloadPlan | { language?: RuntimeLanguage }>,
  basePort: number,
  only: readonly string[] = [],
  wait = false,
): DebugTarget[] {
  for (const name of only) {
    if (!functions.some(fn => functionNamed(fn, name))) {
      throw new UsageError(`--debug-function ${name}: no container-image function of that name. Functions: ${functions.map(f => f.path).join(', ') || '(none)'}`);
    }
  }
  const targets: DebugTarget[] = [];
  for (const fn of functions) {
    if (only.length > 0 && !only.some(name => functionNamed(fn, name))) continue;
    const plan = plans.get(fn.path);
    const language = plan?.language;
    if (language !== 'nodejs' && language !== 'python' && language !== 'java') {
      if (only.length > 0) {
        throw new UsageError(`--debug-function ${fn.path}: its runtime (${language ?? 'unknown: not a generated image'}) has no debugger here; Node.js, Python and Java functions do`);
      }
      continue;
    }
    const mount = plan && 'mode' in plan && plan.mode === 'mount' ? plan as MountPlan : undefined;
    const hostPort = basePort + targets.length;
    if (hostPort > 65535) throw new UsageError(`--debug-port ${basePort}: too high for ${targets.length + 1} functions`);
    targets.push({ fn: fn.path, language, hostPort, codeDir: mount?.codeDir ?? fn.code?.directory, codePath: mount?.codePath, wait });
  }
  return targets;
}

/** The port map printed at start. */
export function formatDebugTargets(targets: readonly DebugTarget[]): string {
  return targets.map(t => `  ${t.fn}: 127.0.0.1:${t.hostPort} (${PROTOCOLS[t.language]})${t.codeDir && t.codePath ? `, ${t.codePath} is ${t.codeDir}` : ''}`).join('\n');
}

/**
 * The container side of a debugged function: its environment and published port. `imageEnv` is
 * the image's own environment (PYTHONPATH is extended, not replaced); `hostNetwork`: the container
 * shares the host's network, so the debugger listens on the host's port directly.
 */
export function debugContainer(
  target: DebugTarget, imageEnv: readonly string[], hostNetwork: boolean,
): { env: Record<string, string>; publish: string[] } {
  const port = hostNetwork ? target.hostPort : CONTAINER_PORTS[target.language];
  const address = hostNetwork ? `127.0.0.1:${port}` : `0.0.0.0:${port}`;
  const publish = hostNetwork ? [] : ['--publish', `127.0.0.1:${target.hostPort}:${port}`];
  const imageVar = (name: string) => imageEnv.find(e => e.startsWith(`${name}=`))?.slice(name.length + 1);
  switch (target.language) {
    case 'nodejs':
      return { env: { NODE_OPTIONS: [imageVar('NODE_OPTIONS'), `--inspect${target.wait ? '-wait' : ''}=${address}`].filter(Boolean).join(' ') }, publish };
    case 'java': {
      const agent = `-agentlib:jdwp=transport=dt_socket,server=y,suspend=${target.wait ? 'y' : 'n'},address=${hostNetwork ? address : `*:${port}`}`;
      return { env: { JAVA_TOOL_OPTIONS: [imageVar('JAVA_TOOL_OPTIONS'), agent].filter(Boolean).join(' ') }, publish };
    }
    case 'python':
      // Lambda's default PYTHONPATH is the runtime directory: kept after debugpy's.
      return {
        env: {
          PYTHONPATH: [DEBUGPY_DIR, imageVar('PYTHONPATH') ?? '/var/runtime'].join(':'),
          [DEBUGPY_LISTEN]: address,
          ...(target.wait ? { [DEBUGPY_WAIT]: '1' } : {}),
          // debugpy's warning about frozen standard modules (they are not the user's code) on every start.
          PYDEVD_DISABLE_FILE_VALIDATION: '1',
        },
        publish,
      };
  }
}

/** Where debugpy is kept on this machine: unpacked once from its wheel, fetched with pip. */
export async function debugpyDirectory(cacheRoot = path.join(os.homedir(), '.cache', 'cdk-lambda-container')): Promise<string> {
  const dir = path.join(cacheRoot, `debugpy-${DEBUGPY_VERSION}`);
  if (fs.existsSync(path.join(dir, 'debugpy', '__init__.py'))) return dir;
  const download = fs.mkdtempSync(path.join(os.tmpdir(), 'clc-debugpy-'));
  try {
    const args = ['-m', 'pip', 'download', '--quiet', '--no-deps', '--only-binary=:all:', '--platform', 'any', '--implementation', 'py', '--python-version', '3.13', '--dest', download, `debugpy==${DEBUGPY_VERSION}`];
    const result = await engineSpawn('python3', args);
    const wheel = fs.readdirSync(download).find(f => f.endsWith('.whl'));
    if (result.status !== 0 || !wheel) {
      throw new UsageError(`debugging a Python function needs debugpy ${DEBUGPY_VERSION}: \`python3 ${args.join(' ')}\` failed (${result.error?.message ?? result.stderr.trim().slice(-500)}). Install Python 3 with pip, or unpack debugpy's wheel into ${dir}`);
    }
    const partial = `${dir}.part-${process.pid}`;
    new AdmZip(path.join(download, wheel)).extractAllTo(partial, true);
    fs.writeFileSync(path.join(partial, 'sitecustomize.py'), SITECUSTOMIZE);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(partial, dir);
    return dir;
  } finally {
    fs.rmSync(download, { recursive: true, force: true });
  }
}

/** The Dockerfile of the throwaway debug image: the function's local image plus debugpy. */
export function debugpyDockerfile(baseTag: string): string {
  return `FROM ${baseTag}\nCOPY debugpy/ ${DEBUGPY_DIR}/\n`;
}

/** VS Code attach configurations, one per target, named after the function. */
export function launchConfigurations(targets: readonly DebugTarget[]): Array<Record<string, unknown>> {
  return targets.map(t => {
    const name = `${t.fn} (cdk-lambda-container)`;
    const mapped = t.codeDir && t.codePath;
    switch (t.language) {
      case 'nodejs':
        return {
          name,
          type: 'node',
          request: 'attach',
          address: '127.0.0.1',
          port: t.hostPort,
          ...(mapped ? { localRoot: t.codeDir, remoteRoot: t.codePath } : {}),
          skipFiles: ['<node_internals>/**', '/var/runtime/**'],
        };
      case 'python':
        return {
          name,
          type: 'debugpy',
          request: 'attach',
          connect: { host: '127.0.0.1', port: t.hostPort },
          ...(mapped ? { pathMappings: [{ localRoot: t.codeDir, remoteRoot: t.codePath }] } : {}),
          justMyCode: true,
        };
      case 'java':
        return { name, type: 'java', request: 'attach', hostName: '127.0.0.1', port: t.hostPort };
    }
  });
}

/**
 * Writes the targets' configurations into a VS Code `launch.json`: configurations of other names
 * are kept, ours replaced. (A file with comments is read as JSON with comments stripped.)
 */
export function writeLaunchJson(file: string, targets: readonly DebugTarget[]): void {
  const ours = launchConfigurations(targets);
  let existing: { version?: string; configurations?: Array<Record<string, unknown>> } = {};
  if (fs.existsSync(file)) {
    const text = fs.readFileSync(file, 'utf8').replace(/^\s*\/\/.*$/gm, '').replace(/,(\s*[}\]])/g, '$1');
    try {
      existing = JSON.parse(text);
    } catch (e) {
      throw new UsageError(`--launch-json ${file}: not JSON (${(e as Error).message}); give another file or fix it`);
    }
  }
  const names = new Set(ours.map(c => c.name));
  const kept = (existing.configurations ?? []).filter(c => !names.has(c.name));
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify({ ...existing, version: existing.version ?? '0.2.0', configurations: [...kept, ...ours] }, undefined, 2)}\n`);
}
