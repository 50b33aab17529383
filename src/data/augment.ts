import * as tf from '@tensorflow/tfjs';
import { InputDataError, invalidArgument } from '../errors';
import { DEFAULTS } from '../options';
import type { Rng } from '../util/rng';

/** A batch transform used during training: takes `[B, H, W, C]`, returns a new tensor of the same shape. */
export type Augmenter = (batch: tf.Tensor) => tf.Tensor;

/**
 * The augmentation of a task's training runs (option `augment` of the task classes), scaled to the
 * image: JSON values only, so it travels to worker processes. Every field defaults to `DEFAULTS.data`.
 *
 * @example
 * ```ts
 * new ImageClassifier({ augment: { shift: 0.1, flip: true, cutoutRatio: 0.25 } });
 * ```
 */
export interface AugmentSettings {
  /** Largest random shift as a fraction of the shorter image side (default 1/14: 2 pixels on 28x28); 0: none. */
  shift?: number;
  /** Random horizontal flips (default false). */
  flip?: boolean;
  /** Cutout square side as a fraction of the shorter image side (default 0: off). */
  cutoutRatio?: number;
  /**
   * `'plateau'` (default): a run augments only once its validation loss has stopped improving for
   * `DEFAULTS.data.augmentAfter` epochs; `'always'`: from the first batch.
   */
  start?: 'plateau' | 'always';
}

/** Options of {@link makeAugmenter}. */
export interface AugmentOptions extends AugmentSettings {
  /** Random stream of every random choice. */
  rng: Rng;
  /** Zero padding of the random crop in pixels, instead of `shift`; 0 turns cropping off. */
  cropPadding?: number;
}

/**
 * Checks an {@link AugmentSettings} (or boolean) option value; throws an ArgumentError naming `name`.
 *
 * @example
 * ```ts
 * checkAugmentSettings({ shift: 0.1 }, 'augment'); // ok
 * checkAugmentSettings({ shift: 2 }, 'augment');   // ArgumentError: augment.shift
 * ```
 */
export function checkAugmentSettings(value: unknown, name: string): asserts value is boolean | AugmentSettings {
  if (typeof value === 'boolean') return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) invalidArgument(name, 'a boolean or { shift?, flip?, cutoutRatio?, start? }', value);
  const v = value as Record<string, unknown>;
  for (const key of Object.keys(v)) if (!['shift', 'flip', 'cutoutRatio', 'start'].includes(key)) invalidArgument(`${name}.${key}`, 'a known key (shift, flip, cutoutRatio, start)', v[key]);
  if (v.start !== undefined && v.start !== 'plateau' && v.start !== 'always') invalidArgument(`${name}.start`, "'plateau' or 'always'", v.start);
  for (const key of ['shift', 'cutoutRatio']) {
    if (v[key] !== undefined && !(typeof v[key] === 'number' && (v[key] as number) >= 0 && (v[key] as number) < 1)) invalidArgument(`${name}.${key}`, 'a fraction of the image side in [0, 1)', v[key]);
  }
  if (v.flip !== undefined && typeof v.flip !== 'boolean') invalidArgument(`${name}.flip`, 'a boolean', v.flip);
}

/**
 * Image augmentation for 2D batches (docs/algorithms.md section 5): a random crop of the image padded by
 * `p = cropPadding ?? round(shift * min(H, W))` zeros on each side (a random shift in `[-p, p]`
 * pixels: the shift scales with the image, so an 8x8 image moves by 1 pixel, not half its side), a horizontal flip with
 * probability 1/2, and cutout (DeVries & Taylor 2017: one square of side `ratio * min(H, W)` set to
 * 0, its centre uniform over the image, clipped at the border). Crop and flip are one
 * `tf.image.cropAndResize` with integer-aligned boxes (a box with x1 > x2 samples a mirrored crop);
 * cutout is a mask product. All random draws come from `rng`. The input is not disposed.
 *
 * @example
 * ```ts
 * const augment = makeAugmenter({ rng: new Rng(3) });
 * const out = augment(batch); // same shape as batch, a new tensor
 * ```
 */
export function makeAugmenter(options: AugmentOptions): Augmenter {
  const shift = options.shift ?? DEFAULTS.data.shift;
  const flip = options.flip ?? DEFAULTS.data.flip;
  const ratio = options.cutoutRatio ?? DEFAULTS.data.cutoutRatio;
  const rng = options.rng;
  return (batch) => {
    if (batch.rank !== 4) throw new InputDataError(`Augmentation works on image batches [B, H, W, C]; received a batch of rank ${batch.rank} (turn augment off for 1D and 3D data)`);
    const [b, h, w, c] = batch.shape as [number, number, number, number];
    const boxes = new Float32Array(b * 4);
    const mask = new Float32Array(b * h * w).fill(1);
    const side = Math.round(ratio * Math.min(h, w));
    const pad = options.cropPadding ?? Math.round(shift * Math.min(h, w));
    for (let i = 0; i < b; i++) {
      const dy = pad > 0 && h > 1 ? rng.int(2 * pad + 1) - pad : 0;
      const dx = pad > 0 && w > 1 ? rng.int(2 * pad + 1) - pad : 0;
      const mirrored = flip && rng.next() < 0.5;
      const y1 = dy / Math.max(h - 1, 1), y2 = (dy + h - 1) / Math.max(h - 1, 1);
      const xa = dx / Math.max(w - 1, 1), xb = (dx + w - 1) / Math.max(w - 1, 1);
      boxes.set([y1, mirrored ? xb : xa, y2, mirrored ? xa : xb], i * 4);
      if (side > 0) cut(mask.subarray(i * h * w, (i + 1) * h * w), h, w, side, rng.int(h), rng.int(w));
    }
    return tf.tidy(() => {
      const moved = h > 1 && w > 1 && (pad > 0 || flip)
        ? tf.image.cropAndResize(batch as tf.Tensor4D, tf.tensor2d(boxes, [b, 4]), tf.range(0, b, 1, 'int32') as tf.Tensor1D, [h, w], 'bilinear', 0)
        : batch.clone();
      return side > 0 ? moved.mul(tf.tensor4d(mask, [b, h, w, 1])) : moved;
    });
  };
}

/** Zeroes a `side` x `side` square centred at (cy, cx) of one sample's `[H, W]` mask. */
function cut(mask: Float32Array, h: number, w: number, side: number, cy: number, cx: number): void {
  const y0 = Math.max(0, cy - Math.floor(side / 2)), y1 = Math.min(h, cy - Math.floor(side / 2) + side);
  const x0 = Math.max(0, cx - Math.floor(side / 2)), x1 = Math.min(w, cx - Math.floor(side / 2) + side);
  for (let y = y0; y < y1; y++) mask.fill(0, y * w + x0, y * w + x1);
}
