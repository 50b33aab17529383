import * as tf from '@tensorflow/tfjs';
import { withScope, type KernelArgs } from './context';
import { simdKernels } from './simd';

type Pad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;

/**
 * The max-pooling input gradient: each output's gradient goes to the first position (row-major in its
 * window) holding the window's maximum, as the cpu backend decides ties. One pass over the windows,
 * channels innermost; the stock wasm kernel loops over every input position and its covering windows.
 * 2x2 windows at stride 2 (nearly every CNN's pooling) run in the SIMD module, four channels at a time.
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
    if (pairs) {
      // Positions outside every window (an odd last row or column) get no gradient; the SIMD loop writes the others.
      const out = s.alloc(input.shape, h !== 2 * oh || w !== 2 * ow);
      simdKernels(s.backend).maxPoolGrad2x2(input, dy, out);
      return out;
    }
    const out = s.alloc(input.shape, true);
    const x = s.view(input);
    const g = s.view(dy);
    const dx = s.view(out);
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
