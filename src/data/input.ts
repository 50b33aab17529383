import * as tf from '@tensorflow/tfjs';
import { InputDataError, describeValue } from '../errors';

/** A typed array accepted as raw data (uint8 images, float features, ...). */
export type TypedArray = Uint8Array | Uint8ClampedArray | Int8Array | Uint16Array | Int16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

/** A flat array with its shape, e.g. `{ data: Uint8Array(N*28*28), shape: [N, 28, 28] }`. */
export interface ShapedArray {
  data: TypedArray | number[];
  shape: number[];
}

/** Nested JavaScript arrays of numbers (`number[][][]` for `[N, H, W]` images). */
export type NestedArray = number | NestedArray[];

/** What data arguments accept: a tensor, nested arrays or a flat typed array with a shape. */
export type InputLike = tf.Tensor | NestedArray[] | ShapedArray;

/**
 * Throws the standard {@link InputDataError}: "Received an invalid value for `x`, expected ... Received: ...".
 *
 * @example
 * ```ts
 * badInput('x', 'finite values only', 'NaN at flat index 3'); // throws InputDataError
 * ```
 */
export function badInput(name: string, expected: string, received: string): never {
  throw new InputDataError(`Received an invalid value for \`${name}\`, expected ${expected}. Received: ${name}=${received}`);
}

/**
 * Formats a shape for messages: `[3, 28, 28]`.
 *
 * @example
 * ```ts
 * shapeText([2, 28, 28]); // '[2, 28, 28]'
 * ```
 */
export function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/**
 * The shape of a nested numeric array; throws when it is ragged or holds non-numbers.
 *
 * @example
 * ```ts
 * nestedShape([[1, 2], [3, 4], [5, 6]], 'x'); // [3, 2]
 * ```
 */
export function nestedShape(value: unknown, name: string): number[] {
  const shape: number[] = [];
  let probe: unknown = value;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    if (probe.length === 0) break;
    probe = probe[0];
  }
  const check = (v: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof v !== 'number') badInput(name, 'numbers only', `${describeValue(v)} at ${name}${path}`);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      badInput(name, `a rectangular array of shape ${shapeText(shape)}`, `a ragged array (${name}${path} has ${Array.isArray(v) ? `length ${v.length}` : describeValue(v)})`);
    }
    v.forEach((item, i) => check(item, depth + 1, `${path}[${i}]`));
  };
  check(value, 0, '');
  return shape;
}

/**
 * Writes the numbers of a rectangular nested array (already checked by nestedShape) into a Float32Array.
 *
 * @example
 * ```ts
 * flattenNumbers([[1, 2], [3, 4]], [2, 2]); // Float32Array [1, 2, 3, 4]
 * ```
 */
export function flattenNumbers(value: unknown, shape: readonly number[]): Float32Array {
  const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
  let k = 0;
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) for (const item of v) walk(item);
    else out[k++] = v as number;
  };
  walk(value);
  return out;
}

/**
 * Flattens any {@link InputLike} into a float32 array with its shape (tensors are read synchronously).
 *
 * @example
 * ```ts
 * toShapedArray([[1, 2]], 'x'); // { data: Float32Array [1, 2], shape: [1, 2], integer: false }
 * ```
 */
export function toShapedArray(value: InputLike, name: string): { data: Float32Array; shape: number[]; integer: boolean } {
  if (value instanceof tf.Tensor) {
    if (value.isDisposed) badInput(name, 'a tensor that is not disposed', `a disposed ${value.dtype} tensor of shape ${shapeText(value.shape)}`);
    if (value.dtype === 'string' || value.dtype === 'complex64') badInput(name, 'a numeric tensor', `a ${value.dtype} tensor`);
    return { data: Float32Array.from(value.dataSync() as ArrayLike<number>), shape: value.shape.slice(), integer: value.dtype !== 'float32' };
  }
  if (Array.isArray(value)) {
    const shape = nestedShape(value, name);
    return { data: flattenNumbers(value, shape), shape, integer: false };
  }
  if (value && typeof value === 'object' && 'data' in value && 'shape' in value) {
    const { data, shape } = value as ShapedArray;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) badInput(name, '`shape` an array of non-negative integers', describeValue(shape));
    const size = shape.reduce((a, b) => a * b, 1);
    checkNumericView(data, `${name}.data`);
    if (!(ArrayBuffer.isView(data) || Array.isArray(data)) || data.length !== size) {
      badInput(name, `\`data\` of length ${size} (the product of shape ${shapeText(shape)})`, describeValue(data));
    }
    const integer = ArrayBuffer.isView(data) && !(data instanceof Float32Array || data instanceof Float64Array);
    return { data: data instanceof Float32Array ? data : Float32Array.from(data as ArrayLike<number>), shape: shape.slice(), integer };
  }
  return badInput(name, 'a tf.Tensor, nested arrays or {data, shape}', describeValue(value));
}

/**
 * Throws an InputDataError when `data` is a typed-array view that cannot hold plain numbers: a
 * `BigInt64Array` / `BigUint64Array` (bigints do not convert to float32 implicitly) or a `DataView`.
 *
 * @example
 * ```ts
 * checkNumericView(new BigInt64Array(4), 'x.data'); // throws: expected a number typed array ... BigInt64Array(4)
 * ```
 */
export function checkNumericView(data: unknown, name: string): void {
  if (!ArrayBuffer.isView(data)) return;
  if (data instanceof DataView || (typeof BigInt64Array !== 'undefined' && (data instanceof BigInt64Array || data instanceof BigUint64Array))) {
    badInput(name, 'numbers: an array or a number typed array (Uint8Array, Int32Array, Float32Array, ...); convert bigints with Number() first', describeValue(data));
  }
}

/**
 * Throws when any value is NaN or infinite, naming the first offending index.
 *
 * @example
 * ```ts
 * checkFinite(Float32Array.of(1, NaN), 'x'); // throws: `x`, expected finite values ... NaN at flat index 1
 * ```
 */
export function checkFinite(data: ArrayLike<number>, name: string): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) badInput(name, 'finite values only', `${data[i]} at flat index ${i}`);
  }
}
