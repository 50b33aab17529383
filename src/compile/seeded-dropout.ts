import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../util/rng';
import { overrideTrainingCall } from './training-call';

/**
 * A dropout mask of `size` values, each `1 / (1 - rate)` (kept) or 0 (dropped, with probability `rate`), drawn
 * by an inline sfc32 generator (the algorithm of {@link Rng}) seeded with four words of `rng`: one integer
 * comparison per value. `tf.dropout` draws a float per value through tfjs's seeded generator and then runs
 * three kernels on it (add, floor, divide): about 3 ms for a `[64, 64, 64]` mask against well under 1 ms here.
 *
 * @example
 * ```ts
 * const mask = dropoutMask(6, 0.5, new Rng(1)); // e.g. [2, 0, 0, 2, 2, 0]
 * ```
 */
export function dropoutMask(size: number, rate: number, rng: Rng): Float32Array {
  const out = new Float32Array(size);
  const kept = 1 / (1 - rate);
  const threshold = Math.min(Math.floor(rate * 4294967296), 4294967295); // a raw word >= threshold keeps the value
  let a = rng.nextUint32() | 0;
  let b = rng.nextUint32() | 0;
  let c = rng.nextUint32() | 0;
  let d = rng.nextUint32() | 0;
  for (let i = 0; i < size; i++) {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = ((c << 21) | (c >>> 11)) + t | 0;
    out[i] = t >>> 0 >= threshold ? kept : 0;
  }
  return out;
}

/**
 * Makes a tfjs-layers Dropout layer draw its training masks from `rng`: every training call multiplies its
 * input by a fresh {@link dropoutMask} from `rng` (what `tf.dropout` computes, with a faster generator), so
 * the same seed gives the same masks, step after step, while the masks still change from step to step. (A
 * tfjs Dropout layer is either unseeded, drawing from tfjs's global generator, or seeded with one number,
 * repeating one mask at every step.) Inference runs the layer's own `call` (the identity). The layer stays a
 * plain Dropout (class name, config), so exported models are unchanged.
 *
 * @example
 * ```ts
 * const drop = tf.layers.dropout({ rate: 0.5 });
 * useSeededDropout(drop, new Rng(1));
 * ```
 */
export function useSeededDropout(layer: tf.layers.Layer, rng: Rng): void {
  const { rate } = layer.getConfig() as { rate: number };
  overrideTrainingCall(layer, (x) => {
    if (!(rate > 0 && rate < 1) || x.dtype !== 'float32') return null;
    return tf.tidy(() => tf.mul(x, tf.tensor(dropoutMask(x.size, rate, rng), x.shape, 'float32')));
  });
}
