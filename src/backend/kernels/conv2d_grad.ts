import * as tf from '@tensorflow/tfjs';
import { withScope, type KernelArgs, type WasmScope } from './context';
import { filterGradIm2col, inputGradCol2im, tuning } from './im2col';

type Pad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
type Shape4 = [number, number, number, number];

interface GradAttrs {
  strides: number | [number, number];
  pad: Pad;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  dataFormat?: 'NHWC' | 'NCHW';
}

function convInfo(xShape: number[], filterShape: number[], a: GradAttrs): tf.backend_util.Conv2DInfo {
  if (a.dataFormat === 'NCHW') throw new Error('wasm convolution gradients support only channels-last (NHWC) data');
  return tf.backend_util.computeConv2DInfo(xShape as Shape4, filterShape as Shape4, a.strides, 1, a.pad, a.dimRoundingMode);
}

/**
 * A forward convolution (XNNPACK) with explicit padding `[top, bottom, left, right]`; a negative padding crops
 * that side instead. The result is cut to `outHW` rows and columns.
 */
function conv(s: WasmScope, x: tf.TensorInfo, filter: tf.TensorInfo, pads: [number, number, number, number], outHW: [number, number]): tf.TensorInfo {
  const [top, bottom, left, right] = pads.map((p) => Math.max(p, 0)) as [number, number, number, number];
  const pad: tf.backend_util.ExplicitPadding = [[0, 0], [top, bottom], [left, right], [0, 0]];
  const y = s.run('Conv2D', { x, filter }, { strides: [1, 1], dilations: [1, 1], pad, dataFormat: 'NHWC' } as unknown as tf.NamedAttrMap);
  const [n, h, w, c] = y.shape as Shape4;
  if (h === outHW[0] && w === outHW[1]) return y;
  return s.slice(y, [0, Math.max(-pads[0], 0), Math.max(-pads[2], 0), 0], [n, outHW[0], outHW[1], c]);
}

/**
 * dW for `y = conv2d(x, W)`: dW[kh,kw,ci,co] = sum_{b,oh,ow} x[b, oh*s + kh - pt, ow*s + kw - pl, ci] dy[b,oh,ow,co],
 * one XNNPACK matrix product over the patch matrix of x ({@link filterGradIm2col}).
 *
 * @example
 * ```ts
 * tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 1, 32] });
 * ```
 */
export function conv2DBackpropFilter({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const a = attrs as unknown as GradAttrs & { filterShape: Shape4 };
  const info = convInfo(x.shape, a.filterShape, a);
  return withScope(backend, (s) => filterGradIm2col(s, x, dy, info));
}

/**
 * One axis of a stride phase of the input gradient: the dx rows `r = first + s * t` (t < count) whose
 * `(r + padBefore) mod s` is `phase` take the filter taps `phase + m * s` (m < taps) against the dy rows
 * `base + t - m`: a stride-1 full correlation of dy with those taps reversed.
 */
interface PhaseAxis { first: number; count: number; taps: number; base: number }

function phaseAxis(phase: number, s: number, k: number, n: number, padBefore: number): PhaseAxis {
  const first = (((phase - padBefore) % s) + s) % s;
  return { first, count: first < n ? Math.ceil((n - first) / s) : 0, taps: phase < k ? Math.ceil((k - phase) / s) : 0, base: (first + padBefore - phase) / s };
}

/**
 * The taps `phase + m * stride` of filter [KH, KW, ci, co] on each axis, rotated by 180 degrees and with
 * the channels swapped: [rows.taps, cols.taps, co, ci]. With stride 1 and phase 0, the whole filter rotated.
 */
function phaseFilter(s: WasmScope, filter: tf.TensorInfo, ph: number, pw: number, sh: number, sw: number, rows: PhaseAxis, cols: PhaseAxis): tf.TensorInfo {
  const [, kw, ci, co] = filter.shape as Shape4;
  const out = s.alloc([rows.taps, cols.taps, co, ci]);
  const src = s.view(filter);
  const dst = s.view(out);
  for (let m = 0; m < rows.taps; m++) {
    for (let n = 0; n < cols.taps; n++) {
      const from = ((ph + (rows.taps - 1 - m) * sh) * kw + (pw + (cols.taps - 1 - n) * sw)) * ci * co;
      const to = (m * cols.taps + n) * co * ci;
      for (let a = 0; a < ci; a++) for (let b = 0; b < co; b++) dst[to + b * ci + a] = src[from + a * co + b]!;
    }
  }
  return out;
}

/**
 * dx for `y = conv2d(x, W)` as `sh * sw` stride-1 convolutions, one per phase (dx rows and columns of
 * equal position modulo the stride), each the full correlation of dy with the phase's taps of the filter,
 * rotated and with its channels swapped ({@link phaseFilter}). Together they do one forward
 * convolution's work, where one convolution over a zero-dilated dy would do `sh * sw` times as much.
 * Rows no tap reaches stay 0. With stride 1 it is one convolution, whose output is dx.
 */
function inputGradPhases(s: WasmScope, dy: tf.TensorInfo, filter: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const { batchSize: nb, inHeight: h, inWidth: w, inChannels: ci, outHeight: oh, outWidth: ow } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, padInfo } = info;
  const parts: Array<{ rows: PhaseAxis; cols: PhaseAxis; z: tf.TensorInfo }> = [];
  for (let ph = 0; ph < sh; ph++) {
    const rows = phaseAxis(ph, sh, kh, h, padInfo.top);
    for (let pw = 0; pw < sw; pw++) {
      const cols = phaseAxis(pw, sw, kw, w, padInfo.left);
      if (rows.count === 0 || cols.count === 0 || rows.taps === 0 || cols.taps === 0) continue;
      const top = rows.taps - 1 - rows.base;
      const left = cols.taps - 1 - cols.base;
      const pads: [number, number, number, number] = [top, rows.count + rows.taps - 1 - oh - top, left, cols.count + cols.taps - 1 - ow - left];
      const z = conv(s, dy, phaseFilter(s, filter, ph, pw, sh, sw, rows, cols), pads, [rows.count, cols.count]);
      if (sh === 1 && sw === 1) return z;
      parts.push({ rows, cols, z });
    }
  }
  const dx = s.alloc([nb, h, w, ci], true);
  const dv = s.view(dx);
  for (const { rows, cols, z } of parts) {
    const zv = s.view(z);
    let from = 0;
    for (let b = 0; b < nb; b++) {
      for (let t = 0; t < rows.count; t++) {
        const rowBase = (b * h + rows.first + t * sh) * w;
        for (let u = 0; u < cols.count; u++, from += ci) {
          const to = (rowBase + cols.first + u * sw) * ci;
          for (let c = 0; c < ci; c++) dv[to + c] = zv[from + c]!;
        }
      }
    }
  }
  return dx;
}

/**
 * dx for `y = conv2d(x, W)`: the full correlation of the output gradient with the rotated filter, as one
 * forward convolution per stride phase ({@link inputGradPhases}); small patches take the col2im route.
 *
 * @example
 * ```ts
 * tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, { strides: 1, pad: 'same', dataFormat: 'NHWC', inputShape: [64, 28, 28, 1] });
 * ```
 */
export function conv2DBackpropInput({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const a = attrs as unknown as GradAttrs & { inputShape: Shape4 };
  const info = convInfo(a.inputShape, filter.shape, a);
  if (info.filterHeight * info.filterWidth * info.inChannels <= tuning.smallPatch) return withScope(backend, (s) => inputGradCol2im(s, dy, filter, info));
  return withScope(backend, (s) => inputGradPhases(s, dy, filter, info));
}
