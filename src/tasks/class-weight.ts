import * as tf from '@tensorflow/tfjs';
import type { Preprocessing } from '../data/preprocessing';
import { UnsupportedError, describeValue, invalidArgument } from '../errors';
import type { StreamTrainData, TrainData } from '../train/types';
import type { AutoModelOptions } from './options';

/**
 * The `classWeight` option as weights by class index `[K]` (null without it): `'balanced'` is
 * `n / (K * n_k)` over the training part of `data` (scikit-learn's `compute_class_weight`; a class
 * absent from it weighs 1), an object maps `String(label)` to a weight (classes left out weigh 1; a key
 * that is no class is an ArgumentError naming it).
 *
 * @example
 * ```ts
 * classWeightVector('balanced', prep, data); // e.g. [0.625, 2.5] for 80 and 20 samples
 * classWeightVector({ cat: 3 }, prep, data); // [3, 1] for classes ['cat', 'dog']
 * ```
 */
export function classWeightVector(option: AutoModelOptions['classWeight'], prep: Preprocessing, data: TrainData | StreamTrainData): number[] | null {
  if (option === undefined) return null;
  const labels = prep.labels;
  if (!labels) invalidArgument('classWeight', 'to be used with a classifier (a regressor has no classes)', option);
  const k = labels!.numClasses;
  if (option === 'balanced') {
    if (!('y' in data)) throw new UnsupportedError("classWeight: 'balanced' needs the training labels in memory; with a tf.data.Dataset pass the weights as an object { label: weight }");
    const counts = tf.tidy(() => data.y.sum(0)).arraySync() as number[];
    const n = counts.reduce((a, b) => a + b, 0);
    return counts.map((c) => (c > 0 ? n / (k * c) : 1));
  }
  const byName = new Map(labels!.classes.map((c, i) => [String(c), i]));
  const out = new Array<number>(k).fill(1);
  for (const [key, w] of Object.entries(option)) {
    const i = byName.get(key);
    if (i === undefined) invalidArgument(`classWeight.${key}`, `a class of the training labels (${labels!.classes.map((c) => describeValue(String(c))).join(', ')})`, w);
    out[i!] = w;
  }
  if (out.every((w) => w === 0)) invalidArgument('classWeight', 'at least one positive weight', option);
  return out;
}
