/**
 * One synth-cost scenario, run in a fresh process by bench/synth.ts so peak RSS is its own.
 * Usage: scenario.ts <ours|plain> <functions> <outdir> <codeDir> [codeDir...]
 * Prints one JSON line: construct + synth time (ms), peak RSS (MB), cdk.out bytes and asset count.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { BaseImage, LambdaContainerFunction } from '../src';

const [kind, n, outdir, ...dirs] = process.argv.slice(2);
const count = Number(n);
const start = process.hrtime.bigint();
const app = new App({ outdir, context: { 'cdk-lambda-container:today': '2026-11-22' } });
const stack = new Stack(app, 'Bench');
for (let i = 0; i < count; i++) {
  const dir = dirs[i % dirs.length];
  if (kind === 'ours') {
    new LambdaContainerFunction(stack, `Fn${i}`, { baseImage: BaseImage.python('3.13'), entry: dir, cmd: [`app.handler_${i}`] });
  } else {
    new lambda.DockerImageFunction(stack, `Fn${i}`, { code: lambda.DockerImageCode.fromImageAsset(dir, { cmd: [`app.handler_${i}`] }) });
  }
}
app.synth();
const ms = Number(process.hrtime.bigint() - start) / 1e6;
const assets = fs.readdirSync(outdir).filter(f => f.startsWith('asset.')).length;
console.log(JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024, outBytes: treeBytes(outdir), assets }));

function treeBytes(p: string): number {
  const st = fs.lstatSync(p);
  if (!st.isDirectory()) return st.size;
  return fs.readdirSync(p).reduce((sum, e) => sum + treeBytes(path.join(p, e)), 0);
}
