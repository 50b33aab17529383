/** Command-line flags, the Fashion-MNIST data the quality benchmarks (bench:search, bench:generators) share, and the scikit-learn runner of bench:structured and bench:text. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadFashionMnistSample, loadIdxDirectory } from '../src/data/sample';
import type { IdxSplit } from '../src/data/sample';

/** The value after `--name` on the command line, else `fallback`. */
export function flag(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

/** The Debian python the baselines run with (not a python3 from another PATH). */
export const PYTHON = '/usr/bin/python3';

/**
 * Runs a scikit-learn baseline script of bench/ on the split indices: writes `manifest` to
 * `outDir/splits.json`, runs `PYTHON script file` and parses the JSON it prints; a sentence saying why
 * instead when python or scikit-learn is missing.
 */
export function runSklearnScript<T>(script: string, manifest: unknown, outDir: string): T | string {
  if (!existsSync(PYTHON)) return `${PYTHON} not found`;
  try {
    execFileSync(PYTHON, ['-c', 'import sklearn'], { stdio: 'pipe' });
  } catch {
    return 'scikit-learn is not installed for /usr/bin/python3 (Debian: apt install python3-sklearn)';
  }
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, 'splits.json');
  writeFileSync(file, JSON.stringify(manifest));
  const out = execFileSync(PYTHON, [path.join(__dirname, script), file], { encoding: 'utf8', maxBuffer: 1 << 24 });
  return JSON.parse(out) as T;
}

/** Images `from` .. `from + n - 1` of a split (fewer where it ends). */
function rows(split: IdxSplit, from: number, n: number): IdxSplit {
  const [N, h, w] = split.x.shape as [number, number, number];
  const end = Math.min(from + n, N);
  return { x: { data: split.x.data.subarray(from * h * w, end * h * w), shape: [end - from, h, w] }, y: split.y.subarray(from, end) };
}

/**
 * Fashion-MNIST from /usr/share/datasets/fashion-mnist (or `--data-dir D`, IDX files) when present (Debian's dataset-fashion-mnist), else
 * the bundled sample; the first `--train-size` (default `trainSize`, else all) / `--test-size` (default all)
 * images, and a line naming them. With `--validation-size N`, also the N training images after those
 * (a validation set the runs pass as `validationData`, instead of each holding out a split of its own).
 */
export async function benchData(trainSize?: number): Promise<{ train: IdxSplit; test: IdxSplit; validation?: IdxSplit; source: string }> {
  const system = flag('data-dir', '/usr/share/datasets/fashion-mnist')!;
  const full = existsSync(system);
  const data = full ? await loadIdxDirectory(system) : await loadFashionMnistSample();
  const train = rows(data.train, 0, Number(flag('train-size', String(trainSize ?? data.train.y.length))));
  const test = rows(data.test, 0, Number(flag('test-size', String(data.test.y.length))));
  const n = Number(flag('validation-size', '0'));
  const validation = n > 0 ? rows(data.train, train.y.length, n) : undefined;
  if (validation && validation.y.length < n) throw new Error(`--validation-size ${n}: only ${validation.y.length} training images are left after the ${train.y.length} that train`);
  const source = `${full ? `Fashion-MNIST (${system})` : 'bundled Fashion-MNIST sample'}, ${train.y.length} train / ${test.y.length} test images` +
    (validation ? `, ${n} validation images (the train split's next ${n})` : '');
  return { train, test, ...(validation ? { validation } : {}), source };
}

/** The JSON-line rows of one or more files (`--rows-out` of earlier runs). */
export function readRows<T>(files: string[]): T[] {
  return files.flatMap((f) => readFileSync(f, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as T));
}

/** The mean of a non-empty list. */
export function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}
