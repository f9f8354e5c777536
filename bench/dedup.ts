/**
 * De-duplication benchmark (needs the e2e tools: `scripts/e2e/setup.sh`, or `npx projen e2e`).
 *
 * Ten functions share the base image and the same dependencies (Pillow) but have different code;
 * each image is pushed into one repository of the local registry. The ratio is the bytes the
 * repository stores (every distinct blob its ten manifests reference, counted once) ÷ the ideal
 * (the shared base and dependency layers once, plus each function's code layer), for the
 * Dockerfile this library generates and for a naive one, measured in the same run.
 *
 *   npx projen bench:dedup
 */
import * as fs from 'fs';
import * as path from 'path';
import { handlerDir, manifest, naive, OUT, ours, push } from './images';

const ROOT = path.join(OUT, 'dedup');
const FUNCTIONS = 10;

/** Distinct blobs (layers and configs) referenced by the repository's manifests, in bytes. */
function storedBytes(repo: string, tags: string[]): number {
  const blobs = new Map<string, number>();
  for (const tag of tags) {
    const m = manifest(repo, tag);
    for (const blob of [m.config, ...m.layers]) blobs.set(blob.digest, blob.size);
  }
  return [...blobs.values()].reduce((a, b) => a + b, 0);
}

async function run(name: string, build: (dir: string) => string | Promise<string>): Promise<{ repo: string; tags: string[]; seconds: number }> {
  const repo = `bench/dedup-${name}-${Date.now()}`;
  const tags: string[] = [];
  const started = Date.now();
  for (let i = 0; i < FUNCTIONS; i++) {
    const dir = path.join(ROOT, name, `fn${i}`);
    fs.rmSync(dir, { recursive: true, force: true });
    handlerDir(dir, i, `function-${i}`, 2, repo); // same requirements.txt, different ~200 kB of code
    push(await build(dir), repo, `fn${i}`);
    tags.push(`fn${i}`);
  }
  return { repo, tags, seconds: (Date.now() - started) / 1000 };
}

async function main() {
  const generated = await run('generated', ours);
  const plain = await run('naive', naive);
  // Ideal: everything of the first generated image once (base + dependencies + its code and
  // config), plus the code layer and config of each other function.
  const first = manifest(generated.repo, generated.tags[0]);
  const ideal = [first.config, ...first.layers].reduce((n, b) => n + b.size, 0)
    + generated.tags.slice(1).reduce((n, tag) => {
      const m = manifest(generated.repo, tag);
      return n + m.config.size + m.layers[m.layers.length - 1].size;
    }, 0);
  const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
  console.log(`De-duplication: ${FUNCTIONS} functions, same base and dependencies (Pillow), different code, one repository\n`);
  console.log('| Dockerfile | bytes stored | ideal | ratio | build + push |');
  console.log('|---|---|---|---|---|');
  for (const [label, r] of [['generated', generated], ['naive', plain]] as const) {
    const stored = storedBytes(r.repo, r.tags);
    console.log(`| ${label} | ${mb(stored)} | ${mb(ideal)} | **${(stored / ideal).toFixed(3)}** | ${r.seconds.toFixed(0)} s |`);
  }
}

void main();
