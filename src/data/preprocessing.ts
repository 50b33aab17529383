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
import type { RowEncoderJSON, RowEncoderOptions, TabularInput } from './rows';
import { RowEncoder, toTable } from './rows';
import type { TextVectorizerJSON, TextVectorizerOptions } from './text';
import { TextVectorizer } from './text';
import type { ImageList, ResizePolicy } from './resize';
import { canResize, isImageList, toImageTensor } from './resize';

/** What a model learns: class probabilities or real-valued targets. */
export type Task = 'classification' | 'regression';

/** The preprocessing JSON written next to an exported model (`preprocessing.json`). */
export interface PreprocessingJSON {
  format: 'autokeras-ts/preprocessing';
  /** 1; 2 in an `export()` folder whose model does the scaling itself (see `exported`). */
  version: 1 | 2;
  task: Task;
  /** Per-sample input shape the model takes, channels last (e.g. `[28, 28, 1]`). */
  sampleShape: number[];
  normalizer: NormalizerJSON;
  /** Classification only: the class order of the model's outputs. */
  labels: LabelEncoderJSON | null;
  /** Regression only: number of targets K. */
  targets: number | null;
  /** Structured data only: how rows are encoded into `[N, F]` (absent or null for tensor inputs). */
  rows?: RowEncoderJSON | null;
  /**
   * Structured regression only: the model predicts standardised targets, `y = output * std[k] + mean[k]`
   * (absent or null: the model predicts the targets themselves).
   */
  targetScale?: TargetScaleJSON | null;
  /** Text only: how texts become token ids `[sequenceLength]` (the vocabulary; absent or null otherwise). */
  text?: TextVectorizerJSON | null;
  /**
   * Per-sample shape of the data as given to `fit`, e.g. `[28, 28]` for `[N, 28, 28]` images (absent:
   * `sampleShape`). The shape an exported model takes.
   */
  inputShape?: number[];
  /**
   * Multi-label classification only: the threshold of each label's probability `[K]` (a label is
   * predicted when its output is at least its threshold), chosen on the validation data.
   */
  thresholds?: number[] | null;
  /** Version 2, `export()` folders only: what the exported model.json does itself. */
  exported?: ExportedModelJSON;
}

/** What an exported model does in its own layers (`preprocessing.json` version 2). */
export interface ExportedModelJSON {
  /** Per-sample shape the model takes (`[N, ...inputShape]`). */
  inputShape: number[];
  /** The first layers do the normaliser's `(x * scale - mean) / std`: the model takes raw values (uint8 pixels). */
  inputScaling: boolean;
  /** The last layer undoes the target standardisation: the model outputs targets in the user's units. */
  targetScaling: boolean;
}

/** Per-target mean and standard deviation `[K]` of the training targets. */
export interface TargetScaleJSON {
  mean: number[];
  std: number[];
}

/** Options of {@link Preprocessing.fit}. */
export interface PreprocessingFitOptions {
  task: Task;
  rank?: DataRank;
  /** Set for structured data: `x` is rows ({@link TabularInput}) encoded by a fitted {@link RowEncoder}. */
  rows?: RowEncoderOptions;
  /** Regression: standardise the targets (the model learns `(y - mean) / std`; decode undoes it). */
  scaleTargets?: boolean;
  /** Set for text: `x` is an array of strings, encoded by a fitted {@link TextVectorizer}. */
  text?: TextVectorizerOptions;
  /**
   * 2D images: accept an {@link ImageList} of mixed sizes and images of another size, resized to `size`
   * (default: the median size capped at `DEFAULTS.data.maxImageSize`) or refused (`resize: false`); the
   * policy then applies to every later {@link Preprocessing.transformX}. Absent: one size, as given.
   */
  images?: ResizePolicy & { size?: readonly number[] };
  /** Classification: `y` holds multi-hot rows `[N, K]` (see {@link LabelEncoder.fit}). */
  multiLabel?: boolean;
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
    /** Structured data: the row encoder (null for tensor inputs). */
    readonly rows: RowEncoder | null = null,
    /** Structured and text regression: the target standardisation (null: none). */
    readonly targetScale: TargetScaleJSON | null = null,
    /** Multi-label: the per-label thresholds `[K]` (null: 0.5 each, before they are chosen). */
    readonly thresholds: readonly number[] | null = null,
    /** Per-sample shape as given to fit (without a channel axis when the data had none). */
    readonly inputShape: readonly number[] = sampleShape,
    /** Text: the vectorizer (null for other inputs). */
    readonly text: TextVectorizer | null = null,
  ) {}

  /** The encoder that turns raw inputs into the network's input (rows, texts), or null for tensors (normalised instead). */
  private get encoder(): RowEncoder | TextVectorizer | null {
    return this.rows ?? this.text;
  }

  /** How {@link Preprocessing.transformX} treats images of another size (null: refused, as in fit's shape check). */
  private resizer: ResizePolicy | null = null;

  /**
   * Sets how later inputs of another image size are treated (2D images only): resized to `sampleShape`
   * and reported, or refused with an InputDataError; null: refused, the message naming the fit shape.
   */
  setResize(policy: ResizePolicy | null): this {
    this.resizer = policy;
    return this;
  }

  /** A copy with the multi-label thresholds `[K]` set (see {@link PreprocessingJSON.thresholds}); the resize policy is kept. */
  withThresholds(thresholds: readonly number[]): Preprocessing {
    return new Preprocessing(this.task, this.sampleShape, this.normalizer, this.labels, this.targets, this.rows, this.targetScale, thresholds.slice(), this.inputShape, this.text).setResize(this.resizer);
  }

  /** Fits on training data and returns the transformed `x` and `y` (one-hot for classification). */
  static fit(x: InputLike | TabularInput | ImageList | readonly string[], y: LabelInput | TargetInput, options: PreprocessingFitOptions): { prep: Preprocessing; x: tf.Tensor; y: tf.Tensor } {
    if (options.task !== 'classification' && options.task !== 'regression') invalidArgument('task', '"classification" or "regression"', options.task);
    if (options.rows) return Preprocessing.fitRows(x as TabularInput, y, options);
    if (options.text) return Preprocessing.fitText(x as readonly string[], y, options);
    // x first: an empty or malformed x is named as such, not as a label problem.
    const images = options.images && canResize(options.rank) ? options.images : null;
    if (!images && isImageList(x)) badInput('x', `one array or tensor of samples${canResize(options.rank) ? '' : ' (images of mixed sizes are resized for 2D images only)'}`, `a list of ${x.length} separate images`);
    const input = images ? toImageTensor(x as InputLike | ImageList, { name: 'x', ...images }) : toInputTensor(x as InputLike, { rank: options.rank });
    const raw = input.x;
    let yt: tf.Tensor2D | undefined;
    try {
      const labels = options.task === 'classification' ? LabelEncoder.fit(y as LabelInput, 'y', options.multiLabel) : null;
      yt = labels ? labels.oneHot(y as LabelInput) : toTargetTensor(y as TargetInput);
      checkSameLength(raw.shape[0]!, yt.shape[0]!);
      const normalizer = Normalizer.fit(raw, input.integer);
      const prep = new Preprocessing(options.task, raw.shape.slice(1), normalizer, labels, labels ? null : yt.shape[1]!, null, null, null, input.given.slice(1));
      if (images) prep.setResize({ resize: images.resize, ...(images.report ? { report: images.report } : {}) });
      return { prep, x: normalizer.transform(raw), y: yt };
    } catch (e) {
      yt?.dispose();
      throw e;
    } finally {
      raw.dispose();
    }
  }

  /**
   * The text fit: a {@link TextVectorizer} on the texts (ids `[N, L]`, float32, not normalised), labels
   * or (optionally standardised) targets.
   */
  private static fitText(x: readonly string[], y: LabelInput | TargetInput, options: PreprocessingFitOptions): { prep: Preprocessing; x: tf.Tensor; y: tf.Tensor } {
    const vectorizer = TextVectorizer.fit(x, options.text, 'x');
    const labels = options.task === 'classification' ? LabelEncoder.fit(y as LabelInput, 'y', options.multiLabel) : null;
    let yt = labels ? labels.oneHot(y as LabelInput) : toTargetTensor(y as TargetInput);
    try {
      checkSameLength(x.length, yt.shape[0]!);
      const targetScale = !labels && options.scaleTargets ? targetMoments(yt) : null;
      if (targetScale) {
        const scaled = scaleTargets(yt, targetScale);
        yt.dispose();
        yt = scaled;
      }
      const L = vectorizer.sequenceLength;
      const prep = new Preprocessing(options.task, [L], identityNormalizer(L), labels, labels ? null : yt.shape[1]!, null, targetScale, null, [L], vectorizer);
      return { prep, x: vectorizer.transform(x, 'x'), y: yt };
    } catch (e) {
      yt.dispose();
      throw e;
    }
  }

  /**
   * The structured-data fit: a {@link RowEncoder} on the rows (identity normaliser after it, the
   * encoder standardises), labels or (optionally standardised) targets.
   */
  private static fitRows(x: TabularInput, y: LabelInput | TargetInput, options: PreprocessingFitOptions): { prep: Preprocessing; x: tf.Tensor; y: tf.Tensor } {
    const table = toTable(x, 'x');
    const labels = options.task === 'classification' ? LabelEncoder.fit(y as LabelInput, 'y', options.multiLabel) : null;
    let yt = labels ? labels.oneHot(y as LabelInput) : toTargetTensor(y as TargetInput);
    try {
      checkSameLength(table.length, yt.shape[0]!);
      const encoder = RowEncoder.fit(table, options.rows);
      const targetScale = !labels && options.scaleTargets ? targetMoments(yt) : null;
      if (targetScale) {
        const scaled = scaleTargets(yt, targetScale);
        yt.dispose();
        yt = scaled;
      }
      const width = encoder.width;
      const prep = new Preprocessing(options.task, [width], identityNormalizer(width), labels, labels ? null : yt.shape[1]!, encoder, targetScale);
      return { prep, x: encoder.transform(table, 'x'), y: yt };
    } catch (e) {
      yt.dispose();
      throw e;
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
    options: { task: Task; rank?: DataRank; name?: string; multiLabel?: boolean },
  ): Promise<Preprocessing> {
    if (options.task !== 'classification' && options.task !== 'regression') invalidArgument('task', '"classification" or "regression"', options.task);
    const name = options.name ?? 'batches';
    const labels: Array<Label | number[]> = [];
    let sample: number[] | null = null;
    let given: number[] | null = null;
    let integer = true;
    let targets = 0;
    let index = 0;
    async function* inputs(): AsyncGenerator<tf.Tensor> {
      for await (const element of eachBatch(batches)) {
        const { xs, ys } = checkBatch(element, name, index);
        const full = withChannels(xs.shape, `${name}.xs`, sample ? { sampleShape: sample } : { rank: options.rank });
        sample ??= full.slice(1);
        given ??= xs.shape.slice(1);
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
    const encoder = options.task === 'classification'
      ? LabelEncoder.fit(labels.map((l) => (Array.isArray(l) && l.length === 1 && !options.multiLabel ? l[0]! : l)) as LabelInput, `${name}.ys`, options.multiLabel) : null;
    return new Preprocessing(options.task, sample!, normalizer, encoder, encoder ? null : targets, null, null, null, given!);
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
  transformX(x: InputLike | TabularInput | ImageList | readonly string[], name = 'x'): tf.Tensor {
    if (this.encoder) return this.encoder.transform(x as never, name);
    const raw = this.checkX(x, name);
    try {
      return this.normalizer.transform(raw);
    } finally {
      raw.dispose();
    }
  }

  /**
   * Checks new inputs as {@link Preprocessing.transformX} does, without normalising them: float32
   * `[N, ...sampleShape]` raw values, what a model with the scaling in its layers takes (reshape it to
   * `[N, ...inputShape]`). Structured data and text: the encoded rows or token ids, as transformX.
   */
  checkX(x: InputLike | TabularInput | ImageList | readonly string[], name = 'x'): tf.Tensor {
    if (this.encoder) return this.encoder.transform(x as never, name);
    const r = this.resizer;
    if (r && this.sampleShape.length === 3 && (r.resize || isImageList(x))) {
      return toImageTensor(x as InputLike | ImageList, { name, size: this.sampleShape.slice(0, 2), channels: this.sampleShape[2]!, ...r }).x;
    }
    return toInputTensor(x as InputLike, { name, sampleShape: this.sampleShape }).x;
  }

  /**
   * The scaling an exported model does in its own layers ({@link withScalingLayers}): images and other
   * tensors, the normaliser `(x * scale - mean) / std` as `x * (scale / std) + (-mean / std)` per channel,
   * on inputs of {@link Preprocessing.inputShape}; structured data and text, none on the input (rows are
   * encoded by the RowEncoder, texts by the TextVectorizer: string categories, missing values and
   * tokenisation stay out of a tfjs graph, so the exported model takes the encoded `[N, width]` rows or
   * `[N, sequenceLength]` token ids) and, for a standardised regression target, `y * std + mean` on the output.
   */
  exportStages(): { inputShape: number[]; input: { scale: number[]; offset: number[] } | null; output: { scale: number[]; offset: number[] } | null } {
    const n = this.normalizer;
    const input = this.encoder ? null : { scale: n.std.map((s) => n.scale / s), offset: n.mean.map((m, c) => -m / n.std[c]!) };
    const output = this.targetScale ? { scale: this.targetScale.std.slice(), offset: this.targetScale.mean.slice() } : null;
    return { inputShape: this.encoder ? this.sampleShape.slice() : this.inputShape.slice(), input, output };
  }

  /** Encodes targets as the model outputs them: one-hot `[N, K]` or `[N, K]` floats. */
  transformY(y: LabelInput | TargetInput, name = 'y'): tf.Tensor2D {
    if (this.labels) return this.labels.oneHot(y as LabelInput, name);
    const t = toTargetTensor(y as TargetInput, name);
    if (t.shape[1] !== this.targets) {
      t.dispose();
      throw new InputDataError(`Received an invalid value for \`${name}\`, expected ${this.targets} target(s) per sample (as in fit). Received: ${name} of shape ${describeValue(t.shape)}`);
    }
    if (!this.targetScale) return t;
    try {
      return scaleTargets(t, this.targetScale);
    } finally {
      t.dispose();
    }
  }

  /**
   * Model outputs `[N, K]` -> labels in the form `y` was given to fit (classification: the labels'
   * values, or one-hot rows for one-hot `y`, multi-hot rows over the thresholds for multi-label) or
   * `[N, K]` numbers.
   */
  decode(output: tf.Tensor): Label[] | number[][] {
    if (this.labels?.multiLabel) {
      const t = this.thresholds;
      return (output.arraySync() as number[][]).map((row) => row.map((p, k) => (p >= (t?.[k] ?? 0.5) ? 1 : 0)));
    }
    if (this.labels) {
      const arg = tf.tidy(() => output.argMax(-1));
      const idx = arg.dataSync();
      arg.dispose();
      return this.labels.decodeOriginal(idx);
    }
    const rows = output.arraySync() as number[][];
    const s = this.targetScale;
    return s ? rows.map((r) => r.map((v, k) => v * s.std[k]! + s.mean[k]!)) : rows;
  }

  toJSON(): PreprocessingJSON {
    return {
      format: 'autokeras-ts/preprocessing', version: 1, task: this.task, sampleShape: this.sampleShape.slice(),
      normalizer: this.normalizer.toJSON(), labels: this.labels?.toJSON() ?? null, targets: this.targets,
      ...(this.rows ? { rows: this.rows.toJSON() } : {}),
      ...(this.text ? { text: this.text.toJSON() } : {}),
      ...(this.encoder ? { targetScale: this.targetScale ? { mean: this.targetScale.mean.slice(), std: this.targetScale.std.slice() } : null } : {}),
      ...(this.thresholds ? { thresholds: this.thresholds.slice() } : {}),
      ...(sameShape(this.inputShape, this.sampleShape) ? {} : { inputShape: this.inputShape.slice() }),
    };
  }

  /** Restores from {@link Preprocessing.toJSON}. */
  static fromJSON(doc: unknown): Preprocessing {
    const d = doc as Partial<PreprocessingJSON>;
    if (!d || d.format !== 'autokeras-ts/preprocessing' || (d.version !== 1 && d.version !== 2) || (d.task !== 'classification' && d.task !== 'regression') || !Array.isArray(d.sampleShape)) {
      throw new InputDataError(`Not a preprocessing document (format "autokeras-ts/preprocessing", version 1 or 2): ${describeValue(doc)}`);
    }
    const given = d.inputShape;
    if (given !== undefined && !(Array.isArray(given) && given.every((v) => Number.isInteger(v) && v > 0) && given.reduce((a, b) => a * b, 1) === d.sampleShape.reduce((a: number, b: number) => a * b, 1))) {
      throw new InputDataError(`Not a preprocessing document: inputShape must be positive integers with as many values per sample as sampleShape. Received: ${describeValue(given)}`);
    }
    const labels = d.task === 'classification' ? LabelEncoder.fromJSON(d.labels) : null;
    const rows = d.rows ? RowEncoder.fromJSON(d.rows) : null;
    const text = d.text ? TextVectorizer.fromJSON(d.text) : null;
    const ts = d.targetScale;
    if (ts && !(Array.isArray(ts.mean) && Array.isArray(ts.std) && ts.mean.length === ts.std.length && [...ts.mean, ...ts.std].every(Number.isFinite))) {
      throw new InputDataError(`Not a preprocessing document: targetScale must be { mean: number[], std: number[] } of one length. Received: ${describeValue(ts)}`);
    }
    const th = d.thresholds;
    if (th && !(Array.isArray(th) && labels?.multiLabel && th.length === labels.numClasses && th.every(Number.isFinite))) {
      throw new InputDataError(`Not a preprocessing document: thresholds must be one number per label of a multi-label classifier. Received: ${describeValue(th)}`);
    }
    const sample = d.sampleShape.slice();
    return new Preprocessing(d.task, sample, Normalizer.fromJSON(d.normalizer), labels, labels ? null : Number(d.targets), rows, ts ? { mean: ts.mean.slice(), std: ts.std.slice() } : null, th ? th.slice() : null, given ? given.slice() : sample, text);
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

/** Per-column mean and standard deviation (1 where a column is constant) of targets `[N, K]`. */
function targetMoments(y: tf.Tensor): TargetScaleJSON {
  const m = tf.moments(y, 0);
  const [mean, variance] = [Array.from(m.mean.dataSync()), Array.from(m.variance.dataSync())];
  tf.dispose([m.mean, m.variance]);
  return { mean, std: variance.map((v) => (Math.sqrt(v) > 1e-12 ? Math.sqrt(v) : 1)) };
}

/** A normaliser that changes nothing, for inputs encoded before the network (rows, token ids) of `width` features. */
function identityNormalizer(width: number): Normalizer {
  return Normalizer.fromJSON({ format: 'autokeras-ts/normalizer', version: 1, scale: 1, mean: new Array(width).fill(0), std: new Array(width).fill(1) });
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** `(y - mean) / std` per target column (a new tensor). */
function scaleTargets(y: tf.Tensor, s: TargetScaleJSON): tf.Tensor2D {
  return tf.tidy(() => y.sub(tf.tensor1d(s.mean)).div(tf.tensor1d(s.std)) as tf.Tensor2D);
}
