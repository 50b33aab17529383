/**
 * Builds the bundled Fashion-MNIST sample: a stratified, seeded subset (3,000 train / 1,000 test, 300
 * and 100 images per class) of the full data set, written as gzipped IDX files with a README crediting
 * Zalando Research (MIT licence).
 *
 * Usage: `npx tsx scripts/make-sample.ts [sourceDir] [outDir]`
 * (defaults: /usr/share/datasets/fashion-mnist from Debian's dataset-fashion-mnist, data/fashion-mnist-sample).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { encodeIdx } from '../src/data/idx';
import { loadIdxDirectory } from '../src/data/sample';
import type { IdxSplit } from '../src/data/sample';
import { Rng } from '../src/util/rng';
import { README } from './sample-readme';

const SEED = 20190804;

/** `perClass` indices of each class, chosen by a seeded shuffle, returned in ascending order. */
function stratified(labels: Uint8Array, perClass: number, rng: Rng): number[] {
  const byClass = new Map<number, number[]>();
  labels.forEach((c, i) => (byClass.get(c) ?? byClass.set(c, []).get(c)!).push(i));
  const chosen: number[] = [];
  for (const c of [...byClass.keys()].sort((a, b) => a - b)) chosen.push(...rng.shuffle(byClass.get(c)!).slice(0, perClass));
  return chosen.sort((a, b) => a - b);
}

function subset(split: IdxSplit, indices: number[]): IdxSplit {
  const [, h, w] = split.x.shape as [number, number, number];
  const data = new Uint8Array(indices.length * h * w);
  indices.forEach((src, i) => data.set(split.x.data.subarray(src * h * w, (src + 1) * h * w), i * h * w));
  return { x: { data, shape: [indices.length, h, w] }, y: Uint8Array.from(indices, (i) => split.y[i]!) };
}

async function main(): Promise<void> {
  const source = process.argv[2] ?? '/usr/share/datasets/fashion-mnist';
  const out = process.argv[3] ?? path.join(__dirname, '..', 'data', 'fashion-mnist-sample');
  const { train, test } = await loadIdxDirectory(source);
  const rng = new Rng(SEED);
  const parts = { train: subset(train, stratified(train.y, 300, rng)), t10k: subset(test, stratified(test.y, 100, rng)) };
  await fs.mkdir(out, { recursive: true });
  for (const [prefix, part] of Object.entries(parts)) {
    await fs.writeFile(path.join(out, `${prefix}-images-idx3-ubyte.gz`), encodeIdx(part.x, true));
    await fs.writeFile(path.join(out, `${prefix}-labels-idx1-ubyte.gz`), encodeIdx({ shape: [part.y.length], data: part.y }, true));
    console.log(`${prefix}: ${part.y.length} images`);
  }
  await fs.writeFile(path.join(out, 'README.md'), README(SEED));
  console.log(`wrote ${out}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
