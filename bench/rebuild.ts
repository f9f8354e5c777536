/**
 * Rebuild-cost benchmark (needs the e2e tools: run `scripts/e2e/setup.sh` first, or `npx projen e2e`).
 *
 * A ~1 MB handler directory with Pillow as its dependency is built and pushed to the local
 * registry; one line of the handler changes; the image is rebuilt and pushed again. The ratio is
 * bytes the second push adds to the registry ÷ size of the new code layer (1.0 is the physical
 * limit), for the Dockerfile this library generates and for a naive one (copy everything, then
 * install the dependencies), measured in the same run.
 *
 *   npx projen bench:rebuild
 */
import * as fs from 'fs';
import * as path from 'path';
import { handlerDir, layerSize, naive, OUT, ours, push, registryBytes } from './images';

const ROOT = path.join(OUT, 'rebuild');

async function measure(name: string, build: (dir: string) => string | Promise<string>, codeLayerIndex: number) {
  const dir = path.join(ROOT, name);
  fs.rmSync(dir, { recursive: true, force: true });
  // A nonce per run: the registry keeps earlier runs' blobs, and the second push must be new content.
  const nonce = `${name}-${Date.now()}`;
  handlerDir(dir, 1, 'bench', 10, nonce);
  const repo = `bench/${nonce}`;
  push(await build(dir), repo, 'v1');
  handlerDir(dir, 2, 'bench', 10, nonce); // a one-line change
  const started = Date.now();
  const image = await build(dir);
  const rebuildSeconds = (Date.now() - started) / 1000;
  const before = registryBytes();
  push(image, repo, 'v2');
  const added = registryBytes() - before;
  const codeLayer = layerSize(repo, 'v2', codeLayerIndex);
  return { name, added, codeLayer, ratio: added / codeLayer, rebuildSeconds };
}

async function main() {
  fs.mkdirSync(ROOT, { recursive: true });
  const rows = [
    await measure('generated', ours, -1), // the code layer is the last one
    await measure('naive', naive, -2), //    COPY . then RUN pip install: the code layer is the one before
  ];
  const kb = (b: number) => `${(b / 1024).toFixed(0)} kB`;
  console.log('Rebuild cost after a one-line change to a ~1 MB handler (Pillow dependency), pushed to a local registry\n');
  console.log('| Dockerfile | bytes the push adds | new code layer | ratio (1.0 = physical limit) | rebuild time |');
  console.log('|---|---|---|---|---|');
  for (const r of rows) {
    console.log(`| ${r.name} | ${kb(r.added)} | ${kb(r.codeLayer)} | **${r.ratio.toFixed(3)}** | ${r.rebuildSeconds.toFixed(1)} s |`);
  }
}

void main();
