import * as tf from '@tensorflow/tfjs';
import type { WasmScope } from './context';
import { simdKernels } from './simd';

/**
 * Settings of the convolution gradients:
 * - `smallPatch`: input gradients of patches (KH * KW * ci values) up to this size take the col2im route (one XNNPACK matrix
 *   product, then the SIMD module adds the patch gradients back): a convolution with so few input
 *   channels makes a poor XNNPACK convolution (e.g. a first layer on grey images, ci = 1). Larger ones run
 *   as forward convolutions, one per stride phase.
 * - `maxPatchValues`: the filter gradient builds its patch matrix for as many images at a time as keep it
 *   under this many values (64 MiB).
 *
 * @example
 * ```ts
 * tuning.smallPatch = 0; // tests: input gradients as forward convolutions only
 * ```
 */
export const tuning = { smallPatch: 32, maxPatchValues: 1 << 24 };

/**
 * dW [KH, KW, ci, co] as one XNNPACK matrix product over the patch matrix that the SIMD module builds,
 * for batch chunks whose patch matrix stays under `tuning.maxPatchValues` (their products summed).
 * XNNPACK repacks the product's right operand [P, n] on every call, at a cost that grows with P * n and
 * dominated the first layer's gradient (P = 50176, n = 64: ~30 ms against ~4 ms for the arithmetic). So
 * the operand with fewer columns goes right:
 * - k = KH*KW*ci >= co: dW = colsT [k, P] x dy [P, co];
 * - k < co (a first layer: k = 9 or 27): dW^T = dy^T [co, P] x cols [P, k], transposed back.
 *
 * @example
 * ```ts
 * return withScope(backend, (s) => filterGradIm2col(s, x, dy, convInfo));
 * ```
 */
export function filterGradIm2col(s: WasmScope, x: tf.TensorInfo, dy: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const { batchSize: nb, inHeight: h, inWidth: w, inChannels: ci, outHeight: oh, outWidth: ow, outChannels: co } = info;
  const k = info.filterHeight * info.filterWidth * ci;
  const simd = simdKernels(s.backend);
  const chunk = Math.max(1, Math.min(nb, Math.floor(tuning.maxPatchValues / (k * oh * ow))));
  const narrow = k < co;
  let sum: tf.TensorInfo | null = null;
  for (let b0 = 0; b0 < nb; b0 += chunk) {
    const n = Math.min(chunk, nb - b0);
    const p = n * oh * ow;
    const part = n === nb ? dy : s.slice(dy, [b0, 0, 0, 0], [n, oh, ow, co]);
    let g: tf.TensorInfo;
    if (narrow) {
      // Built transposed, then transposed back: copying patches tap by tap costs more than that for so few channels.
      const colsT = s.alloc([k, p]);
      simd.im2colT(x, colsT, n, info, b0 * h * w * ci * 4);
      const cols = s.alloc([1, p, k]);
      simd.transpose2d(colsT, cols);
      const dyT = s.alloc([1, co, p]);
      simd.transpose2d(s.reshape(part, [p, co]), dyT);
      g = s.run(tf.BatchMatMul, { a: dyT, b: cols }, { transposeA: false, transposeB: false });
    } else {
      const cols = s.alloc([1, k, p]);
      simd.im2colT(x, cols, n, info, b0 * h * w * ci * 4);
      g = s.run(tf.BatchMatMul, { a: cols, b: s.reshape(part, [1, p, co]) }, { transposeA: false, transposeB: false });
    }
    sum = sum === null ? g : s.run(tf.Add, { a: sum, b: g });
  }
  if (narrow) {
    const out = s.alloc([k, co]);
    simd.transpose2d(sum!, out);
    sum = out;
  }
  return s.reshape(sum!, [info.filterHeight, info.filterWidth, ci, co]);
}

/**
 * dx = col2im(dy [P, co] x W^T [co, KH*KW*ci]): each output position's patch gradient added back into dx
 * (the SIMD module's `col2im`).
 *
 * @example
 * ```ts
 * return withScope(backend, (s) => inputGradCol2im(s, dy, filter, convInfo));
 * ```
 */
export function inputGradCol2im(s: WasmScope, dy: tf.TensorInfo, filter: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const { batchSize: nb, inHeight: h, inWidth: w, inChannels: ci, outHeight: oh, outWidth: ow, outChannels: co } = info;
  const p = nb * oh * ow;
  const k = info.filterHeight * info.filterWidth * ci;
  const wt = s.transpose(s.reshape(filter, [1, k, co]), [0, 2, 1]);
  const z = s.run(tf.BatchMatMul, { a: s.reshape(dy, [1, p, co]), b: wt }, { transposeA: false, transposeB: false });
  const dx = s.alloc([nb, h, w, ci], true);
  simdKernels(s.backend).col2im(z, dx, info);
  return dx;
}
