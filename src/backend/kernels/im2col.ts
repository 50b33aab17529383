import * as tf from '@tensorflow/tfjs';
import type { WasmScope } from './context';

/**
 * `smallPatch`: patches of at most this many values (KH * KW * ci) take the im2col/col2im route: a convolution with so few
 * input channels makes a poor XNNPACK convolution (e.g. a first layer on grey images, ci = 1), while the
 * patch matrix is small enough to build in JS and one XNNPACK matrix product does the arithmetic.
 *
 * @example
 * ```ts
 * tuning.smallPatch = 0; // benchmarks: force the convolution route
 * ```
 */
export const tuning = { smallPatch: 32 };

/**
 * dW [KH, KW, ci, co] = cols [KH*KW*ci, P] x dy [P, co], where cols holds x's patch values (0 in padding).
 *
 * @example
 * ```ts
 * return withScope(backend, (s) => filterGradIm2col(s, x, dy, convInfo));
 * ```
 */
export function filterGradIm2col(s: WasmScope, x: tf.TensorInfo, dy: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const { batchSize: nb, inHeight: h, inWidth: w, inChannels: ci, outHeight: oh, outWidth: ow, outChannels: co } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, padInfo } = info;
  const p = nb * oh * ow;
  const k = kh * kw * ci;
  const cols = s.alloc([1, k, p], true);
  const xs = s.view(x);
  const cv = s.view(cols);
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      for (let c = 0; c < ci; c++) {
        const rowBase = ((i * kw + j) * ci + c) * p;
        for (let b = 0; b < nb; b++) {
          for (let y = 0; y < oh; y++) {
            const r = y * sh + i - padInfo.top;
            if (r < 0 || r >= h) continue;
            const xRow = (b * h + r) * w * ci + c;
            const out = rowBase + (b * oh + y) * ow;
            for (let q = 0; q < ow; q++) {
              const col = q * sw + j - padInfo.left;
              if (col >= 0 && col < w) cv[out + q] = xs[xRow + col * ci]!;
            }
          }
        }
      }
    }
  }
  const g = s.run(tf.BatchMatMul, { a: cols, b: s.reshape(dy, [1, p, co]) }, { transposeA: false, transposeB: false });
  return s.reshape(g, [kh, kw, ci, co]);
}

/**
 * dx = col2im(dy [P, co] x W^T [co, KH*KW*ci]): each output position's patch gradient added back into dx.
 *
 * @example
 * ```ts
 * return withScope(backend, (s) => inputGradCol2im(s, dy, filter, convInfo));
 * ```
 */
export function inputGradCol2im(s: WasmScope, dy: tf.TensorInfo, filter: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const { batchSize: nb, inHeight: h, inWidth: w, inChannels: ci, outHeight: oh, outWidth: ow, outChannels: co } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, padInfo } = info;
  const p = nb * oh * ow;
  const k = kh * kw * ci;
  const wt = s.transpose(s.reshape(filter, [1, k, co]), [0, 2, 1]);
  const z = s.run(tf.BatchMatMul, { a: s.reshape(dy, [1, p, co]), b: wt }, { transposeA: false, transposeB: false });
  const dx = s.alloc([nb, h, w, ci], true);
  const zv = s.view(z);
  const dv = s.view(dx);
  for (let b = 0; b < nb; b++) {
    for (let y = 0; y < oh; y++) {
      for (let q = 0; q < ow; q++) {
        const zBase = ((b * oh + y) * ow + q) * k;
        for (let i = 0; i < kh; i++) {
          const r = y * sh + i - padInfo.top;
          if (r < 0 || r >= h) continue;
          for (let j = 0; j < kw; j++) {
            const col = q * sw + j - padInfo.left;
            if (col < 0 || col >= w) continue;
            const to = ((b * h + r) * w + col) * ci;
            const from = zBase + (i * kw + j) * ci;
            for (let c = 0; c < ci; c++) dv[to + c]! += zv[from + c]!;
          }
        }
      }
    }
  }
  return dx;
}
