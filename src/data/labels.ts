import * as tf from '@tensorflow/tfjs';
import { InputDataError, describeValue } from '../errors';
import type { ShapedArray } from './input';
import { badInput, checkFinite, checkNumericView, flattenNumbers, nestedShape, shapeText, toShapedArray } from './input';

/** A class label as the user gave it. */
export type Label = number | string;

/** What label arguments accept: labels `[N]` (numbers or strings), `[N, 1]`, or one-hot `[N, K]`. */
export type LabelInput = tf.Tensor | readonly Label[] | readonly (readonly number[])[] | ShapedArray | ArrayLike<number>;

/** The JSON document of a {@link LabelEncoder}. */
export interface LabelEncoderJSON {
  format: 'autokeras-ts/labels';
  version: 1;
  /** Classes in index order. */
  classes: Label[];
  /** Whether `fit` saw one-hot rows (then `decodeOriginal` returns one-hot rows). */
  oneHot: boolean;
  /** Multi-label: the targets are multi-hot rows `[N, K]` (absent: false). */
  multiLabel?: boolean;
}

/** Multi-hot rows `[N, K]` of 0 and 1 (any number of ones per row), or an InputDataError naming `name`. */
function readMultiHot(y: LabelInput, name: string): number[][] {
  const expected = 'multi-hot rows [N, K] of 0 and 1 (multiLabel: true)';
  if (y instanceof tf.Tensor && y.isDisposed) badInput(name, 'a tensor that is not disposed', `a disposed ${y.dtype} tensor of shape ${shapeText(y.shape)}`);
  if (y instanceof tf.Tensor && y.dtype === 'string') badInput(name, expected, `a string tensor of shape ${shapeText(y.shape)}`);
  let flat: { data: Float32Array; shape: number[] };
  if (Array.isArray(y)) {
    if (y.length > 0 && !Array.isArray(y[0])) badInput(name, expected, `a flat list of ${y.length} values`);
    const shape = nestedShape(y, name);
    flat = { data: flattenNumbers(y, shape), shape };
  } else if (ArrayBuffer.isView(y)) badInput(name, expected, `a flat typed array of ${(y as ArrayLike<number>).length} values`);
  flat ??= toShapedArray(y as tf.Tensor | ShapedArray, name);
  const { data, shape } = flat;
  if (shape.length !== 2 || shape[0] === 0 || shape[1] === 0) badInput(name, expected, `labels of shape ${shapeText(shape)}`);
  const [n, k] = shape as [number, number];
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row = Array.from(data.subarray(i * k, (i + 1) * k));
    if (row.some((v) => v !== 0 && v !== 1)) badInput(name, expected, `row ${i} = ${describeValue(row)}`);
    rows.push(row);
  }
  return rows;
}

/** Reads labels into a flat list, or returns the one-hot matrix when `y` is `[N, K]` with K > 1. */
function readLabels(y: LabelInput, name: string): { labels: Label[] } | { oneHot: number[][] } {
  if (Array.isArray(y) && y.length > 0 && typeof y[0] === 'string') {
    y.forEach((v, i) => { if (typeof v !== 'string') badInput(name, 'labels of one type (all strings or all numbers)', `${describeValue(v)} at ${name}[${i}]`); });
    return { labels: (y as string[]).slice() };
  }
  if (y instanceof tf.Tensor && y.isDisposed) badInput(name, 'a tensor that is not disposed', `a disposed ${y.dtype} tensor of shape ${shapeText(y.shape)}`);
  if (y instanceof tf.Tensor && y.dtype === 'string') {
    if (y.rank !== 1 && !(y.rank === 2 && y.shape[1] === 1)) badInput(name, 'string labels of shape [N] or [N, 1]', `a string tensor of shape ${shapeText(y.shape)}`);
    return { labels: (y.dataSync() as unknown as Uint8Array[]).map((v) => (typeof v === 'string' ? v : Buffer.from(v).toString('utf8'))) };
  }
  let flat: { data: Float32Array; shape: number[] };
  if (Array.isArray(y)) { const shape = nestedShape(y, name); flat = { data: flattenNumbers(y, shape), shape }; }
  else if (ArrayBuffer.isView(y)) { checkNumericView(y, name); flat = { data: Float32Array.from(y as ArrayLike<number>), shape: [(y as ArrayLike<number>).length] }; }
  else flat = toShapedArray(y as tf.Tensor | ShapedArray, name);
  checkFinite(flat.data, name);
  const { data, shape } = flat;
  if (shape.length === 1 || (shape.length === 2 && shape[1] === 1)) return { labels: Array.from(data) };
  if (shape.length !== 2) badInput(name, 'labels of shape [N], [N, 1] or one-hot [N, K]', `labels of shape ${shapeText(shape)}`);
  const [n, k] = shape as [number, number];
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row = Array.from(data.subarray(i * k, (i + 1) * k));
    if (row.filter((v) => v === 1).length !== 1 || row.some((v) => v !== 0 && v !== 1)) {
      badInput(name, 'one-hot rows (a single 1, the rest 0) for labels of shape [N, K]', `row ${i} = ${describeValue(row)}`);
    }
    rows.push(row);
  }
  return { oneHot: rows };
}

/**
 * Maps class labels (numbers, strings or one-hot rows) to indices `0..K-1` and back. Classes are
 * sorted (numbers ascending, strings by code point) so the encoding does not depend on sample order.
 *
 * @example
 * ```ts
 * const enc = LabelEncoder.fit(['cat', 'dog', 'cat']);
 * enc.encode(['dog']);            // Int32Array [1]
 * enc.decode([0, 1]);             // ['cat', 'dog']
 * const y = enc.oneHot(['cat']);  // tf.Tensor2D [[1, 0]]
 * ```
 */
export class LabelEncoder {
  private readonly index: Map<Label, number>;

  private constructor(readonly classes: readonly Label[], readonly fittedOnOneHot: boolean, readonly multiLabel = false) {
    this.index = new Map(classes.map((c, i) => [c, i]));
  }

  /**
   * Learns the classes of `y`; throws an InputDataError when fewer than two classes are present. With
   * `multiLabel`, `y` is multi-hot rows `[N, K]` and the classes are the column indices `0..K-1`.
   */
  static fit(y: LabelInput, name = 'y', multiLabel = false): LabelEncoder {
    if (multiLabel) {
      const rows = readMultiHot(y, name);
      return new LabelEncoder(Array.from({ length: rows[0]!.length }, (_, i) => i), true, true);
    }
    const read = readLabels(y, name);
    if ('oneHot' in read) {
      const k = read.oneHot[0]?.length ?? 0;
      return new LabelEncoder(Array.from({ length: k }, (_, i) => i), true);
    }
    const distinct = [...new Set(read.labels)];
    if (distinct.length < 2) badInput(name, 'at least two classes', `${distinct.length} class${distinct.length === 1 ? ` (${describeValue(distinct[0])})` : 'es'} in ${read.labels.length} labels`);
    distinct.sort((a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : 1));
    return new LabelEncoder(distinct, false);
  }

  /** Number of classes K. */
  get numClasses(): number {
    return this.classes.length;
  }

  /** Class indices `[N]`; throws an InputDataError for a label not seen in `fit`. */
  encode(y: LabelInput, name = 'y'): Int32Array {
    const read = readLabels(y, name);
    if ('oneHot' in read) {
      if (read.oneHot[0]!.length !== this.numClasses) badInput(name, `one-hot rows of width ${this.numClasses}`, `rows of width ${read.oneHot[0]!.length}`);
      return Int32Array.from(read.oneHot, (row) => row.indexOf(1));
    }
    return Int32Array.from(read.labels, (label, i) => {
      const k = this.index.get(label);
      if (k === undefined) throw new InputDataError(`Received an invalid value for \`${name}\`, expected one of the classes seen in fit (${this.classes.map((c) => describeValue(c)).join(', ')}). Received: ${name}[${i}]=${describeValue(label)}`);
      return k;
    });
  }

  /** One-hot float32 `[N, K]` (multi-hot for a multi-label encoder; caller disposes). */
  oneHot(y: LabelInput, name = 'y'): tf.Tensor2D {
    if (this.multiLabel) {
      const rows = readMultiHot(y, name);
      if (rows[0]!.length !== this.numClasses) badInput(name, `multi-hot rows of width ${this.numClasses} (as in fit)`, `rows of width ${rows[0]!.length}`);
      return tf.tensor2d(rows, [rows.length, this.numClasses], 'float32');
    }
    const idx = this.encode(y, name);
    return tf.tidy(() => tf.oneHot(tf.tensor1d(idx, 'int32'), this.numClasses).toFloat() as tf.Tensor2D);
  }

  /** The class labels of indices `[N]`. */
  decode(indices: ArrayLike<number>): Label[] {
    return Array.from(indices, (i) => {
      const c = this.classes[i];
      if (c === undefined) throw new InputDataError(`Class index ${i} is outside 0..${this.numClasses - 1}`);
      return c;
    });
  }

  /** Like {@link decode}, but one-hot rows when `fit` saw one-hot labels (the user's original form). */
  decodeOriginal(indices: ArrayLike<number>): Label[] | number[][] {
    if (!this.fittedOnOneHot) return this.decode(indices);
    return Array.from(indices, (i) => Array.from({ length: this.numClasses }, (_, k) => (k === i ? 1 : 0)));
  }

  /** Labels of the most probable class of each row of `proba` `[N, K]`. */
  decodeProba(proba: tf.Tensor): Label[] {
    const arg = tf.tidy(() => proba.argMax(-1));
    const idx = arg.dataSync();
    arg.dispose();
    return this.decode(idx);
  }

  toJSON(): LabelEncoderJSON {
    return { format: 'autokeras-ts/labels', version: 1, classes: this.classes.slice(), oneHot: this.fittedOnOneHot, ...(this.multiLabel ? { multiLabel: true } : {}) };
  }

  /** Restores an encoder from {@link LabelEncoder.toJSON}. */
  static fromJSON(doc: unknown): LabelEncoder {
    const d = doc as Partial<LabelEncoderJSON>;
    if (!d || d.format !== 'autokeras-ts/labels' || d.version !== 1 || !Array.isArray(d.classes) || d.classes.length < (d.multiLabel ? 1 : 2)) {
      throw new InputDataError(`Not a label encoder document (format "autokeras-ts/labels", version 1, two or more classes): ${describeValue(doc)}`);
    }
    return new LabelEncoder(d.classes.slice(), d.oneHot === true, d.multiLabel === true);
  }
}
