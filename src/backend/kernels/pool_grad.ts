import * as tf from '@tensorflow/tfjs';
import { withScope, type KernelArgs } from './context';

type Pad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;

/**
 * The max-pooling input gradient: each output's gradient goes to the first position (row-major in its
 * window) holding the window's maximum, as the cpu backend decides ties. One pass over the windows,
 * channels innermost; the stock wasm kernel loops over every input position and its covering windows.
 *
 * @example
 * ```ts
 * tf.grad((x: tf.Tensor4D) => tf.maxPool(x, 2, 2, 'valid').sum())(x); // runs MaxPoolGrad
 * ```
 */
export function maxPoolGrad({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const a = attrs as { filterSize: number | [number, number]; strides: number | [number, number]; pad: Pad; dimRoundingMode?: 'floor' | 'round' | 'ceil' };
  const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
  const { batchSize, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = info;
  const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw, padInfo } = info;
  const pairs = fh === 2 && fw === 2 && sh === 2 && sw === 2 && padInfo.top === 0 && padInfo.left === 0;
  return withScope(backend, (s) => {
    const out = s.alloc(input.shape, true);
    const x = s.view(input);
    const g = s.view(dy);
    const dx = s.view(out);
    if (pairs) {
      maxPoolGrad2x2(x, g, dx, batchSize, h, w, c, oh, ow);
      return out;
    }
    const best = new Float32Array(c);
    const at = new Int32Array(c);
    for (let b = 0; b < batchSize; b++) {
      for (let i = 0; i < oh; i++) {
        const r0 = Math.max(i * sh - padInfo.top, 0);
        const r1 = Math.min(i * sh - padInfo.top + fh, h);
        for (let j = 0; j < ow; j++) {
          const c0 = Math.max(j * sw - padInfo.left, 0);
          const c1 = Math.min(j * sw - padInfo.left + fw, w);
          best.fill(-Infinity);
          at.fill(-1);
          for (let r = r0; r < r1; r++) {
            for (let col = c0; col < c1; col++) {
              const base = ((b * h + r) * w + col) * c;
              for (let k = 0; k < c; k++) {
                const v = x[base + k]!;
                if (v > best[k]!) { best[k] = v; at[k] = base + k; }
              }
            }
          }
          const gBase = ((b * oh + i) * ow + j) * c;
          for (let k = 0; k < c; k++) if (at[k]! >= 0) dx[at[k]!]! += g[gBase + k]!;
        }
      }
    }
    return out;
  });
}

/**
 * The 2x2, stride-2 `valid` case (the pooling of nearly every CNN) without the general loop's bookkeeping:
 * four reads, three comparisons and one write per output value. Ties go to the first maximum in row-major order.
 */
function maxPoolGrad2x2(x: Float32Array, g: Float32Array, dx: Float32Array,
  batch: number, h: number, w: number, c: number, oh: number, ow: number): void {
  const row = w * c;
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        const p00 = ((b * h + 2 * i) * w + 2 * j) * c;
        const p01 = p00 + c;
        const p10 = p00 + row;
        const p11 = p10 + c;
        const gBase = ((b * oh + i) * ow + j) * c;
        for (let k = 0; k < c; k++) {
          let at = p00 + k;
          let best = x[at]!;
          let v = x[p01 + k]!;
          if (v > best) { best = v; at = p01 + k; }
          v = x[p10 + k]!;
          if (v > best) { best = v; at = p10 + k; }
          v = x[p11 + k]!;
          if (v > best) at = p11 + k;
          dx[at] = g[gBase + k]!;
        }
      }
    }
  }
}
