import * as tf from '@tensorflow/tfjs';
import { invalidArgument } from '../errors';
import type { InputLike } from './input';
import { badInput, checkFinite, shapeText, toShapedArray } from './input';

/** Spatial axes of a sample: 0 vectors `[F]`, 1 sequences `[L, C]`, 2 images `[H, W, C]`, 3 volumes `[D, H, W, C]`. */
export type DataRank = 0 | 1 | 2 | 3;

/** Options of {@link toInputTensor}. */
export interface ToInputOptions {
  /** Argument name used in error messages (default `x`). */
  name?: string;
  /** Spatial rank of a sample (default 2, images). Ignored when `sampleShape` is given. */
  rank?: DataRank;
  /** The per-sample shape seen in `fit` (channels included); predict-time data must match it. */
  sampleShape?: readonly number[];
  /** Skip the finite-value check (default false). */
  allowNonFinite?: boolean;
}

/** An input batch ready for the model: float32 `[N, ...spatial, C]` plus whether it held integers (uint8 images). */
export interface InputTensor {
  x: tf.Tensor;
  /** True when the source was an integer typed array or an int tensor. */
  integer: boolean;
  /** The shape as given (before a channel axis was added), e.g. `[N, 28, 28]`. */
  given: number[];
}

/**
 * Normalises user data into a float32 tensor `[N, ...spatial, C]` and checks it: images `[N, H, W]`
 * get a channel axis (`[N, H, W, 1]`), `[N, H, W, C]` is kept; likewise `[N, L]` / `[N, L, C]` for
 * rank 1 and `[N, D, H, W]` / `[N, D, H, W, C]` for rank 3; vectors (rank 0) are `[N, F]`. Throws an
 * InputDataError naming the argument for a wrong rank, an empty batch, non-finite values or a
 * sample shape different from `sampleShape`. The caller owns (and disposes) the returned tensor.
 *
 * @example
 * ```ts
 * const { x } = toInputTensor({ data: new Uint8Array(2 * 28 * 28), shape: [2, 28, 28] });
 * x.shape; // [2, 28, 28, 1]
 * ```
 */
export function toInputTensor(value: InputLike, options: ToInputOptions = {}): InputTensor {
  const name = options.name ?? 'x';
  const { data, shape, integer } = toShapedArray(value, name);
  if (shape.length === 0 || shape[0] === 0) badInput(name, 'at least one sample', `an empty batch of shape ${shapeText(shape)} (${name} is empty)`);
  const full = withChannels(shape, name, options);
  if (full.some((d) => d === 0)) badInput(name, 'samples with no zero-length axis (every height, width and channel count at least 1)', `data of shape ${shapeText(shape)}`);
  if (!options.allowNonFinite) checkFinite(data, name);
  return { x: tf.tensor(data, full, 'float32'), integer, given: shape.slice() };
}

/**
 * The `[N, ...spatial, C]` shape for a raw shape, or an InputDataError.
 *
 * @example
 * ```ts
 * withChannels([5, 28, 28], 'x'); // [5, 28, 28, 1]
 * ```
 */
export function withChannels(shape: readonly number[], name: string, options: ToInputOptions = {}): number[] {
  if (options.sampleShape) {
    const sample = options.sampleShape;
    const channelsLast = sample[sample.length - 1] === 1 && shape.length === sample.length;
    const full = channelsLast ? [...shape, 1] : shape.slice();
    const got = full.slice(1);
    if (full.length !== sample.length + 1 || got.some((d, i) => d !== sample[i])) {
      badInput(name, `samples of shape ${shapeText(sample)} (the shape seen in fit)`, `data of shape ${shapeText(shape)}`);
    }
    return full;
  }
  const rank = options.rank ?? 2;
  if (![0, 1, 2, 3].includes(rank)) invalidArgument('rank', '0, 1, 2 or 3', rank);
  if (rank === 0) {
    if (shape.length !== 2) badInput(name, 'vectors of shape [N, F]', `data of shape ${shapeText(shape)}`);
    return shape.slice();
  }
  if (shape.length === rank + 1) return [...shape, 1];
  if (shape.length === rank + 2) return shape.slice();
  const kinds = ['', '[N, L] or [N, L, C]', '[N, H, W] or [N, H, W, C]', '[N, D, H, W] or [N, D, H, W, C]'];
  return badInput(name, `data of shape ${kinds[rank]}`, `data of shape ${shapeText(shape)} (rank ${shape.length})`);
}

/**
 * Throws when two arguments hold different numbers of samples.
 *
 * @example
 * ```ts
 * checkSameLength(x.shape[0], labels.length); // InputDataError naming `y` when they differ
 * ```
 */
export function checkSameLength(x: number, y: number, xName = 'x', yName = 'y'): void {
  if (x !== y) badInput(yName, `as many samples as \`${xName}\` (${x})`, `${y} samples`);
}
