import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../util/rng';

interface LayerCall {
  call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[];
}

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
 * useSeededDropout(drop, 0.5, new Rng(1));
 * ```
 */
export function useSeededDropout(layer: tf.layers.Layer, rate: number, rng: Rng): void {
  const d = layer as unknown as LayerCall;
  const stock = d.call.bind(layer);
  d.call = (inputs, kwargs) => {
    if (kwargs['training'] !== true || !(rate > 0 && rate < 1)) return stock(inputs, kwargs);
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    return tf.dropout(x, rate, undefined, rng.seed());
  };
}
