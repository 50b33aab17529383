/** Command-line flags and the Fashion-MNIST data the quality benchmarks (bench:search, bench:generators) share. */
import { existsSync, readFileSync } from 'node:fs';
import { loadFashionMnistSample, loadIdxDirectory } from '../src/data/sample';
import type { IdxSplit } from '../src/data/sample';

/** The value after `--name` on the command line, else `fallback`. */
export function flag(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

/** The first `n` images of a split (all when it has fewer). */
function head(split: IdxSplit, n: number): IdxSplit {
  const [N, h, w] = split.x.shape as [number, number, number];
  const k = Math.min(n, N);
  return { x: { data: split.x.data.subarray(0, k * h * w), shape: [k, h, w] }, y: split.y.subarray(0, k) };
}

/**
 * Fashion-MNIST from /usr/share/datasets/fashion-mnist when present (Debian's dataset-fashion-mnist), else
 * the bundled sample; the first `--train-size` (default `trainSize`, else all) / `--test-size` (default all)
 * images, and a line naming them.
 */
export async function benchData(trainSize?: number): Promise<{ train: IdxSplit; test: IdxSplit; source: string }> {
  const system = '/usr/share/datasets/fashion-mnist';
  const full = existsSync(system);
  const data = full ? await loadIdxDirectory(system) : await loadFashionMnistSample();
  const train = head(data.train, Number(flag('train-size', String(trainSize ?? data.train.y.length))));
  const test = head(data.test, Number(flag('test-size', String(data.test.y.length))));
  const source = `${full ? `Fashion-MNIST (${system})` : 'bundled Fashion-MNIST sample'}, ${train.y.length} train / ${test.y.length} test images`;
  return { train, test, source };
}

/** The JSON-line rows of one or more files (`--rows-out` of earlier runs). */
export function readRows<T>(files: string[]): T[] {
  return files.flatMap((f) => readFileSync(f, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as T));
}

/** The mean of a non-empty list. */
export function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}
