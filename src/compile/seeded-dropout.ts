import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../util/rng';
import { overrideTrainingCall } from './training-call';

/**
 * Makes a tfjs-layers Dropout layer draw its training masks from `rng`: every training call is
 * `tf.dropout(x, rate)` with a fresh seed from `rng`, so the same seed gives the same masks, step after
 * step, while the masks still change from step to step. (A tfjs Dropout layer is either unseeded, drawing
 * from tfjs's global generator, or seeded with one number, repeating one mask at every step.) Inference
 * runs the layer's own `call` (the identity). The layer stays a plain Dropout (class name, config), so
 * exported models are unchanged.
 *
 * @example
 * ```ts
 * const drop = tf.layers.dropout({ rate: 0.5 });
 * useSeededDropout(drop, new Rng(1));
 * ```
 */
export function useSeededDropout(layer: tf.layers.Layer, rng: Rng): void {
  const { rate } = layer.getConfig() as { rate: number };
  overrideTrainingCall(layer, (x) => (rate > 0 && rate < 1 ? tf.dropout(x, rate, undefined, rng.seed()) : null));
}
