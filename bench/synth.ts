/**
 * Synth-cost benchmark: LambdaContainerFunction against plain aws-cdk-lib
 * (DockerImageFunction + DockerImageCode.fromImageAsset), measured in the same run.
 *
 *   npx projen bench            (BENCH_REPEAT=3 by default; the median of the runs is shown)
 *
 * Each scenario runs in a fresh Node process (so peak RSS is its own) and times construct + synth.
 * Code directories hold 2 MB each (a handler, a Dockerfile for the plain baseline, 2 MB of data).
 */
import { execFileSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, 'out');
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);
const MB = 1024 * 1024;

interface Result { ms: number; maxRssMb: number; outBytes: number; assets: number }

function fixture(name: string): string {
  const dir = path.join(ROOT, 'fixtures', name);
  if (fs.existsSync(path.join(dir, 'app.py'))) return dir;
  fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM public.ecr.aws/lambda/python:3.13\nCOPY . ${LAMBDA_TASK_ROOT}/\n');
  fs.writeFileSync(path.join(dir, 'app.py'), `def handler(event, context):\n    return ${JSON.stringify(name)}\n`);
  for (let i = 0; i < 20; i++) {
    fs.writeFileSync(path.join(dir, 'data', `blob-${i}.bin`), crypto.randomBytes(MB / 10));
  }
  return dir;
}

function run(kind: 'ours' | 'plain', n: number, dirs: string[]): Result {
  const results: Result[] = [];
  for (let r = 0; r < REPEAT; r++) {
    const outdir = path.join(ROOT, 'cdk.out', `${kind}-${n}-${dirs.length}-${r}`);
    fs.rmSync(outdir, { recursive: true, force: true });
    const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'scenario.ts'), kind, String(n), outdir, ...dirs], { encoding: 'utf8' });
    results.push(JSON.parse(out.trim().split('\n').pop()!));
    fs.rmSync(outdir, { recursive: true, force: true });
  }
  const median = (f: (r: Result) => number) => results.map(f).sort((a, b) => a - b)[Math.floor(results.length / 2)];
  return { ms: median(r => r.ms), maxRssMb: median(r => r.maxRssMb), outBytes: median(r => r.outBytes), assets: median(r => r.assets) };
}

function main() {
  fs.mkdirSync(ROOT, { recursive: true });
  const shared = [fixture('shared')];
  const distinct = Array.from({ length: 20 }, (_, i) => fixture(`distinct-${i}`));
  const scenarios: Array<[string, number, string[]]> = [
    ['1 function, 1 directory', 1, shared],
    ['50 functions, 1 directory', 50, shared],
    ['200 functions, 1 directory', 200, shared],
    ['200 functions, 20 directories', 200, distinct],
  ];
  const header = '| scenario | ours: time | plain: time | time ratio | ours: peak RSS | plain: peak RSS | ours: cdk.out | plain: cdk.out | cdk.out ratio | ours: assets | plain: assets |';
  const rows = [header, '|' + '---|'.repeat(11)];
  for (const [name, n, dirs] of scenarios) {
    const ours = run('ours', n, dirs);
    const plain = run('plain', n, dirs);
    rows.push(`| ${name} | ${fmtMs(ours.ms)} | ${fmtMs(plain.ms)} | **${(ours.ms / plain.ms).toFixed(2)}×** | ${ours.maxRssMb.toFixed(0)} MB | ${plain.maxRssMb.toFixed(0)} MB | ${fmtMb(ours.outBytes)} | ${fmtMb(plain.outBytes)} | ${(ours.outBytes / plain.outBytes).toFixed(2)}× | ${ours.assets} | ${plain.assets} |`);
    console.error(`done: ${name}`);
  }
  console.log(`Synth cost, median of ${REPEAT} runs (construct + synth, each scenario in a fresh process); ratio = ours / plain aws-cdk-lib\n`);
  console.log(rows.join('\n'));
}

const fmtMs = (ms: number) => ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
const fmtMb = (b: number) => `${(b / MB).toFixed(1)} MB`;

main();
