import * as tf from '@tensorflow/tfjs';
import { stockKernels, withScope, type KernelArgs } from './context';

/** The reduced axes of `Sum`/`Mean`, normalised and sorted. */
function reducedAxes(axis: number | number[], rank: number): number[] {
  return tf.util.parseAxisParam(axis, new Array(rank).fill(0)).slice().sort((a, b) => a - b);
}

/**
 * Sum or mean over one contiguous run of axes that are not the innermost: leading axes (`[0, ..., k-1]`, the
 * per-channel reductions of batch normalisation and bias gradients) or middle ones (a global average pooling
 * over the positions, `[B, L, C] -> [B, C]`). The stock wasm kernels first transpose the reduced axes
 * innermost, a full copy in a generic loop (about 30 ms for 3.2M values here). Seen as images
 * `[outer, R1, R2, inner]`, the same reduction is one XNNPACK average pooling over the whole `R1 x R2` window
 * (about 1 ms); the sum is that mean times `R1 * R2`.
 */
function blockReduce(mean: boolean) {
  return ({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo => {
    const { x } = inputs as { x: tf.TensorInfo };
    const { axis, keepDims } = attrs as { axis: number | number[]; keepDims: boolean };
    const axes = reducedAxes(axis, x.shape.length);
    const first = axes[0] ?? 0;
    const last = axes[axes.length - 1] ?? 0;
    const contiguous = axes.length > 0 && last < x.shape.length - 1 && axes.every((a, i) => a === first + i);
    const rows = x.shape.slice(first, last + 1).reduce((a, b) => a * b, 1);
    if (!contiguous || x.dtype !== 'float32' || rows < 2) return stockKernels.get(mean ? tf.Mean : tf.Sum)!({ inputs, backend, attrs });
    const outer = x.shape.slice(0, first).reduce((a, b) => a * b, 1);
    const cols = x.shape.slice(last + 1).reduce((a, b) => a * b, 1);
    const inner = x.shape[last]!;
    const window = inner > 1 ? [rows / inner, inner] : [rows, 1];
    const kept = x.shape.filter((_, i) => !axes.includes(i));
    return withScope(backend, (s) => {
      const image = s.reshape(x, [outer, window[0]!, window[1]!, cols]);
      const avg = s.run(tf.AvgPool, { x: image }, { filterSize: window, strides: 1, pad: 'valid' });
      if (!mean) {
        const v = s.view(avg);
        for (let c = 0; c < outer * cols; c++) v[c] = v[c]! * rows;
      }
      return s.reshape(avg, keepDims ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : kept);
    });
  };
}

/**
 * `Sum` with a fast path for leading or middle axes.
 *
 * @example
 * ```ts
 * tf.sum(x, [0, 1, 2]); // [B, H, W, C] -> [C] by one average pooling
 * ```
 */
export const sum = blockReduce(false);
/**
 * `Mean` with a fast path for leading or middle axes.
 *
 * @example
 * ```ts
 * tf.mean(x, 1); // [B, L, C] -> [B, C] by one average pooling
 * ```
 */
export const mean = blockReduce(true);

/**
 * `Tile` by block copies: each axis' block is written once and then doubled in place with `copyWithin`
 * (the stock kernel computes every output index in a generic loop, about 100x slower on the batch-norm
 * gradient's `[1, 1, 1, C] -> [B, H, W, C]`).
 *
 * @example
 * ```ts
 * tf.tile(tf.ones([1, 1, 1, 32]), [64, 28, 28, 1]);
 * ```
 */
export function tile({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { x } = inputs as { x: tf.TensorInfo };
  const { reps } = attrs as { reps: number[] };
  if (x.dtype !== 'float32' || x.shape.length === 0) return stockKernels.get(tf.Tile)!({ inputs, backend, attrs });
  const shape = x.shape;
  const outShape = shape.map((d, i) => d * reps[i]!);
  const inner = outShape.map((_, i) => outShape.slice(i + 1).reduce((a, b) => a * b, 1));
  const srcInner = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  return withScope(backend, (s) => {
    const out = s.alloc(outShape);
    const src = s.view(x);
    const dst = s.view(out);
    const fill = (axis: number, from: number, to: number): void => {
      const n = shape[axis]!;
      if (axis === shape.length - 1) dst.set(src.subarray(from, from + n), to);
      else for (let i = 0; i < n; i++) fill(axis + 1, from + i * srcInner[axis]!, to + i * inner[axis]!);
      const block = n * inner[axis]!;
      for (let have = 1; have < reps[axis]!; have *= 2) {
        const copies = Math.min(have, reps[axis]! - have);
        dst.copyWithin(to + have * block, to, to + copies * block);
      }
    };
    if (outShape.every((d) => d > 0)) fill(0, 0, 0);
    return out;
  });
}
