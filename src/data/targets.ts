import * as tf from '@tensorflow/tfjs';
import type { ShapedArray } from './input';
import { badInput, checkFinite, checkNumericView, flattenNumbers, nestedShape, shapeText, toShapedArray } from './input';

/** What regression targets accept: numbers `[N]`, `[N, 1]` or `[N, K]`. */
export type TargetInput = tf.Tensor | readonly number[] | readonly (readonly number[])[] | ShapedArray | ArrayLike<number>;

/**
 * Regression targets as a float32 tensor `[N, K]` (`[N]` becomes `[N, 1]`), checked for rank and
 * finite values; the InputDataError names the argument. The caller disposes the result.
 *
 * @example
 * ```ts
 * toTargetTensor([0.5, 1.5]).shape; // [2, 1]
 * ```
 */
export function toTargetTensor(y: TargetInput, name = 'y'): tf.Tensor2D {
  let flat: { data: Float32Array; shape: number[] };
  if (Array.isArray(y)) { const shape = nestedShape(y, name); flat = { data: flattenNumbers(y, shape), shape }; }
  else if (ArrayBuffer.isView(y)) { checkNumericView(y, name); flat = { data: Float32Array.from(y as ArrayLike<number>), shape: [(y as ArrayLike<number>).length] }; }
  else flat = toShapedArray(y as tf.Tensor | ShapedArray, name);
  const { data, shape } = flat;
  if (shape.length !== 1 && shape.length !== 2) badInput(name, 'regression targets of shape [N] or [N, K]', `targets of shape ${shapeText(shape)}`);
  if (shape[0] === 0) badInput(name, 'at least one target', 'an empty array');
  checkFinite(data, name);
  return tf.tensor2d(data, shape.length === 1 ? [shape[0]!, 1] : (shape as [number, number]), 'float32');
}
