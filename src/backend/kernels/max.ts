import * as tf from '@tensorflow/tfjs';
import { stockKernels, withScope, type KernelArgs } from './context';
import { simdKernels } from './simd';

/** The name of the max-reduction gradient kernel (registered for wasm; see {@link maxGrad}). */
export const MAX_GRAD = 'AutokerasMaxGrad';

/**
 * `x` seen as `[outer, reduced, inner]` when `axes` (normalised) are one contiguous run of its axes; null
 * otherwise.
 *
 * @example
 * ```ts
 * blockShape([64, 50, 32], [1]); // { outer: 64, reduced: 50, inner: 32 }
 * ```
 */
export function blockShape(shape: number[], axes: number[]): { outer: number; reduced: number; inner: number } | null {
  const sorted = axes.slice().sort((a, b) => a - b);
  if (sorted.length === 0 || sorted.some((a, i) => a !== sorted[0]! + i)) return null;
  const first = sorted[0]!;
  const last = sorted[sorted.length - 1]!;
  return {
    outer: tf.util.sizeFromShape(shape.slice(0, first)),
    reduced: tf.util.sizeFromShape(shape.slice(first, last + 1)),
    inner: tf.util.sizeFromShape(shape.slice(last + 1)),
  };
}

/**
 * `Max` over a contiguous run of axes that are not the innermost (a global max pooling over the positions
 * `[B, L, C] -> [B, C]`) in one pass, rows compared channel by channel; the stock wasm kernel first transposes
 * the reduced axes innermost, a full copy in a generic loop. A SIMD loop of simd.wat (`maxRows`); NaN propagates, as on cpu. Reductions over the
 * innermost axes, other dtypes and non-contiguous axes keep the stock kernel.
 *
 * @example
 * ```ts
 * tf.max(x, 1); // x [64, 64, 64] -> [64, 64]
 * ```
 */
export function max({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { x } = inputs as { x: tf.TensorInfo };
  const { reductionIndices, keepDims } = attrs as { reductionIndices: number | number[]; keepDims: boolean };
  const axes = tf.util.parseAxisParam(reductionIndices, x.shape);
  const block = blockShape(x.shape, axes);
  if (!block || block.inner === 1 || block.reduced === 0 || x.dtype !== 'float32') return stockKernels.get(tf.Max)!({ inputs, backend, attrs });
  const { outer, reduced, inner } = block;
  const outShape = keepDims ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !axes.includes(i));
  return withScope(backend, (s) => {
    const out = s.alloc(outShape);
    simdKernels(s.backend).maxRows(x, out, outer, reduced, inner);
    return out;
  });
}

/**
 * The gradient of `y = max(x, axes)` with respect to x, for axes that form one contiguous run: `dx = dy` where
 * `x` equals its window's maximum `y` (every tied maximum, as tfjs's own gradient), 0 elsewhere, in one pass.
 * tfjs's gradient builds it as `dy * cast(equal(x, y))` with broadcasting, whose stock wasm `Equal` takes a
 * generic index-computing loop (about 27 ms for a `[64, 64, 64]` global max pooling here). A SIMD loop of
 * simd.wat (`maxGradRows`).
 * Inputs `dy`, `x`, `y` (`dy` and `y` of the reduced shape, with or without the kept axes); attribute `axes`.
 *
 * @example
 * ```ts
 * const dx = tf.engine().runKernel(MAX_GRAD, { dy, x, y }, { axes: [1] }) as tf.Tensor;
 * ```
 */
export function maxGrad({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { dy, x, y } = inputs as { dy: tf.TensorInfo; x: tf.TensorInfo; y: tf.TensorInfo };
  const block = blockShape(x.shape, (attrs as { axes: number[] }).axes);
  if (!block) throw new Error(`${MAX_GRAD}: the reduced axes must be contiguous`);
  const { outer, reduced, inner } = block;
  return withScope(backend, (s) => {
    const out = s.alloc(x.shape);
    simdKernels(s.backend).maxGradRows(x, y, dy, out, outer, reduced, inner);
    return out;
  });
}
