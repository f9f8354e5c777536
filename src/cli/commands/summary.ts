/** `cdk-lambda-container summary [cdk.out]`: what each container-image function is built from. */
import * as path from 'path';
import { describeDockerfile, ImageFunction, readImageFunctions } from '../local/assembly';

export function summarize(assemblyDir: string, cwd = process.cwd()): string {
  const functions = readImageFunctions(assemblyDir);
  const images = new Set(functions.map(f => f.asset?.hash ?? JSON.stringify(f.imageUri)));
  const stacks = new Set(functions.map(f => f.stack));
  const repositories = new Set(functions.flatMap(f => (f.destination ? [f.destination.repositoryName] : [])));
  const published = repositories.size > 0 ? `, published to ${[...repositories].join(', ')}` : '';
  const lines = [
    `${rel(cwd, assemblyDir)}: ${functions.length} container-image function${functions.length === 1 ? '' : 's'} in ${stacks.size} stack${stacks.size === 1 ? '' : 's'}, ${images.size} distinct image${images.size === 1 ? '' : 's'}${published}`,
  ];
  for (const fn of functions) {
    lines.push('', fn.path, ...describe(fn, cwd).map(([k, v]) => `  ${k.padEnd(13)} ${v}`));
  }
  return lines.join('\n');
}

function describe(fn: ImageFunction, cwd: string): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  if (fn.asset) {
    const dockerfile = path.join(fn.asset.directory, fn.asset.dockerFile);
    const { finalFrom, generated, layers, dependencies } = describeDockerfile(dockerfile);
    rows.push(['image source', `${generated ? 'generated Dockerfile' : 'your Dockerfile'}, FROM ${finalFrom ?? '?'}`]);
    if (dependencies) rows.push(['dependencies', dependencies]);
    if (layers.length > 0) rows.push(['image layers', layers.join(', ')]);
    rows.push(['architecture', `${fn.architecture} (build platform ${fn.asset.platform ?? 'unset'})`]);
    rows.push(['ImageConfig', imageConfig(fn)]);
    rows.push(['Dockerfile', rel(cwd, dockerfile)]);
    rows.push(['asset hash', fn.asset.hash]);
    if (fn.destination) rows.push(['repository', `${fn.destination.repositoryName} (tag ${fn.destination.imageTag})`]);
  } else {
    rows.push(['image source', `existing image ${JSON.stringify(fn.imageUri)}`]);
    rows.push(['architecture', fn.architecture]);
    rows.push(['ImageConfig', imageConfig(fn)]);
  }
  return rows;
}

function imageConfig(fn: ImageFunction): string {
  const entries = Object.entries(fn.imageConfig).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return entries.length > 0 ? entries.join(' ') : '(from the image)';
}

function rel(cwd: string, p: string): string {
  const r = path.relative(cwd, p);
  return r.startsWith('..') ? p : r || '.';
}
