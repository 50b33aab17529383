import * as tf from '@tensorflow/tfjs';
import { invalidArgument } from '../errors';
import { DEFAULTS } from '../options';
import type { Rng } from '../util/rng';
import { badInput } from './input';

/** Options of {@link splitIndices}. */
export interface SplitOptions {
  /** Random stream of the shuffle. */
  rng: Rng;
  /** Fraction held out (default `DEFAULTS.search.validationSplit`, 0.08333). */
  fraction?: number;
  /** Most held-out samples (default `DEFAULTS.search.maxValidationSamples`, 500). */
  maxSamples?: number;
  /** Class index of each sample: the split is then stratified (each class keeps its share). */
  classes?: ArrayLike<number>;
}

/** Sample indices of the two parts, each sorted ascending. */
export interface SplitIndices {
  train: Int32Array;
  validation: Int32Array;
}

/**
 * A seeded train / validation split of `n` samples. The validation size is
 * `min(maxSamples, max(1, round(n * fraction)))`, at most `n - 1`. With `classes`, each class gets
 * `floor(size * n_c / n)` places and the rest go by largest remainder (Hamilton's method), so the
 * class proportions are kept.
 *
 * @example
 * ```ts
 * const { train, validation } = splitIndices(1000, { rng: new Rng(1) }); // 917 / 83
 * ```
 */
export function splitIndices(n: number, options: SplitOptions): SplitIndices {
  const fraction = options.fraction ?? DEFAULTS.search.validationSplit;
  const maxSamples = options.maxSamples ?? DEFAULTS.search.maxValidationSamples;
  if (!(fraction > 0 && fraction < 1)) invalidArgument('validationSplit', 'a number in (0, 1)', fraction);
  if (!(Number.isInteger(maxSamples) && maxSamples >= 1)) invalidArgument('maxValidationSamples', 'a positive integer', maxSamples);
  if (n < 2) badInput('x', 'at least two samples to hold out a validation set', `${n} sample${n === 1 ? '' : 's'}`);
  const size = Math.min(maxSamples, n - 1, Math.max(1, Math.round(n * fraction)));
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const c = options.classes ? options.classes[i]! : 0;
    if (!groups.has(c)) groups.set(c, []);
    groups.get(c)!.push(i);
  }
  const keys = [...groups.keys()].sort((a, b) => a - b);
  const quota = keys.map((k) => (size * groups.get(k)!.length) / n);
  const take = quota.map(Math.floor);
  const order = keys.map((_, i) => i).sort((a, b) => quota[b]! - take[b]! - (quota[a]! - take[a]!) || a - b);
  for (let r = size - take.reduce((a, b) => a + b, 0), j = 0; r > 0; r--, j++) take[order[j % order.length]!]! += 1;
  const validation: number[] = [];
  keys.forEach((k, i) => validation.push(...options.rng.shuffle(groups.get(k)!).slice(0, take[i])));
  const held = new Uint8Array(n);
  for (const i of validation) held[i] = 1;
  const train: number[] = [];
  for (let i = 0; i < n; i++) if (!held[i]) train.push(i);
  return { train: Int32Array.from(train), validation: Int32Array.from(validation).sort() };
}

/**
 * Rows `indices` of `x` along axis 0, as a new tensor (caller disposes).
 *
 * @example
 * ```ts
 * const xVal = takeRows(x, split.validation); // [validation.length, ...]
 * ```
 */
export function takeRows<T extends tf.Tensor>(x: T, indices: ArrayLike<number>): T {
  return tf.tidy(() => tf.gather(x, tf.tensor1d(Int32Array.from(indices), 'int32')) as T);
}
