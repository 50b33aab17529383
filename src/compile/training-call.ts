import type * as tf from '@tensorflow/tfjs';

/**
 * Replaces how a tfjs-layers layer computes training batches: `train(x)` gets the first input of a
 * training call and returns the output, or null to let the layer's own `call` run, as it always does in
 * inference. The layer keeps its class, config and weights, so exported models are unchanged.
 *
 * @example
 * ```ts
 * overrideTrainingCall(layer, (x) => (x.dtype === 'float32' ? fastPath(x) : null));
 * ```
 */
export function overrideTrainingCall(layer: tf.layers.Layer, train: (x: tf.Tensor) => tf.Tensor | null): void {
  const stock = layer.call.bind(layer);
  layer.call = (inputs, kwargs) => {
    if (kwargs['training'] !== true) return stock(inputs, kwargs);
    return train(Array.isArray(inputs) ? inputs[0]! : inputs) ?? stock(inputs, kwargs);
  };
}
