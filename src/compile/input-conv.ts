import * as tf from '@tensorflow/tfjs';
import { overrideTrainingCall } from './training-call';

/** What a tfjs-layers Conv2D keeps (not in its public typings; same names at runtime). */
interface ConvInternals {
  kernel: { read(): tf.Tensor };
  bias: { read(): tf.Tensor } | null;
  useBias: boolean;
  strides: number[];
  padding: 'same' | 'valid';
  dataFormat: 'channelsLast' | 'channelsFirst';
  dilationRate: number | number[];
  activation: { getClassName(): string };
}

/**
 * For a Conv2D layer applied to the model's input: computes training batches with `tf.conv2d` plus a bias
 * add rather than tfjs-layers' fused convolution, whose custom gradient computes the input gradient
 * eagerly, a full convolution (about 5 ms per batch of 64 28x28 images on wasm) that nothing reads when
 * the input is the data. tfjs's Conv2D gradient computes each input's gradient only when asked, so the
 * input gradient is still right when someone does ask for it. Inference, and layers with an activation or
 * channels first, keep the layer's own `call`; the layer stays a plain Conv2D.
 *
 * @example
 * ```ts
 * const conv = tf.layers.conv2d({ filters: 32, kernelSize: 3 });
 * skipEagerInputGradient(conv); // then conv.apply(modelInput)
 * ```
 */
export function skipEagerInputGradient(layer: tf.layers.Layer): void {
  const conv = layer as unknown as ConvInternals;
  overrideTrainingCall(layer, (x) => {
    if (conv.activation.getClassName() !== 'linear' || conv.dataFormat !== 'channelsLast') return null;
    return tf.tidy(() => {
      const y = tf.conv2d(x as tf.Tensor4D, conv.kernel.read() as tf.Tensor4D, conv.strides as [number, number], conv.padding, 'NHWC', conv.dilationRate as [number, number]);
      return conv.useBias && conv.bias ? tf.add(y, conv.bias.read()) : y;
    });
  });
}
