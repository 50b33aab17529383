import * as tf from '@tensorflow/tfjs';
import { InputDataError, describeValue, invalidArgument } from '../errors';
import type { DataRank } from './images';
import { checkSameLength, toInputTensor, withChannels } from './images';
import { badInput, checkFinite, shapeText } from './input';
import type { InputLike } from './input';
import type { Label, LabelEncoderJSON, LabelInput } from './labels';
import { LabelEncoder } from './labels';
import type { TargetInput } from './targets';
import { toTargetTensor } from './targets';
import type { NormalizerJSON } from './normalizer';
import { Normalizer } from './normalizer';

/** What a model learns: class probabilities or real-valued targets. */
export type Task = 'classification' | 'regression';

/** The preprocessing JSON written next to an exported model (`preprocessing.json`). */
export interface PreprocessingJSON {
  format: 'autokeras-ts/preprocessing';
  version: 1;
  task: Task;
  /** Per-sample input shape the model takes, channels last (e.g. `[28, 28, 1]`). */
  sampleShape: number[];
  normalizer: NormalizerJSON;
  /** Classification only: the class order of the model's outputs. */
  labels: LabelEncoderJSON | null;
  /** Regression only: number of targets K. */
  targets: number | null;
}

/**
 * Everything between user data and the model, fitted once on the training data: input checks and
 * shape (with the channel axis), the {@link Normalizer}, and the {@link LabelEncoder} (classification)
 * or target width (regression). Tensors it returns belong to the caller.
 *
 * @example
 * ```ts
 * const { prep, x, y } = Preprocessing.fit(images, labels, { task: 'classification' });
 * // x: [N, 28, 28, 1] standardised, y: one-hot [N, K]
 * const xt = prep.transformX(testImages);          // same scaling, shape checked against fit
 * const labelsOut = prep.decode(model.predict(xt) as tf.Tensor);
 * ```
 */
export class Preprocessing {
  private constructor(
    readonly task: Task,
    readonly sampleShape: readonly number[],
    readonly normalizer: Normalizer,
    readonly labels: LabelEncoder | null,
    readonly targets: number | null,
  ) {}

  /** Fits on training data and returns the transformed `x` and `y` (one-hot for classification). */
  static fit(x: InputLike, y: LabelInput | TargetInput, options: { task: Task; rank?: DataRank }): { prep: Preprocessing; x: tf.Tensor; y: tf.Tensor } {
    if (options.task !== 'classification' && options.task !== 'regression') invalidArgument('task', '"classification" or "regression"', options.task);
    // x first: an empty or malformed x is named as such, not as a label problem.
    const input = toInputTensor(x, { rank: options.rank });
    const raw = input.x;
    let yt: tf.Tensor2D | undefined;
    try {
      const labels = options.task === 'classification' ? LabelEncoder.fit(y as LabelInput) : null;
      yt = labels ? labels.oneHot(y as LabelInput) : toTargetTensor(y as TargetInput);
      checkSameLength(raw.shape[0]!, yt.shape[0]!);
      const normalizer = Normalizer.fit(raw, input.integer);
      const prep = new Preprocessing(options.task, raw.shape.slice(1), normalizer, labels, labels ? null : yt.shape[1]!);
      return { prep, x: normalizer.transform(raw), y: yt };
    } catch (e) {
      yt?.dispose();
      throw e;
    } finally {
      raw.dispose();
    }
  }

  /**
   * Fits on a stream of raw `{xs, ys}` batches (the pipeline case: a `tf.data.Dataset` or any
   * iterable), in one pass: the normaliser's statistics are merged batch by batch, labels are
   * collected for the encoder (classification) and every batch must have the first batch's sample
   * shape. A dataset's batches are disposed once read (they are the reader's, as in `fitDataset`); an
   * iterable's stay the caller's. Then map the stream through {@link Preprocessing.mapBatch}.
   *
   * @example
   * ```ts
   * const prep = await Preprocessing.fitBatches(rawDataset, { task: 'classification' });
   * const batches = rawDataset.map((b) => prep.mapBatch(b as { xs: tf.Tensor; ys: tf.Tensor }));
   * ```
   */
  static async fitBatches(
    batches: AsyncIterable<{ xs: tf.Tensor; ys: tf.Tensor }> | Iterable<{ xs: tf.Tensor; ys: tf.Tensor }> | tf.data.Dataset<{ xs: tf.Tensor; ys: tf.Tensor }>,
    options: { task: Task; rank?: DataRank; name?: string },
  ): Promise<Preprocessing> {
    if (options.task !== 'classification' && options.task !== 'regression') invalidArgument('task', '"classification" or "regression"', options.task);
    const name = options.name ?? 'batches';
    const labels: Array<Label | number[]> = [];
    let sample: number[] | null = null;
    let integer = true;
    let targets = 0;
    let index = 0;
    async function* inputs(): AsyncGenerator<tf.Tensor> {
      for await (const element of eachBatch(batches)) {
        const { xs, ys } = checkBatch(element, name, index);
        const full = withChannels(xs.shape, `${name}.xs`, sample ? { sampleShape: sample } : { rank: options.rank });
        sample ??= full.slice(1);
        checkSameLength(xs.shape[0]!, ys.shape[0]!, `${name}.xs`, `${name}.ys`);
        if (full.some((d) => d === 0)) badInput(`${name}.xs`, 'batches with no zero-length axis', `batch ${index} of shape ${shapeText(xs.shape)}`);
        // Non-finite values anywhere (even only in the last batch) would make the normaliser's statistics NaN.
        checkFinite(xs.dataSync() as ArrayLike<number>, `${name}.xs (batch ${index})`);
        if (options.task === 'regression' && ys.dtype !== 'string') checkFinite(ys.dataSync() as ArrayLike<number>, `${name}.ys (batch ${index})`);
        index += 1;
        integer &&= xs.dtype !== 'float32';
        if (options.task === 'classification') labels.push(...(ys.dtype === 'string' ? (ys.dataSync() as unknown as string[]) : (ys.arraySync() as Array<number | number[]>)));
        else targets = ys.rank === 1 ? 1 : ys.shape[1]!;
        const x = xs.reshape(full);
        try { yield x; } finally { x.dispose(); }
      }
    }
    // `integer` is only known once every batch was seen: pass it lazily.
    const normalizer = await Normalizer.fitBatches(inputs(), () => integer);
    const encoder = options.task === 'classification' ? LabelEncoder.fit(labels.map((l) => (Array.isArray(l) && l.length === 1 ? l[0]! : l)) as LabelInput, `${name}.ys`) : null;
    return new Preprocessing(options.task, sample!, normalizer, encoder, encoder ? null : targets);
  }

  /** A raw `{xs, ys}` batch preprocessed as the model takes it (for `dataset.map`); the input is not disposed. */
  mapBatch(batch: { xs: tf.Tensor; ys: tf.Tensor }): { xs: tf.Tensor; ys: tf.Tensor } {
    const xs = this.transformX(batch.xs, 'batches.xs');
    try {
      return { xs, ys: this.transformY(batch.ys as LabelInput, 'batches.ys') };
    } catch (e) {
      xs.dispose();
      throw e;
    }
  }

  /** Checks and normalises new inputs exactly as in fit (shape must match `sampleShape`). */
  transformX(x: InputLike, name = 'x'): tf.Tensor {
    const { x: raw } = toInputTensor(x, { name, sampleShape: this.sampleShape });
    try {
      return this.normalizer.transform(raw);
    } finally {
      raw.dispose();
    }
  }

  /** Encodes targets as the model outputs them: one-hot `[N, K]` or `[N, K]` floats. */
  transformY(y: LabelInput | TargetInput, name = 'y'): tf.Tensor2D {
    if (this.labels) return this.labels.oneHot(y as LabelInput, name);
    const t = toTargetTensor(y as TargetInput, name);
    if (t.shape[1] !== this.targets) {
      t.dispose();
      throw new InputDataError(`Received an invalid value for \`${name}\`, expected ${this.targets} target(s) per sample (as in fit). Received: ${name} of shape ${describeValue(t.shape)}`);
    }
    return t;
  }

  /** Model outputs `[N, K]` -> labels in the user's values (classification) or `[N, K]` numbers. */
  decode(output: tf.Tensor): Label[] | number[][] {
    if (this.labels) return this.labels.decodeProba(output);
    return output.arraySync() as number[][];
  }

  toJSON(): PreprocessingJSON {
    return {
      format: 'autokeras-ts/preprocessing', version: 1, task: this.task, sampleShape: this.sampleShape.slice(),
      normalizer: this.normalizer.toJSON(), labels: this.labels?.toJSON() ?? null, targets: this.targets,
    };
  }

  /** Restores from {@link Preprocessing.toJSON}. */
  static fromJSON(doc: unknown): Preprocessing {
    const d = doc as Partial<PreprocessingJSON>;
    if (!d || d.format !== 'autokeras-ts/preprocessing' || d.version !== 1 || (d.task !== 'classification' && d.task !== 'regression') || !Array.isArray(d.sampleShape)) {
      throw new InputDataError(`Not a preprocessing document (format "autokeras-ts/preprocessing", version 1): ${describeValue(doc)}`);
    }
    const labels = d.task === 'classification' ? LabelEncoder.fromJSON(d.labels) : null;
    return new Preprocessing(d.task, d.sampleShape.slice(), Normalizer.fromJSON(d.normalizer), labels, labels ? null : Number(d.targets));
  }
}

/** The `{xs, ys}` of one stream element, or an InputDataError naming the element (nothing is disposed here). */
function checkBatch(element: unknown, name: string, index: number): { xs: tf.Tensor; ys: tf.Tensor } {
  const e = element as { xs?: unknown; ys?: unknown } | null;
  const ok = (t: unknown): t is tf.Tensor => t instanceof tf.Tensor && !t.isDisposed;
  if (typeof e !== 'object' || e === null || !ok(e.xs) || !ok(e.ys)) {
    const keys = typeof e === 'object' && e !== null ? `an object with keys ${describeValue(Object.keys(e))}` : describeValue(element);
    badInput(name, 'elements {xs: tf.Tensor, ys: tf.Tensor} (e.g. dataset.map((r) => ({ xs: r.image, ys: r.label })))', `element ${index} is ${keys}`);
  }
  if (e.xs.dtype === 'string' || e.xs.dtype === 'complex64') badInput(`${name}.xs`, 'a numeric tensor', `a ${e.xs.dtype} tensor in element ${index}`);
  return { xs: e.xs, ys: e.ys };
}

/**
 * The elements of a tf.data.Dataset, an async iterable or an iterable, as one async stream. A dataset's
 * elements belong to the reader (as in `tf.LayersModel.fitDataset`): they are disposed once consumed;
 * elements of a plain iterable stay the caller's.
 */
async function* eachBatch<T extends tf.TensorContainer>(source: AsyncIterable<T> | Iterable<T> | tf.data.Dataset<T>): AsyncGenerator<T> {
  if (source instanceof tf.data.Dataset) {
    const it = await source.iterator();
    for (let r = await it.next(); !r.done; r = await it.next()) {
      try {
        yield r.value;
      } finally {
        tf.dispose(r.value);
      }
    }
  } else {
    yield* source;
  }
}
