import * as tf from '@tensorflow/tfjs';
import { withScope, type KernelArgs, type WasmScope } from './context';

type Shape5 = [number, number, number, number, number];

/**
 * The full-correlation input of the 3D input gradient: `dy` with `stride - 1` zeros between its entries,
 * placed at offset `K - 1 - pad` inside a zero volume of extent `inputExtent + K - 1` per axis (entries that
 * fall outside are cropped), so that a `valid` convolution with the rotated filter yields exactly dx.
 */
function spreadGradient(s: WasmScope, dy: tf.TensorInfo, info: tf.backend_util.Conv3DInfo): tf.TensorInfo {
  const [b, od, oh, ow, c] = dy.shape as Shape5;
  const { inDepth, inHeight, inWidth, filterDepth: kd, filterHeight: kh, filterWidth: kw, padInfo } = info;
  const { strideDepth: sd, strideHeight: sh, strideWidth: sw } = info;
  const [pd, ph, pw] = [inDepth + kd - 1, inHeight + kh - 1, inWidth + kw - 1];
  const [offD, offH, offW] = [kd - 1 - padInfo.front, kh - 1 - padInfo.top, kw - 1 - padInfo.left];
  const out = s.alloc([b, pd, ph, pw, c], true);
  const src = s.view(dy);
  const dst = s.view(out);
  for (let n = 0; n < b; n++) {
    for (let d = 0; d < od; d++) {
      const z = d * sd + offD;
      if (z < 0 || z >= pd) continue;
      for (let i = 0; i < oh; i++) {
        const y = i * sh + offH;
        if (y < 0 || y >= ph) continue;
        for (let j = 0; j < ow; j++) {
          const x = j * sw + offW;
          if (x < 0 || x >= pw) continue;
          const from = (((n * od + d) * oh + i) * ow + j) * c;
          dst.set(src.subarray(from, from + c), (((n * pd + z) * ph + y) * pw + x) * c);
        }
      }
    }
  }
  return out;
}

/** The filter [KD, KH, KW, ci, co] rotated by 180 degrees on every spatial axis, channels swapped: [KD, KH, KW, co, ci]. */
function rotateFilter3D(s: WasmScope, filter: tf.TensorInfo): tf.TensorInfo {
  const [kd, kh, kw, ci, co] = filter.shape as Shape5;
  const out = s.alloc([kd, kh, kw, co, ci]);
  const src = s.view(filter);
  const dst = s.view(out);
  const taps = kd * kh * kw;
  for (let t = 0; t < taps; t++) {
    const from = (taps - 1 - t) * ci * co;
    const to = t * co * ci;
    for (let a = 0; a < ci; a++) for (let o = 0; o < co; o++) dst[to + o * ci + a] = src[from + a * co + o]!;
  }
  return out;
}

/**
 * dx for `y = conv3d(x, W)`. The stock wasm `Conv3DBackpropInputV2` of tfjs 4.22 disagrees with the cpu
 * backend (about 50% relative error on a 4x4x4 `same` convolution); this one is a `valid` forward
 * convolution (the stock `Conv3D`, which is correct) of the spread-out gradient with the rotated filter.
 *
 * @example
 * ```ts
 * tf.engine().runKernel('Conv3DBackpropInputV2', { dy, filter }, { strides: [1, 1, 1], pad: 'same', inputShape: [2, 4, 4, 4, 3] });
 * ```
 */
export function conv3DBackpropInput({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const a = attrs as { strides: [number, number, number]; pad: 'same' | 'valid'; inputShape: Shape5 };
  const info = tf.backend_util.computeConv3DInfo(a.inputShape, filter.shape as Shape5, a.strides, 1, a.pad);
  return withScope(backend, (s) => {
    const spread = spreadGradient(s, dy, info);
    const attrs3 = { strides: [1, 1, 1], pad: 'valid', dilations: [1, 1, 1], dataFormat: 'NDHWC' };
    return s.run(tf.Conv3D, { x: spread, filter: rotateFilter3D(s, filter) }, attrs3);
  });
}

/**
 * dW for `y = conv3d(x, W)`. The stock wasm `Conv3DBackpropFilterV2` of tfjs 4.22 is wrong for strides
 * above 1; this one is, as in 2D, one forward convolution (the stock `Conv3D`) of x^T = [ci, D, H, W, b],
 * zero-padded as the forward pass was, with the "filter" dy^T = [OD, OH, OW, b, co] at dilation = stride.
 *
 * @example
 * ```ts
 * tf.engine().runKernel('Conv3DBackpropFilterV2', { x, dy }, { strides: [2, 2, 2], pad: 'valid', filterShape: [2, 2, 2, 3, 4] });
 * ```
 */
export function conv3DBackpropFilter({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const a = attrs as { strides: [number, number, number]; pad: 'same' | 'valid'; filterShape: Shape5 };
  const info = tf.backend_util.computeConv3DInfo(x.shape as Shape5, a.filterShape, a.strides, 1, a.pad);
  const { filterDepth: kd, filterHeight: kh, filterWidth: kw, padInfo } = info;
  const k = [kd, kh, kw];
  const n = [info.inDepth, info.inHeight, info.inWidth];
  const o = [info.outDepth, info.outHeight, info.outWidth];
  const st = [info.strideDepth, info.strideHeight, info.strideWidth];
  const before = [padInfo.front, padInfo.top, padInfo.left];
  // Past the last input entry the forward pass read: padding (or, when negative, entries it never read).
  const after = [0, 1, 2].map((i) => k[i]! + (o[i]! - 1) * st[i]! - n[i]! - before[i]!);
  return withScope(backend, (s) => {
    let xt = s.transpose(x, [4, 1, 2, 3, 0]);
    if (before.some((p) => p > 0) || after.some((p) => p > 0)) {
      const paddings = [[0, 0], ...before.map((p, i) => [p, Math.max(after[i]!, 0)]), [0, 0]];
      xt = s.run(tf.PadV2, { x: xt }, { paddings, constantValue: 0 });
    }
    const dyt = s.transpose(dy, [1, 2, 3, 0, 4]);
    const attrs3 = { strides: [1, 1, 1], pad: 'valid', dilations: st, dataFormat: 'NDHWC' };
    let g = s.run(tf.Conv3D, { x: xt, filter: dyt }, attrs3);
    if (g.shape.slice(1, 4).some((d, i) => d !== k[i])) g = s.slice(g, [0, 0, 0, 0, 0], [g.shape[0]!, kd, kh, kw, g.shape[4]!]);
    return s.transpose(g, [1, 2, 3, 0, 4]);
  });
}
