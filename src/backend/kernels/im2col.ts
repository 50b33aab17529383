import * as tf from '@tensorflow/tfjs';
import type { WasmScope } from './context';

/**
 * `gemmFilterGrad`: the filter gradient of larger patches is built as a patch matrix and one matrix
 * product ({@link filterGradGemm}) rather than as one forward convolution; `maxPatchValues` caps the
 * patch matrix of one product (values; 2^23 = 32 MiB), larger batches go in chunks.
 *
 * `smallPatch`: patches of at most this many values (KH * KW * ci) take the im2col/col2im route: a convolution with so few
 * input channels makes a poor XNNPACK convolution (e.g. a first layer on grey images, ci = 1), while the
 * patch matrix is small enough to build in JS and one XNNPACK matrix product does the arithmetic.
 *
 * @example
 * ```ts
 * tuning.smallPatch = 0; // benchmarks: force the convolution route
 * tuning.gemmFilterGrad = false; // benchmarks: the filter gradient of larger patches as one convolution
 * ```
 */
export const tuning = { smallPatch: 32, gemmFilterGrad: true, maxPatchValues: 1 << 23 };

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
 * dW for many input channels: the patch matrix cols [P, KH*KW*ci] is built by copying each patch's
 * `ci` contiguous channel values at once (NHWC rows), then one XNNPACK product dy^T [co, P] x cols gives
 * dW^T [co, KH*KW*ci], transposed back to [KH, KW, ci, co]. For a convolution with a large reduction
 * (P = B*OH*OW) this runs at matrix-product speed, where the same sum as one forward convolution with
 * an OHxOW "filter" gets a few GFLOP/s from XNNPACK. The batch is taken in chunks whose patch matrix
 * holds at most `tuning.maxPatchValues` values, their products summed.
 *
 * @example
 * ```ts
 * return withScope(backend, (s) => filterGradGemm(s, x, dy, convInfo));
 * ```
 */
export function filterGradGemm(s: WasmScope, x: tf.TensorInfo, dy: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const { batchSize: nb, inHeight: h, inWidth: w, inChannels: ci, outHeight: oh, outWidth: ow, outChannels: co } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, padInfo } = info;
  const k = kh * kw * ci;
  const perImage = oh * ow;
  const chunk = Math.max(1, Math.min(nb, Math.floor(tuning.maxPatchValues / (perImage * k))));
  const dy2 = s.reshape(dy, [nb * perImage, co]);
  const sum = new Float32Array(co * k);
  for (let b0 = 0; b0 < nb; b0 += chunk) {
    const n = Math.min(chunk, nb - b0);
    const p = n * perImage;
    const dyt = s.transpose(s.reshape(s.slice(dy2, [b0 * perImage, 0], [p, co]), [1, p, co]), [0, 2, 1]);
    const cols = s.alloc([1, p, k], true);
    const xs = s.view(x);
    const cv = s.view(cols);
    let row = 0;
    for (let b = b0; b < b0 + n; b++) {
      for (let y = 0; y < oh; y++) {
        for (let q = 0; q < ow; q++, row += k) {
          for (let i = 0; i < kh; i++) {
            const r = y * sh + i - padInfo.top;
            if (r < 0 || r >= h) continue;
            const xRow = (b * h + r) * w;
            for (let j = 0; j < kw; j++) {
              const col = q * sw + j - padInfo.left;
              if (col < 0 || col >= w) continue;
              const from = (xRow + col) * ci;
              cv.set(xs.subarray(from, from + ci), row + (i * kw + j) * ci);
            }
          }
        }
      }
    }
    const gt = s.view(s.run(tf.BatchMatMul, { a: dyt, b: cols }, { transposeA: false, transposeB: false }));
    if (b0 === 0) sum.set(gt);
    else for (let e = 0; e < sum.length; e++) sum[e]! += gt[e]!;
  }
  const out = s.alloc([co, k]);
  s.view(out).set(sum);
  return s.reshape(s.transpose(out, [1, 0]), [kh, kw, ci, co]);
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
