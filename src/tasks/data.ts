import type * as tf from '@tensorflow/tfjs';
import { Tensor, concat, data as tfData, dispose as tfDispose } from '@tensorflow/tfjs';
import { InputDataError } from '../errors';
import { DEFAULTS } from '../options';
import type { StreamTrainData } from '../train/types';
import type { InputLike } from '../data/input';
import type { LabelInput } from '../data/labels';
import { checkSameLength } from '../data/images';
import type { DataRank } from '../data/images';
import { Preprocessing } from '../data/preprocessing';
import type { PreprocessingFitOptions } from '../data/preprocessing';
import { splitIndices, takeRows } from '../data/split';
import type { TargetInput } from '../data/targets';
import type { TrainData } from '../train/types';
import type { Rng } from '../util/rng';
import type { TaskSpec } from './task-spec';

/** Targets as users pass them: labels (numbers, strings, one-hot) or regression targets. */
export type TargetLike = LabelInput | TargetInput;

/** Prepared tensors of a fit: the caller disposes them with {@link disposeTrainData}. */
export interface PreparedData {
  prep: Preprocessing;
  data: TrainData;
}

function classIndices(y: tf.Tensor, spec: TaskSpec): Int32Array | undefined {
  if (spec.task !== 'classification') return undefined;
  const indices = y.argMax(-1);
  try {
    return Int32Array.from(indices.dataSync() as Iterable<number>);
  } finally {
    indices.dispose();
  }
}

/**
 * Fits the preprocessing on the training data and holds out the validation split (stratified for
 * classification), or uses `validationData` when given. All returned tensors belong to the caller.
 */
export function prepareFitData(x: InputLike, y: TargetLike, spec: TaskSpec, rng: Rng, fraction: number,
  validationData?: [InputLike, TargetLike], saved?: Preprocessing, extra: Omit<PreprocessingFitOptions, 'task'> = {}): PreparedData {
  const fitted = saved ? transformWith(saved, x, y, ['x', 'y']) : Preprocessing.fit(x, y, { ...extra, task: spec.task });
  return { prep: fitted.prep, data: holdOut(fitted.prep, fitted.x, fitted.y, spec, rng, fraction, validationData) };
}

/**
 * The data of a `finalFit`: `xTrain` / `yTrain` through the search's preprocessing, with `validationData`
 * as the validation set when given, else a held-out split of them. All returned tensors belong to the caller.
 */
export function prepareFinalFitData(prep: Preprocessing, xTrain: InputLike, yTrain: TargetLike, spec: TaskSpec, rng: Rng, fraction: number,
  validationData?: [InputLike, TargetLike]): TrainData {
  const t = transformWith(prep, xTrain, yTrain, ['xTrain', 'yTrain']);
  return holdOut(prep, t.x, t.y, spec, rng, fraction, validationData);
}

/** Prepared training tensors (consumed) with `validationData` transformed beside them, else split. */
function holdOut(prep: Preprocessing, x: tf.Tensor, y: tf.Tensor, spec: TaskSpec, rng: Rng, fraction: number,
  validationData?: [InputLike, TargetLike]): TrainData {
  if (!validationData) return splitData(x, y, spec, rng, fraction, true);
  try {
    return { x, y, ...transformValidation(prep, validationData) };
  } catch (e) {
    x.dispose(); y.dispose();
    throw e;
  }
}

/** `validationData` through the fitted preprocessing, its two lengths checked; nothing is left allocated on an error. */
function transformValidation(prep: Preprocessing, validationData: [InputLike, TargetLike]): { xVal: tf.Tensor; yVal: tf.Tensor } {
  const xVal = prep.transformX(validationData[0], 'validationData[0]');
  try {
    const yVal = prep.transformY(validationData[1], 'validationData[1]');
    try {
      checkSameLength(xVal.shape[0]!, yVal.shape[0]!, 'validationData[0]', 'validationData[1]');
    } catch (e) {
      yVal.dispose();
      throw e;
    }
    return { xVal, yVal };
  } catch (e) {
    xVal.dispose();
    throw e;
  }
}

/** Applies an already fitted preprocessing (resume, finalFit), keeping the training data's shape checks. */
function transformWith(prep: Preprocessing, x: InputLike, y: TargetLike, names: [string, string]): { prep: Preprocessing; x: tf.Tensor; y: tf.Tensor } {
  const xt = prep.transformX(x, names[0]);
  try {
    return { prep, x: xt, y: prep.transformY(y, names[1]) };
  } catch (e) {
    xt.dispose();
    throw e;
  }
}

/** Splits prepared tensors into train and validation parts; with `consume`, the inputs are disposed. */
function splitData(x: tf.Tensor, y: tf.Tensor, spec: TaskSpec, rng: Rng, fraction: number, consume: boolean): TrainData {
  try {
    const classes = classIndices(y, spec);
    const idx = splitIndices(x.shape[0]!, { rng, fraction, ...(classes ? { classes } : {}) });
    return { x: takeRows(x, idx.train), y: takeRows(y, idx.train), xVal: takeRows(x, idx.validation), yVal: takeRows(y, idx.validation) };
  } finally {
    if (consume) { x.dispose(); y.dispose(); }
  }
}

/** Disposes every tensor of a TrainData. */
export function disposeTrainData(data: TrainData | StreamTrainData): void {
  const d = data as Partial<TrainData>;
  for (const t of [d.x, d.y, d.xVal, d.yVal, d.xTest, d.yTest]) t?.dispose();
}

/** A `tf.data.Dataset` of raw `{xs, ys}` batches: the pipeline case, for data that does not fit in memory. */
export type BatchDataset = tf.data.Dataset<{ xs: tf.Tensor; ys: tf.Tensor }>;

/** Whether `x` is a tf.data.Dataset. */
export function isDataset(x: unknown): x is BatchDataset {
  return x instanceof tfData.Dataset;
}

/** Prepared streaming data of a fit: the caller disposes the validation tensors with {@link disposeTrainData}. */
export interface PreparedStream {
  prep: Preprocessing;
  data: StreamTrainData;
}

/**
 * The pipeline case: fits the preprocessing in one streaming pass over `dataset`, then streams the
 * preprocessed batches. Validation: `validationData` when given, else the dataset's first batches, about
 * `fraction` of the samples (at most `DEFAULTS.search.maxValidationSamples`, never every batch), which
 * training then skips. Batches read here are disposed, as `tf.LayersModel.fitDataset` does.
 */
export async function prepareDatasetData(dataset: BatchDataset, spec: TaskSpec, fraction: number, validationData?: [InputLike, TargetLike], multiLabel = false, rank?: DataRank): Promise<PreparedStream> {
  let total = 0;
  let batches = 0;
  // Counts only: fitBatches checks every element (and names the bad one) before it is used.
  const counted = dataset.map((b) => { const xs = (b as { xs?: unknown } | null)?.xs; if (xs instanceof Tensor && xs.rank > 0) total += xs.shape[0]!; batches += 1; return b; });
  const prep = await Preprocessing.fitBatches(counted, { task: spec.task, name: 'x', multiLabel, ...(rank !== undefined ? { rank } : {}) });
  // tf.data disposes a map's input only when the map returns: on a throw (a bad later batch) it is ours to dispose.
  const map = (b: { xs: tf.Tensor; ys: tf.Tensor }) => {
    try {
      return prep.mapBatch(b);
    } catch (e) {
      tfDispose(b);
      throw e;
    }
  };
  if (validationData) return { prep, data: { batches: dataset.map(map), ...transformValidation(prep, validationData) } };
  const held: Array<{ xs: tf.Tensor; ys: tf.Tensor }> = [];
  const it = await dataset.iterator();
  let count = 0;
  const wanted = Math.min(DEFAULTS.search.maxValidationSamples, Math.max(1, Math.round(total * fraction)));
  while (count < wanted && held.length < batches - 1) {
    let r: IteratorResult<{ xs: tf.Tensor; ys: tf.Tensor }>;
    try {
      r = await it.next();
      if (r.done) break;
      held.push(prep.mapBatch(r.value));
      count += r.value.xs.shape[0]!;
    } catch (e) {
      held.forEach((b) => tfDispose(b));
      throw e;
    } finally {
      if (r! && !r.done) tfDispose(r.value);
    }
  }
  const val = tfConcat(held);
  return { prep, data: { batches: dataset.skip(held.length).map(map), xVal: val.xs, yVal: val.ys } };
}

function tfConcat(batches: Array<{ xs: tf.Tensor; ys: tf.Tensor }>): { xs: tf.Tensor; ys: tf.Tensor } {
  if (batches.length === 0) throw new InputDataError('Received an invalid value for `x`, expected a dataset with at least one batch. Received: an empty dataset');
  try {
    return { xs: concat(batches.map((b) => b.xs)), ys: concat(batches.map((b) => b.ys)) };
  } finally {
    batches.forEach((b) => { b.xs.dispose(); b.ys.dispose(); });
  }
}
