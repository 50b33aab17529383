import * as tf from '@tensorflow/tfjs';
import { InputDataError, describeValue } from '../errors';

/** The JSON document of a {@link Normalizer}. */
export interface NormalizerJSON {
  format: 'autokeras-ts/normalizer';
  version: 1;
  /** Multiplier applied first: `1/255` for data that looked like uint8, else 1. */
  scale: number;
  /** Per-channel mean of the scaled training data, `[C]`. */
  mean: number[];
  /** Per-channel standard deviation of the scaled training data, `[C]` (1 where it was ~0). */
  std: number[];
}

/** Standard deviations below this count as constant channels (divided by 1 instead). */
const MIN_STD = 1e-7;

/**
 * Input preprocessing (docs/algorithms.md section 5): `x' = (x * scale - mean[c]) / std[c]` over the last
 * (channel) axis. `scale` is 1/255 when the training data looked like uint8 (integers, or values in
 * [0, 255] with a maximum above 1), else 1. Fitted on training data only, then applied unchanged to
 * validation, test and predict-time data, and saved in the exported preprocessing JSON.
 *
 * @example
 * ```ts
 * const norm = Normalizer.fit(xTrain);         // [N, H, W, C] float32
 * const xs = norm.transform(xTest);            // new tensor, same shape
 * const again = Normalizer.fromJSON(norm.toJSON());
 * ```
 */
export class Normalizer {
  private constructor(readonly scale: number, readonly mean: readonly number[], readonly std: readonly number[]) {}

  /** Fits on `x` `[N, ..., C]`; `integer` says the source held integers (forces 1/255 when max > 1). */
  static fit(x: tf.Tensor, integer = false): Normalizer {
    const stats = batchStats(x);
    return Normalizer.fromStats(stats.min, stats.max, stats.mean, stats.variance, integer);
  }

  /**
   * Fits in one pass over batches `[B, ..., C]` that together are the training data (the pipeline
   * case): per-channel means and variances are merged batch by batch (Chan, Golub & LeVeque's parallel
   * update), so the result equals {@link Normalizer.fit} on the concatenation up to rounding. The
   * batches are not disposed. `integer` may be a function, read after the last batch.
   *
   * @example
   * ```ts
   * const norm = await Normalizer.fitBatches(chunks, true); // chunks: tf.Tensor[] of uint8-valued images
   * ```
   */
  static async fitBatches(batches: AsyncIterable<tf.Tensor> | Iterable<tf.Tensor>, integer: boolean | (() => boolean) = false): Promise<Normalizer> {
    let n = 0, min = Infinity, max = -Infinity;
    let mean: number[] = [], m2: number[] = [];
    for await (const x of batches) {
      const b = batchStats(x);
      const nb = x.size / b.mean.length;
      if (n === 0) [mean, m2] = [b.mean.map(() => 0), b.mean.map(() => 0)];
      if (b.mean.length !== mean.length) throw new InputDataError(`Received an invalid value for \`batches\`, expected ${mean.length} channels in every batch. Received: a batch with ${b.mean.length}`);
      const total = n + nb;
      b.mean.forEach((mb, c) => {
        const delta = mb - mean[c]!;
        mean[c] = mean[c]! + (delta * nb) / total;
        m2[c] = m2[c]! + b.variance[c]! * nb + (delta * delta * n * nb) / total;
      });
      [n, min, max] = [total, Math.min(min, b.min), Math.max(max, b.max)];
    }
    if (n === 0) throw new InputDataError('Received an invalid value for `batches`, expected at least one batch. Received: an empty stream');
    return Normalizer.fromStats(min, max, mean, m2.map((v) => v / n), typeof integer === 'function' ? integer() : integer);
  }

  /** The normaliser of raw statistics: decides the scale, then scales mean and variance. */
  private static fromStats(min: number, max: number, mean: number[], variance: number[], integer: boolean): Normalizer {
    if (![min, max, ...mean, ...variance].every(Number.isFinite)) {
      throw new InputDataError(`Received an invalid value for \`x\`, expected finite values only. Received: data whose statistics are not finite (min ${min}, max ${max}, mean ${describeValue(mean)}): it holds NaN or infinite values`);
    }
    const scale = max > 1 && min >= 0 && (integer || max <= 255) ? 1 / 255 : 1;
    const std = variance.map((v) => Math.sqrt(v) * scale).map((s) => (s < MIN_STD ? 1 : s));
    return new Normalizer(scale, mean.map((m) => m * scale), std);
  }

  /** Number of channels C. */
  get channels(): number {
    return this.mean.length;
  }

  /** The normalised copy of `x` `[N, ..., C]` (the input is not disposed). */
  transform(x: tf.Tensor): tf.Tensor {
    const c = x.shape[x.shape.length - 1];
    if (c !== this.channels) throw new InputDataError(`Received an invalid value for \`x\`, expected ${this.channels} channels (as in fit). Received: x with ${c} channels`);
    return tf.tidy(() => x.mul(this.scale).sub(tf.tensor1d(this.mean as number[])).div(tf.tensor1d(this.std as number[])));
  }

  /** The JSON document; a non-finite statistic (which {@link Normalizer.fit} never produces) is refused, never written. */
  toJSON(): NormalizerJSON {
    if (![this.scale, ...this.mean, ...this.std].every(Number.isFinite)) throw new InputDataError(`Refusing to save a normaliser with non-finite statistics (scale ${this.scale}, mean ${describeValue(this.mean)}, std ${describeValue(this.std)})`);
    return { format: 'autokeras-ts/normalizer', version: 1, scale: this.scale, mean: this.mean.slice(), std: this.std.slice() };
  }

  /** Restores a normaliser from {@link Normalizer.toJSON}. */
  static fromJSON(doc: unknown): Normalizer {
    const d = doc as Partial<NormalizerJSON>;
    const nums = (v: unknown): v is number[] => Array.isArray(v) && v.every((n) => Number.isFinite(n));
    if (!d || d.format !== 'autokeras-ts/normalizer' || d.version !== 1 || !Number.isFinite(d.scale) || !nums(d.mean) || !nums(d.std) || d.mean.length !== d.std.length) {
      throw new InputDataError(`Not a normaliser document (format "autokeras-ts/normalizer", version 1): ${describeValue(doc)}`);
    }
    return new Normalizer(d.scale!, d.mean.slice(), d.std.slice());
  }
}

/** Min, max and per-channel (last axis) mean and population variance of `x`. */
function batchStats(x: tf.Tensor): { min: number; max: number; mean: number[]; variance: number[] } {
  const axes = x.shape.map((_, i) => i).slice(0, -1);
  const parts = tf.tidy(() => {
    const m = tf.moments(x, axes);
    return [x.min().reshape([1]), x.max().reshape([1]), m.mean, m.variance];
  });
  const [min, max, mean, variance] = parts.map((t) => Array.from(t.dataSync()));
  tf.dispose(parts);
  return { min: min![0]!, max: max![0]!, mean: mean!, variance: variance! };
}
