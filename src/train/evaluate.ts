import * as tf from '@tensorflow/tfjs';
import type { Task } from '../data/preprocessing';
import { DEFAULTS } from '../options';

/** Loss and metric of a model on a data set. */
export interface Evaluation {
  /** Mean categorical cross-entropy (classification) or mean squared error (regression). */
  loss: number;
  /** Accuracy (classification) or mean squared error (regression). */
  metric: number;
}

/**
 * The per-sample training loss of a task, as Keras defines it: categorical cross-entropy on
 * probabilities (clipped at 1e-7) or mean squared error over the last axis; `[N, K]` in, `[N]` out.
 *
 * @example
 * ```ts
 * const loss = lossFunction('classification')(yTrue, yPred).mean();
 * ```
 */
export function lossFunction(task: Task): (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor {
  return task === 'classification' ? tf.metrics.categoricalCrossentropy : tf.metrics.meanSquaredError;
}

/**
 * The training loss of a task, as tfjs names it.
 *
 * @example
 * ```ts
 * model.compile({ optimizer, loss: lossName('regression') }); // 'meanSquaredError'
 * ```
 */
export function lossName(task: Task): 'categoricalCrossentropy' | 'meanSquaredError' {
  return task === 'classification' ? 'categoricalCrossentropy' : 'meanSquaredError';
}

/**
 * Evaluates `model` on `x` `[N, ...]`, `y` `[N, K]` in batches (inference mode: dropout off, batch
 * normalisation on its moving statistics). Cross-entropy clips probabilities like Keras (1e-7).
 * Leaves no tensors behind.
 *
 * @example
 * ```ts
 * const { loss, metric } = evaluateModel(model, xVal, yVal, 'classification'); // metric = accuracy
 * ```
 */
export function evaluateModel(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor, task: Task, batchSize: number = DEFAULTS.train.maxBatchSize): Evaluation {
  const n = x.shape[0]!;
  let lossSum = 0;
  let metricSum = 0;
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const sums = tf.tidy(() => {
      const xb = x.slice(start, size);
      const yb = y.slice(start, size);
      const p = model.predict(xb) as tf.Tensor;
      if (task === 'classification') {
        const ce = tf.metrics.categoricalCrossentropy(yb, p).sum();
        const hits = tf.equal(p.argMax(-1), yb.argMax(-1)).sum();
        return tf.stack([ce, hits.toFloat()]);
      }
      const se = tf.squaredDifference(p, yb).mean(-1).sum();
      return tf.stack([se, se]);
    });
    const [l, m] = sums.dataSync();
    sums.dispose();
    lossSum += l!;
    metricSum += m!;
  }
  return { loss: lossSum / n, metric: metricSum / n };
}

/**
 * `model.predict` over `x` in batches, concatenated (the caller disposes the result).
 *
 * @example
 * ```ts
 * const proba = predictBatched(model, x); // [N, K]
 * ```
 */
export function predictBatched(model: tf.LayersModel, x: tf.Tensor, batchSize: number = DEFAULTS.train.maxBatchSize): tf.Tensor {
  const n = x.shape[0]!;
  const parts: tf.Tensor[] = [];
  try {
    for (let start = 0; start < n; start += batchSize) {
      parts.push(tf.tidy(() => model.predict(x.slice(start, Math.min(batchSize, n - start))) as tf.Tensor));
    }
    return parts.length === 1 ? parts[0]!.clone() : tf.concat(parts, 0);
  } finally {
    tf.dispose(parts);
  }
}
