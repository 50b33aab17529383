import * as tf from '@tensorflow/tfjs';
import { invalidArgument } from '../errors';
import { DEFAULTS } from '../options';
import type { DataRank, InputTensor } from './images';
import { toInputTensor } from './images';
import type { InputLike, NestedArray, ShapedArray } from './input';
import { badInput, checkFinite, nestedShape, shapeText, toShapedArray } from './input';

/**
 * Images of different sizes, one element per image: a tensor, nested arrays or `{data, shape}` of shape
 * `[H, W]` or `[H, W, C]` (every image with the same channel count C). `fit` of the image tasks resizes
 * them to one size (the `imageSize` option, else the median size capped at `DEFAULTS.data.maxImageSize`).
 *
 * @example
 * ```ts
 * const x: ImageList = [{ data: new Uint8Array(28 * 28), shape: [28, 28] }, tf.zeros([32, 30])];
 * await new ImageClassifier().fit(x, ['cat', 'dog']);
 * ```
 */
export type ImageList = Array<tf.Tensor | ShapedArray | NestedArray[]>;

/** What a resize did (the `resized` event of the tasks). */
export interface ResizeEvent {
  /** The argument that was resized (`x`, `validationData[0]`, ...). */
  name: string;
  /** Images whose size changed. */
  count: number;
  /** The distinct `[height, width]` sizes they had (at most 10 listed). */
  from: Array<[number, number]>;
  /** The `[height, width]` every image now has. */
  to: [number, number];
}

/** How images of other sizes are treated: resized (and reported) or refused. */
export interface ResizePolicy {
  /** Resize images whose size differs from the target (default true); false: an InputDataError. */
  resize: boolean;
  /** Hears each resize. */
  report?: (e: ResizeEvent) => void;
}

const isShaped = (v: unknown): v is ShapedArray => !!v && typeof v === 'object' && !Array.isArray(v) && 'data' in v && 'shape' in v;

/**
 * Whether `x` is an {@link ImageList}: an array of tensors or `{data, shape}` images, or nested arrays
 * whose images are not all of one size (a rectangular nested array is a batch `[N, H, W(, C)]`).
 *
 * @example
 * ```ts
 * isImageList([tf.zeros([8, 8]), tf.zeros([9, 7])]); // true
 * isImageList([[[1, 2]], [[3, 4]]]);                 // false: a batch [2, 1, 2]
 * ```
 */
export function isImageList(x: unknown): x is ImageList {
  if (!Array.isArray(x) || x.length === 0) return false;
  if (x.every((e) => e instanceof tf.Tensor || isShaped(e))) return true;
  if (!x.every((e) => Array.isArray(e))) return false;
  try {
    nestedShape(x, 'x');
    return false;
  } catch {
    // Ragged as a batch: an image list when every element is a rectangular [H, W] or [H, W, C] image.
    return x.every((e) => { try { const s = nestedShape(e, 'x'); return s.length === 2 || s.length === 3; } catch { return false; } });
  }
}

/**
 * The size images are resized to in `fit` when none is set (Auto-Keras 0.3): the median height and the
 * median width of the images, each capped at `DEFAULTS.data.maxImageSize`.
 *
 * @example
 * ```ts
 * chooseImageSize([[28, 28], [32, 30], [300, 200]]); // [32, 30]
 * ```
 */
export function chooseImageSize(sizes: Array<readonly number[]>, cap: readonly number[] = DEFAULTS.data.maxImageSize): [number, number] {
  const median = (v: number[]) => v.slice().sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
  return [Math.min(cap[0]!, median(sizes.map((s) => s[0]!))), Math.min(cap[1]!, median(sizes.map((s) => s[1]!)))];
}

/** Checks a `[height, width]` size option. */
export function checkImageSize(size: unknown, name: string): void {
  if (!(Array.isArray(size) && size.length === 2 && size.every((d) => Number.isInteger(d) && d > 0))) invalidArgument(name, '[height, width], positive integers', size);
}

/** One image of a list as float32 `[H, W, C]` data. */
function listImage(e: ImageList[number], name: string): { data: Float32Array; shape: [number, number, number]; integer: boolean } {
  const { data, shape, integer } = toShapedArray(e as InputLike, name);
  if (shape.length !== 2 && shape.length !== 3) badInput(name, 'an image of shape [H, W] or [H, W, C]', `data of shape ${shapeText(shape)}`);
  if (shape.some((d) => d === 0)) badInput(name, 'an image with no zero-length axis', `data of shape ${shapeText(shape)}`);
  checkFinite(data, name);
  return { data, shape: [shape[0]!, shape[1]!, shape[2] ?? 1], integer };
}

/** Bilinear resize of `[N, H, W, C]` to `size` (a new tensor; half-pixel centres, as image libraries do). */
function resizeBatch(x: tf.Tensor, size: readonly number[]): tf.Tensor {
  return tf.image.resizeBilinear(x as tf.Tensor4D, [size[0]!, size[1]!], false, true);
}

function distinct(sizes: Array<[number, number]>): Array<[number, number]> {
  const seen = new Map<string, [number, number]>();
  for (const s of sizes) seen.set(s.join('x'), s);
  return [...seen.values()].slice(0, 10);
}

/** Options of {@link toImageTensor}. */
export interface ToImageOptions extends ResizePolicy {
  name?: string;
  /** The `[height, width]` wanted; default (fit): {@link chooseImageSize} of the images. */
  size?: readonly number[];
  /** The channel count wanted (predict: as in fit). */
  channels?: number;
}

/**
 * 2D images, one batch `[N, H, W(, C)]` or an {@link ImageList} of mixed sizes, as float32
 * `[N, h, w, C]` at one size: `size`, else the median size capped at `DEFAULTS.data.maxImageSize`.
 * Images of another size are resized bilinearly and reported, or, with `resize: false`, an
 * InputDataError. `given` is `[N, h, w]` when the images had no channel axis. The caller disposes `x`.
 *
 * @example
 * ```ts
 * const { x } = toImageTensor([tf.zeros([8, 8]), tf.zeros([12, 10])], { resize: true, size: [8, 8] });
 * x.shape; // [2, 8, 8, 1]
 * ```
 */
export function toImageTensor(value: InputLike | ImageList, options: ToImageOptions): InputTensor & { resized: ResizeEvent | null } {
  const name = options.name ?? 'x';
  if (!isImageList(value)) {
    const input = toInputTensor(value as InputLike, { name, rank: 2 });
    const c = input.x.shape[3]!;
    if (options.channels !== undefined && c !== options.channels) {
      input.x.dispose();
      badInput(name, `images with ${options.channels} channel(s) (as in fit)`, `data of shape ${shapeText(input.given)}`);
    }
    const from: [number, number] = [input.x.shape[1]!, input.x.shape[2]!];
    const to = (options.size ?? chooseImageSize([from])) as [number, number];
    if (from[0] === to[0] && from[1] === to[1]) return { ...input, resized: null };
    if (!options.resize) {
      input.x.dispose();
      badInput(name, `images of size ${shapeText(to)} (${options.size ? 'the size the model takes' : 'the largest size, DEFAULTS.data.maxImageSize'}); resizing is off (resize: false)`, `data of shape ${shapeText(input.given)}`);
    }
    const x = tf.tidy(() => resizeBatch(input.x, to));
    input.x.dispose();
    const resized: ResizeEvent = { name, count: x.shape[0]!, from: [from], to: [to[0], to[1]] };
    options.report?.(resized);
    return { x, integer: input.integer, given: [x.shape[0]!, to[0], to[1], ...(input.given.length === 4 ? [c] : [])], resized };
  }
  const images = value.map((e, i) => listImage(e, `${name}[${i}]`));
  const channels = options.channels ?? images[0]!.shape[2];
  const odd = images.findIndex((im) => im.shape[2] !== channels);
  if (odd >= 0) badInput(`${name}[${odd}]`, `${channels} channel(s), as ${options.channels !== undefined ? 'in fit' : `${name}[0]`}`, `an image of shape ${shapeText(images[odd]!.shape)}`);
  const sizes = images.map((im) => [im.shape[0], im.shape[1]] as [number, number]);
  const to = (options.size ?? chooseImageSize(sizes)) as [number, number];
  const changed = sizes.filter((s) => s[0] !== to[0] || s[1] !== to[1]);
  if (changed.length > 0 && !options.resize) {
    const i = sizes.findIndex((s) => s[0] !== to[0] || s[1] !== to[1]);
    badInput(`${name}[${i}]`, `images of size ${shapeText(to)}; resizing is off (resize: false)`, `an image of shape ${shapeText(images[i]!.shape)}`);
  }
  const x = tf.tidy(() => tf.stack(images.map((im) => {
    const t = tf.tensor3d(im.data, im.shape, 'float32');
    return im.shape[0] === to[0] && im.shape[1] === to[1] ? t : resizeBatch(t.expandDims(0), to).squeeze([0]);
  })));
  const resized: ResizeEvent | null = changed.length > 0 ? { name, count: changed.length, from: distinct(changed), to: [to[0], to[1]] } : null;
  if (resized) options.report?.(resized);
  const withChannel = value.some((e) => (e instanceof tf.Tensor ? e.rank : isShaped(e) ? e.shape.length : nestedShape(e, name).length) === 3);
  return { x, integer: images.every((im) => im.integer), given: [images.length, to[0], to[1], ...(withChannel ? [channels] : [])], resized };
}

/** Whether data of spatial `rank` can be resized (2D images only). */
export function canResize(rank: DataRank | undefined): boolean {
  return (rank ?? 2) === 2;
}
