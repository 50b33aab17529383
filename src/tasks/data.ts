import type * as tf from '@tensorflow/tfjs';
import type { InputLike } from '../data/input';
import type { LabelInput } from '../data/labels';
import { Preprocessing } from '../data/preprocessing';
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
  validationData?: [InputLike, TargetLike], saved?: Preprocessing): PreparedData {
  const fitted = saved ? transformWith(saved, x, y) : Preprocessing.fit(x, y, { task: spec.task });
  const { prep } = fitted;
  if (validationData) {
    const xVal = prep.transformX(validationData[0], 'validationData[0]');
    try {
      return { prep, data: { x: fitted.x, y: fitted.y, xVal, yVal: prep.transformY(validationData[1], 'validationData[1]') } };
    } catch (e) {
      xVal.dispose();
      fitted.x.dispose(); fitted.y.dispose();
      throw e;
    }
  }
  return { prep, data: splitData(fitted.x, fitted.y, spec, rng, fraction, true) };
}

/** Applies an already fitted preprocessing (resume), keeping the training data's shape checks. */
function transformWith(prep: Preprocessing, x: InputLike, y: TargetLike): { prep: Preprocessing; x: tf.Tensor; y: tf.Tensor } {
  const xt = prep.transformX(x, 'x');
  try {
    return { prep, x: xt, y: prep.transformY(y, 'y') };
  } catch (e) {
    xt.dispose();
    throw e;
  }
}

/** Splits prepared tensors into train and validation parts; with `consume`, the inputs are disposed. */
export function splitData(x: tf.Tensor, y: tf.Tensor, spec: TaskSpec, rng: Rng, fraction: number, consume: boolean): TrainData {
  try {
    const classes = classIndices(y, spec);
    const idx = splitIndices(x.shape[0]!, { rng, fraction, ...(classes ? { classes } : {}) });
    return { x: takeRows(x, idx.train), y: takeRows(y, idx.train), xVal: takeRows(x, idx.validation), yVal: takeRows(y, idx.validation) };
  } finally {
    if (consume) { x.dispose(); y.dispose(); }
  }
}

/** Disposes every tensor of a TrainData. */
export function disposeTrainData(data: TrainData): void {
  for (const t of [data.x, data.y, data.xVal, data.yVal, data.xTest, data.yTest]) t?.dispose();
}
