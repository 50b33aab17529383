import * as tf from '@tensorflow/tfjs';
import { stockKernels, withScope, type KernelArgs } from './context';

/**
 * BatchMatMul whose transposed operands are transposed explicitly first. The stock wasm kernel sends only
 * untransposed single-batch products to XNNPACK; the dense layer's gradients (x^T dy and dy W^T) fell to a
 * scalar triple loop, an order of magnitude slower than the transpose plus the XNNPACK product.
 *
 * @example
 * ```ts
 * tf.matMul(a, b, true, false); // on wasm: transpose a, then XNNPACK
 * ```
 */
export function batchMatMul({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
  const single = (t: tf.TensorInfo) => t.shape.slice(0, -2).every((d) => d === 1);
  const stock = stockKernels.get(tf.BatchMatMul)!;
  if ((!transposeA && !transposeB) || !single(a) || !single(b)) return stock({ inputs, backend, attrs });
  return withScope(backend, (s) => {
    const swapLast = (t: tf.TensorInfo) => {
      const r = t.shape.length;
      return s.transpose(t, [...Array(r - 2).keys(), r - 1, r - 2]);
    };
    const a2 = transposeA ? swapLast(a) : a;
    const b2 = transposeB ? swapLast(b) : b;
    return s.run(tf.BatchMatMul, { a: a2, b: b2 }, { transposeA: false, transposeB: false });
  });
}
