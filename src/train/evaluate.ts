import * as tf from '@tensorflow/tfjs';
import type { Task } from '../data/preprocessing';
import { DEFAULTS } from '../options';
import type { MetricContext, ResolvedMetric } from './metrics';
import { computeMetrics } from './metrics';

/** Loss and metric of a model on a data set. */
export interface Evaluation {
  /** Mean categorical cross-entropy (classification; binary for multi-label) or mean squared error (regression). */
  loss: number;
  /** Accuracy (classification) or mean squared error (regression); with `metrics`, the first of them (the objective). */
  metric: number;
  /** With `metrics`: each of them by name. */
  metrics?: Record<string, number>;
}

/** How the loss and metrics read the model's outputs beyond the task. */
export interface EvaluateExtras {
  /** Multi-hot targets, sigmoid outputs: binary cross-entropy. */
  multiLabel?: boolean;
  /** Metrics computed on the whole set (the objective first); `metric` is then the first. */
  metrics?: readonly ResolvedMetric[];
  /** Multi-label thresholds of the metrics (default 0.5). */
  thresholds?: readonly number[];
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
export function lossFunction(task: Task, multiLabel = false): (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor {
  if (task === 'classification') return multiLabel ? tf.metrics.binaryCrossentropy : tf.metrics.categoricalCrossentropy;
  return tf.metrics.meanSquaredError;
}

/**
 * The mean training loss of a batch with class weights (Keras `class_weight`): each sample's loss
 * times the weight of its class `[K]` (read off the one-hot `yTrue`), averaged over the batch.
 *
 * @example
 * ```ts
 * const loss = weightedLoss(lossFunction('classification'), yb, p, [1, 4]); // class 1 counts 4x
 * ```
 */
export function weightedLoss(loss: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor, yTrue: tf.Tensor, yPred: tf.Tensor, classWeight?: readonly number[]): tf.Scalar {
  return tf.tidy(() => {
    const perSample = loss(yTrue, yPred);
    if (!classWeight) return perSample.mean() as tf.Scalar;
    const w = yTrue.matMul(tf.tensor2d(classWeight as number[], [classWeight.length, 1])).reshape([-1]);
    return perSample.mul(w).mean() as tf.Scalar;
  });
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
export function evaluateModel(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor, task: Task, batchSize: number = DEFAULTS.train.maxBatchSize, extras: EvaluateExtras = {}): Evaluation {
  const n = x.shape[0]!;
  let lossSum = 0;
  let metricSum = 0;
  const collect = extras.metrics && extras.metrics.length > 0;
  const truth: number[][] = [];
  const outputs: number[][] = [];
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const sums = tf.tidy(() => {
      const xb = x.slice(start, size);
      const yb = y.slice(start, size);
      const p = model.predict(xb) as tf.Tensor;
      if (collect) {
        truth.push(...(yb.arraySync() as number[][]));
        outputs.push(...(p.arraySync() as number[][]));
      }
      if (task === 'classification' && extras.multiLabel) {
        const bce = tf.metrics.binaryCrossentropy(yb, p).sum();
        const hits = tf.equal(p.greaterEqual(0.5), yb.greaterEqual(0.5)).toFloat().mean(-1).sum();
        return tf.stack([bce, hits]);
      }
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
  if (!collect) return { loss: lossSum / n, metric: metricSum / n };
  const context: MetricContext = { task, multiLabel: extras.multiLabel ?? false, ...(extras.thresholds ? { thresholds: extras.thresholds } : {}) };
  const metrics = computeMetrics(extras.metrics!, truth, outputs, context);
  return { loss: lossSum / n, metric: metrics[extras.metrics![0]!.name]!, metrics };
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
