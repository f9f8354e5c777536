/**
 * A newcomer's first app, exactly as README.md's "Getting started" tells it, in TypeScript and in
 * Python. The README's steps are read from its marked blocks (`<!-- newcomer:... -->` before a
 * fence) and run as written, line by line, in a temporary directory: the newest CDK CLI installed
 * with `npm install -g` (into a prefix of the test's own), `cdk init app`, this package installed
 * (its packed tarball for npm, its wheel for pip, both built from the sources here), the function's
 * files and the stack written as the README shows them, `cdk synth`, `generate-event`, `invoke`
 * (the image build pip-installs the function's requirements.txt from PyPI), then `start-api` as a
 * process of its own, the README's `curl` answered, Ctrl-C (SIGINT to its process group, as a
 * terminal sends it), and no process or container left. (Python: the folder jsii's runtime unpacked
 * the packages into is left behind by Ctrl-C, as the README says; the test requires it, then removes it.)
 *
 * Only the package source and versions are substituted: `cdk-lambda-container` → the tarball or
 * the wheel, `aws-cdk` → `aws-cdk@<CLI>`, and aws-cdk-lib pinned to the version under test (npm:
 * added to the install line; pip: the requirement `cdk init` wrote into requirements.txt). A step
 * the substitutions do not recognise fails the test, as does any step that fails, an answer that is
 * not the one the README shows, or a marked block missing.
 *
 * Versions: COMPAT_NEWEST_CLI and COMPAT_NEWEST_LIB, else the newest the npm registry serves; the
 * Python app takes the same aws-cdk-lib from PyPI, or the newest PyPI serves when it does not
 * serve that one (said on stderr and in test-reports/newcomer.json, with each step's time).
 *
 * The newcomer's shell: the machine's PATH without this project's node_modules/.bin, with the
 * Node.js the project's tooling runs on (node_modules/.bin/node when the project installs one,
 * else the Node running jest) first; npm's and pip's caches are the machine's.
 */
import { ChildProcess, execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { engineEnv, REPO } from './helpers';

const README = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
const LANGUAGES = ['typescript', 'python'] as const;
type Language = typeof LANGUAGES[number];
const REPORT = path.join(REPO, 'test-reports', 'newcomer.json');

/** A fenced block of README.md marked `<!-- newcomer:<marker> -->` on the line before it. */
interface Block { readonly marker: string; readonly info: string; readonly body: string }

function readmeBlocks(): Block[] {
  const found: Block[] = [];
  const re = /^<!-- newcomer:([a-z:-]+) -->\n```([^\n]*)\n([\s\S]*?)^```$/gm;
  for (let m = re.exec(README); m; m = re.exec(README)) found.push({ marker: m[1], info: m[2], body: m[3] });
  // A marker not followed by its fence (a blank line, another marker) would silently drop a step.
  const markers = README.match(/<!-- newcomer:[^>]*-->/g) ?? [];
  if (markers.length !== found.length) throw new Error(`README.md: ${markers.length} newcomer markers but ${found.length} marked blocks: each marker must be directly followed by a fenced block`);
  const known = new Set(['file', 'request', ...LANGUAGES.flatMap(l => [`${l}:setup`, `${l}:file`, `${l}:run`])]);
  const unknown = found.filter(b => !known.has(b.marker));
  if (unknown.length) throw new Error(`README.md: unknown newcomer markers ${unknown.map(b => b.marker).join(', ')}`);
  return found;
}

function theBlock(marker: string): Block {
  const matching = readmeBlocks().filter(b => b.marker === marker);
  if (matching.length !== 1) throw new Error(`README.md: expected one block marked newcomer:${marker}, found ${matching.length}`);
  return matching[0];
}

/** A block's shell commands: continuation lines joined, blank and comment-only lines left out. */
function commands(block: Block): string[] {
  return block.body.replace(/\\\n\s*/g, '').split('\n').map(l => l.trim()).filter(l => l && !l.startsWith('#'));
}

/** The files a language's app gets: the shared ones and its own; each block's first line names its path. */
function files(language: Language): { file: string; content: string }[] {
  const blocks = readmeBlocks().filter(b => b.marker === 'file' || b.marker === `${language}:file`);
  if (!blocks.some(b => b.marker === `${language}:file`)) throw new Error(`README.md: no block marked newcomer:${language}:file`);
  return blocks.map(b => {
    const [first, ...rest] = b.body.split('\n');
    const named = /^(?:#|\/\/)\s*(\S+)$/.exec(first);
    if (!named) throw new Error(`README.md: the first line of a newcomer:${b.marker} block must name its file (# path or // path), not ${JSON.stringify(first)}`);
    return { file: named[1], content: rest.join('\n') };
  });
}

/** The README's request while start-api runs: `$ command` and the output it shows. */
function request(): { command: string; output: string } {
  const [first, ...rest] = theBlock('request').body.split('\n');
  if (!first.startsWith('$ ')) throw new Error('README.md: the newcomer:request block must start with "$ <command>"');
  return { command: first.slice(2), output: rest.join('\n').replace(/\n$/, '') };
}

/** The newcomer's environment: see the header. */
function newcomerEnv(root: string): NodeJS.ProcessEnv {
  const base = engineEnv();
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(base)) if (!/^npm_|^INIT_CWD$|^NODE_PATH$|^NODE_OPTIONS$|^JSII_/.test(k)) env[k] = v;
  const projectBin = path.join(REPO, 'node_modules', '.bin');
  const nodeBin = path.join(root, 'node', 'bin');
  fs.mkdirSync(nodeBin, { recursive: true });
  const projectNode = path.join(projectBin, 'node');
  fs.symlinkSync(fs.existsSync(projectNode) ? fs.realpathSync(projectNode) : process.execPath, path.join(nodeBin, 'node'));
  const rest = (env.PATH ?? '').split(':').filter(p => p && !path.resolve(p).startsWith(REPO + path.sep));
  return {
    ...env,
    PATH: [path.join(root, 'global', 'bin'), nodeBin, ...rest].join(':'),
    npm_config_prefix: path.join(root, 'global'), // where `npm install -g` puts the CDK CLI
    CDK_DISABLE_CLI_TELEMETRY: 'true',
  };
}

const run = (cmd: string, args: string[], options: { env: NodeJS.ProcessEnv; cwd?: string }) =>
  execFileSync(cmd, args, { ...options, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** Builds the package as it would be published: the jsii tarball (npm) or the wheel (pip), copied into `dir`. */
function packageFile(target: 'js' | 'python', dir: string): string {
  execFileSync('bash', ['-c', `source scripts/e2e/env.sh && jsii_package ${target}`], { cwd: REPO, stdio: ['ignore', 'inherit', 'inherit'] });
  const built = fs.readdirSync(path.join(REPO, 'dist', target)).filter(f => f.endsWith(target === 'js' ? '.jsii.tgz' : '.whl'));
  if (built.length !== 1) throw new Error(`dist/${target}: expected one package, found ${built.join(', ') || 'none'}`);
  const file = path.join(dir, built[0].replace('@', '-'));
  fs.copyFileSync(path.join(REPO, 'dist', target, built[0]), file);
  return file;
}

interface Versions { cli: string; lib: string; pythonLib: string; node: string }

function versions(env: NodeJS.ProcessEnv): Versions {
  const cli = process.env.COMPAT_NEWEST_CLI || run('npm', ['view', 'aws-cdk', 'version'], { env });
  const lib = process.env.COMPAT_NEWEST_LIB || run('npm', ['view', 'aws-cdk-lib', 'version'], { env });
  // PyPI publishes aws-cdk-lib with npm, but the index reachable here may lag behind npm.
  const listed = run('python3', ['-m', 'pip', 'index', 'versions', 'aws-cdk-lib'], { env });
  const available = (/^Available versions: (.*)$/m.exec(listed)?.[1] ?? '').split(', ').filter(v => /^\d+\.\d+\.\d+$/.test(v));
  const older = (a: string, b: string) => { const [x, y] = [a, b].map(v => v.split('.').map(Number)); return x[0] - y[0] || x[1] - y[1] || x[2] - y[2]; };
  const pythonLib = available.includes(lib) ? lib : available.filter(v => older(v, lib) <= 0).sort(older).pop();
  if (!pythonLib) throw new Error(`PyPI serves no aws-cdk-lib up to ${lib}: ${listed}`);
  if (pythonLib !== lib) console.warn(`newcomer: PyPI here serves aws-cdk-lib up to ${pythonLib}, not ${lib} (npm): the Python app uses ${pythonLib}`);
  return { cli, lib, pythonLib, node: run('node', ['--version'], { env }) };
}

/** The only changes made to the README's steps (see the header); each must apply. */
function substitutions(language: Language, v: Versions, pkg: string): { from: RegExp; to: string }[] {
  const cli = { from: /^npm install -g aws-cdk$/, to: `npm install -g aws-cdk@${v.cli}` };
  return language === 'typescript'
    ? [cli, { from: /^npm install cdk-lambda-container$/, to: `npm install ${pkg} aws-cdk-lib@${v.lib}` }]
    : [cli, {
      from: /^pip install -r requirements\.txt cdk-lambda-container$/,
      to: `sed -i -E 's/^aws-cdk-lib([<>=!~ ,].*)?$/aws-cdk-lib==${v.pythonLib}/' requirements.txt && pip install -r requirements.txt ${pkg}`,
    }];
}

interface Step { readonly command: string; seconds?: number; readonly out: string; readonly err: string }

/** One newcomer's app: set up, files written, every step of the run block but start-api run. */
class Newcomer {
  readonly steps: Step[] = [];
  readonly startApi: string;
  env!: NodeJS.ProcessEnv;
  cwd!: string;

  constructor(readonly language: Language, readonly root: string, private readonly baseEnv: NodeJS.ProcessEnv, v: Versions, pkg: string) {
    const setup = commands(theBlock(`${language}:setup`));
    const runs = commands(theBlock(`${language}:run`));
    this.startApi = runs.pop()!;
    if (!/(^|\s)cdk-lambda-container start-api(\s|$)/.test(this.startApi)) throw new Error(`README.md: the newcomer:${language}:run block must end with start-api, not ${JSON.stringify(this.startApi)}`);
    const rules = substitutions(language, v, pkg);
    const used = new Set<number>();
    const substituted = setup.map(line => {
      const i = rules.findIndex(r => r.from.test(line));
      if (i < 0) return line;
      used.add(i);
      return rules[i].to;
    });
    const unused = rules.filter((_, i) => !used.has(i));
    if (unused.length) throw new Error(`README.md: the ${language} setup has no step ${unused.map(r => r.from).join(', ')}; the test substitutes the package source and versions there`);
    const writes = files(language).map(f => ({
      command: `write ${f.file}`,
      shell: `mkdir -p "$(dirname '${f.file}')" && cat > '${f.file}' <<'NEWCOMER_EOF'\n${f.content}NEWCOMER_EOF`,
    }));
    const all = [...substituted.map(c => ({ command: c, shell: c })), ...writes, ...runs.map(c => ({ command: c, shell: c }))];
    const logs = path.join(root, 'logs');
    fs.mkdirSync(logs, { recursive: true });
    const script = ['set -eo pipefail', `cd '${root}'`, 'now() { date +%s%3N; }'];
    all.forEach((s, i) => {
      const step: Step = { command: s.command, out: path.join(logs, `${i}.out`), err: path.join(logs, `${i}.err`) };
      this.steps.push(step);
      script.push(`echo "${i} $(now)" >> '${logs}/times'`, `{\n${s.shell}\n} > '${step.out}' 2> '${step.err}'`);
    });
    script.push(`echo "end $(now)" >> '${logs}/times'`, `env -0 > '${root}/state.env'`, `pwd > '${root}/state.cwd'`);
    fs.writeFileSync(path.join(root, 'steps.sh'), script.join('\n') + '\n');
  }

  setUp(): void {
    const result = spawnSync('bash', [path.join(this.root, 'steps.sh')], { env: this.baseEnv, encoding: 'utf8', timeout: 1_200_000 });
    const logs = path.join(this.root, 'logs');
    const times = fs.existsSync(path.join(logs, 'times')) ? fs.readFileSync(path.join(logs, 'times'), 'utf8').trim().split('\n').map(l => l.split(' ')) : [];
    for (let i = 0; i + 1 < times.length; i++) this.steps[Number(times[i][0])].seconds = (Number(times[i + 1][1]) - Number(times[i][1])) / 1000;
    if (result.status !== 0 || times[times.length - 1]?.[0] !== 'end') {
      // The step that started last is the one that failed.
      const failed = times.length ? this.steps[Number(times[times.length - 1][0])] : undefined;
      const tail = (file?: string) => file && fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').slice(-40).join('\n') : '';
      throw new Error(`${this.language}: the README's step \`${failed?.command ?? '(none)'}\` failed (exit ${result.status ?? result.signal}${result.error ? `, ${result.error.message}` : ''}):\n${tail(failed?.err)}\n${tail(failed?.out)}${result.stderr}`);
    }
    this.cwd = fs.readFileSync(path.join(this.root, 'state.cwd'), 'utf8').trim();
    this.env = {};
    for (const entry of fs.readFileSync(path.join(this.root, 'state.env'), 'utf8').split('\0')) {
      const i = entry.indexOf('=');
      if (i > 0) this.env[entry.slice(0, i)] = entry.slice(i + 1);
    }
  }

  step(pattern: RegExp): Step {
    const matching = this.steps.filter(s => pattern.test(s.command));
    if (matching.length !== 1) throw new Error(`${this.language}: expected one README step matching ${pattern}, found ${matching.length}`);
    return matching[0];
  }

  /** The containers of this app's assembly still known to the engine. */
  containers(): string[] {
    return run('podman', ['ps', '-a', '--filter', `label=cdk-lambda-container.assembly=${path.join(this.cwd, 'cdk.out')}`, '--format', '{{.Names}}'], { env: this.env }).split('\n').filter(Boolean);
  }
}

const report: Record<string, unknown> = {};
let root: string;
let env: NodeJS.ProcessEnv;
let v: Versions;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'newcomer-'));
  env = newcomerEnv(root);
  v = versions(env);
  report.versions = v;
}, 120_000);

afterAll(() => {
  fs.mkdirSync(path.dirname(REPORT), { recursive: true });
  fs.writeFileSync(REPORT, JSON.stringify(report, undefined, 2));
  fs.rmSync(root, { recursive: true, force: true });
});

describe.each(LANGUAGES)('a newcomer following the README in %s', language => {
  let app: Newcomer;
  let api: ChildProcess | undefined;

  beforeAll(() => {
    const started = Date.now();
    const pkg = packageFile(language === 'typescript' ? 'js' : 'python', root);
    const packaged = (Date.now() - started) / 1000;
    const dir = path.join(root, language);
    fs.mkdirSync(dir);
    app = new Newcomer(language, dir, env, v, pkg);
    try {
      app.setUp();
    } finally {
      const steps = app.steps.map(s => ({ command: s.command, seconds: s.seconds }));
      report[language] = { package: { file: path.basename(pkg), seconds: packaged }, steps };
    }
  }, 1_500_000);

  afterAll(async () => {
    if (api && api.exitCode === null && api.signalCode === null) process.kill(-api.pid!, 'SIGKILL');
    if (app?.cwd) for (const name of app.containers()) run('podman', ['rm', '--force', '--time', '0', name], { env: app.env });
  });

  test('the app is on the CDK CLI and aws-cdk-lib under test, and on this package as built here', () => {
    expect(run('cdk', ['--version'], { env: app.env, cwd: app.cwd })).toMatch(new RegExp(`^${v.cli.replace(/\./g, '\\.')} `));
    const installed: Record<string, string> = {};
    if (language === 'typescript') {
      const deps = JSON.parse(run('npm', ['ls', 'aws-cdk-lib', 'cdk-lambda-container', '--json'], { env: app.env, cwd: app.cwd })).dependencies;
      for (const name of Object.keys(deps)) installed[name] = deps[name].version;
      expect(deps['cdk-lambda-container'].resolved).toMatch(/^file:.*\.jsii\.tgz$/);
    } else {
      const shown = run('python', ['-m', 'pip', 'show', 'aws-cdk-lib', 'cdk-lambda-container'], { env: app.env, cwd: app.cwd });
      for (const [, name, version] of shown.matchAll(/^Name: (\S+)\nVersion: (\S+)$/gm)) installed[name] = version;
    }
    (report[language] as any).installed = installed;
    const version = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).version;
    expect(installed).toEqual({ 'aws-cdk-lib': language === 'typescript' ? v.lib : v.pythonLib, 'cdk-lambda-container': version });
  });

  test('cdk synth: the function is an image with the README\'s ImageConfig, behind an HTTP API', () => {
    const out = path.join(app.cwd, 'cdk.out');
    const templates = fs.readdirSync(out).filter(f => f.endsWith('.template.json'));
    const resources = templates.flatMap(f => Object.values<any>(JSON.parse(fs.readFileSync(path.join(out, f), 'utf8')).Resources ?? {}));
    expect(resources.filter(r => r.Type === 'AWS::Lambda::Function')).toEqual([
      expect.objectContaining({ Properties: expect.objectContaining({ PackageType: 'Image', ImageConfig: { Command: ['app.handler'] } }) }),
    ]);
    expect(resources.filter(r => r.Type === 'AWS::ApiGatewayV2::Api')).toHaveLength(1);
    // The function's requirements.txt is installed in the image, before the code.
    const [asset] = fs.readdirSync(out).filter(f => f.startsWith('asset.') && fs.existsSync(path.join(out, f, 'Dockerfile')));
    expect(fs.readFileSync(path.join(out, asset, 'Dockerfile'), 'utf8')).toMatch(/pip install[^\n]*requirements\.txt(.*\n)*COPY code\//);
  });

  test('invoke answers what the README says it prints, from a handler that imports its dependency', () => {
    const answer = fs.readFileSync(app.step(/cdk-lambda-container invoke /).out, 'utf8').trim();
    expect(JSON.parse(answer)).toEqual({ statusCode: 200, body: `${request().output}\n` });
    expect(README).toContain(`\`invoke\` prints \`${answer}\``);
    expect(app.containers()).toEqual([]);
  });

  test('start-api answers the README\'s request; Ctrl-C stops it and leaves no process or container', async () => {
    const { command, output } = request();
    const port = /127\.0\.0\.1:(\d+)/.exec(command)?.[1];
    expect(port).toBeDefined();
    const busy = spawnSync('bash', ['-c', `exec 3<>/dev/tcp/127.0.0.1/${port}`]).status === 0;
    if (busy) throw new Error(`port ${port} is in use on this machine: the README's start-api cannot listen there`);

    const started = Date.now();
    api = spawn('bash', ['-c', app.startApi], { cwd: app.cwd, env: app.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    api.stdout!.on('data', d => { log += d; });
    api.stderr!.on('data', d => { log += d; });
    const exited = new Promise<number | string>(resolve => api!.on('exit', (code, signal) => resolve(code ?? signal!)));
    const listening = new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (log.includes(`on http://127.0.0.1:${port}`)) { clearInterval(timer); resolve(); }
        if (api!.exitCode !== null || Date.now() - started > 300_000) { clearInterval(timer); reject(new Error(`start-api did not listen on ${port}:\n${log}`)); }
      }, 100);
    });
    await listening;
    const listened = (Date.now() - started) / 1000;

    const asked = Date.now();
    const answer = spawnSync('bash', ['-c', command], { cwd: app.cwd, env: app.env, encoding: 'utf8', timeout: 300_000 });
    const answered = (Date.now() - asked) / 1000;
    expect({ exit: answer.status, stdout: answer.stdout }).toEqual({ exit: 0, stdout: `${output}\n` });

    const session = () => spawnSync('ps', ['-o', 'pid=,stat=,args=', '--sid', String(api!.pid)], { encoding: 'utf8' }).stdout
      .split('\n').filter(l => l.trim() && !/^\s*\d+\s+Z/.test(l));
    // Python: the folder jsii's runtime unpacked the packages into, from the CLI's own path.
    const kernels = [...new Set(session().flatMap(l => [...l.matchAll(/(\/\S*?jsii-kernel-[^/\s]+)\//g)].map(m => m[1])))];
    expect(kernels).toHaveLength(language === 'python' ? 1 : 0);

    const stopping = Date.now();
    process.kill(-api.pid!, 'SIGINT'); // Ctrl-C: the terminal signals the whole foreground process group
    const result = await Promise.race([exited, new Promise(resolve => setTimeout(() => resolve('still running after 60 s'), 60_000))]);
    const stopped = (Date.now() - stopping) / 1000;
    (report[app.language] as any).startApi = { listening: listened, request: answered, stop: stopped, exit: result };
    expect(['still running after 60 s', 'SIGKILL']).not.toContain(result);
    expect(log).toMatch(/SIGINT: stopping/);
    // Nothing of the process group (the CLI, and for Python jsii's runtime) and no container is left.
    // (Exited helpers of the engine may show as zombies until the machine's init reaps them: not counted.)
    for (let waited = 0; session().length && waited < 5_000; waited += 250) await new Promise(resolve => setTimeout(resolve, 250));
    expect(session()).toEqual([]);
    expect(app.containers()).toEqual([]);
    // A gap of jsii's runtime, which the README states: Ctrl-C reaches its kernel process too, which
    // dies without removing its folder (aws-cdk-lib unpacked). Fails the day it is removed, so the
    // README can drop the sentence. The test removes it.
    const left = kernels.filter(dir => fs.existsSync(dir));
    (report[language] as any).startApi.leftBehind = left.map(dir => ({ dir, megabytes: Number(run('du', ['-sm', dir], { env }).split('\t')[0]) }));
    for (const dir of left) fs.rmSync(dir, { recursive: true, force: true });
    expect(left).toEqual(kernels);
  });
});
