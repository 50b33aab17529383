import type * as tf from '@tensorflow/tfjs';
import type { Augmenter, AugmentSettings } from '../data/augment';
import type { Task } from '../data/preprocessing';
import type { Graph } from '../graph/graph';
import type { Rng } from '../util/rng';
import type { BatchStream } from './batches';
import type { ResolvedMetric } from './metrics';

/**
 * Preprocessed tensors for one trial: `x` `[N, ...sampleShape]` float32, `y` `[N, K]` (one-hot for
 * classification). `xVal`/`yVal` drive early stopping; without them the epoch's mean training loss
 * does. `xTest`/`yTest` are only reported in the history, never used for stopping (finalFit).
 * The trainer never disposes these tensors.
 */
export interface TrainData {
  x: tf.Tensor;
  y: tf.Tensor;
  xVal?: tf.Tensor;
  yVal?: tf.Tensor;
  xTest?: tf.Tensor;
  yTest?: tf.Tensor;
}

/**
 * Training data as a stream of preprocessed batches (data that do not fit in memory); validation and
 * test sets stay in-memory tensors, as in {@link TrainData}. The batch size is the stream's.
 */
export interface StreamTrainData {
  batches: BatchStream;
  xVal?: tf.Tensor;
  yVal?: tf.Tensor;
  xTest?: tf.Tensor;
  yTest?: tf.Tensor;
}

/** The optimiser of a trial: Adam (default, lr 1e-3) or SGD with momentum. */
export type OptimizerConfig =
  | { name: 'adam'; learningRate?: number; beta1?: number; beta2?: number; epsilon?: number }
  | { name: 'sgd'; learningRate?: number; momentum?: number; nesterov?: boolean };

/** One line of the training history. */
export interface EpochLog {
  /** 1-based epoch number. */
  epoch: number;
  /** Mean training loss of the epoch (over the batches that ran). */
  loss: number;
  /** Validation loss (NaN without validation data). */
  valLoss: number;
  /** Validation accuracy (classification) or MSE (regression), or the objective when `metrics` were given; NaN without validation data. */
  valMetric: number;
  /** With `metrics`: each validation metric by name (the objective included). */
  valMetrics?: Record<string, number>;
  /** Test loss and metric when test data were given (reported only). */
  testLoss?: number;
  testMetric?: number;
  /** Seconds since the trial started. */
  seconds: number;
  /** True when the deadline or an abort cut the epoch short. */
  partial?: boolean;
  /** True when the epoch trained on augmented batches. */
  augmented?: boolean;
}

/** Options of {@link trainGraph}. */
export interface TrainOptions {
  task: Task;
  /** Most epochs (default `DEFAULTS.train.maxEpochs`). */
  epochs?: number;
  /** Epochs without improvement before stopping (default `DEFAULTS.train.patience`). */
  patience?: number;
  /** Smallest decrease of the monitored loss that counts as an improvement (default 1e-4). */
  minDelta?: number;
  /** Requested batch size (default and cap `DEFAULTS.train.maxBatchSize`; lowered for small data). */
  batchSize?: number;
  /** Default `{ name: 'adam' }` at `DEFAULTS.train.learningRate` (2e-3). */
  optimizer?: OptimizerConfig;
  /**
   * Wall-clock deadline, ms since the Unix epoch (`Date.now()` scale); checked before every batch: a batch
   * expected (mean batch time so far) to end past it is not started.
   */
  deadline?: number;
  /**
   * Image augmentation: `true` uses makeAugmenter with `DEFAULTS.data` for 2D images (ignored for other
   * ranks), {@link AugmentSettings} change those defaults, or a custom batch function.
   */
  augment?: boolean | AugmentSettings | Augmenter;
  /**
   * Learning-rate schedule (default `DEFAULTS.train.lrSchedule`, cosine): the rate decays over the run's
   * budget, the first of `epochs` and `deadline` to run out.
   */
  lrSchedule?: LrSchedule;
  /** Random stream: initial weights, shuffling, augmentation. */
  rng: Rng;
  /**
   * Evaluate the starting weights on the validation data first and keep them unless an epoch beats
   * them (default false): training then never ends worse on validation than it began (finalFit).
   */
  keepStart?: boolean;
  /** Called after every epoch. */
  onEpochEnd?: (log: EpochLog) => void;
  /** Stops training before the next batch (reported as `stoppedBy: 'aborted'`). */
  signal?: AbortSignal;
  /**
   * Metrics computed on the validation data after every epoch, the objective first (default none:
   * `valMetric` is accuracy or MSE). `metric` and `valMetric` are then the objective's values.
   */
  metrics?: readonly ResolvedMetric[];
  /**
   * What early stopping keeps (default `'loss'`): the epoch of the lowest validation loss, or with
   * `'objective'` the epoch of the best `metrics[0]` in its direction (by more than `minDelta`).
   */
  monitor?: 'loss' | 'objective';
  /** Multi-hot targets with a sigmoid head: binary cross-entropy (default false). */
  multiLabel?: boolean;
  /** Weight of each class's samples in the training loss, by class index `[K]` (default: all 1). */
  classWeight?: readonly number[];
}

/** Learning-rate schedules of {@link TrainOptions.lrSchedule}. */
export type LrSchedule = 'cosine' | 'constant';

/** Why training ended. */
export type StopReason = 'patience' | 'epochs' | 'deadline' | 'aborted' | 'failed';

/** What {@link trainGraph} returns. */
export interface TrainResult {
  /** The trained graph with the best epoch's weights (the input graph, untouched, if no epoch finished). */
  graph: Graph;
  /** Best epoch's validation metric: accuracy (classification) or MSE (regression), or the objective with `metrics`; NaN when failed. */
  metric: number;
  /** With `metrics`: the kept epoch's validation metrics by name. */
  metrics?: Record<string, number>;
  /** Best epoch's validation loss (or training loss without validation data). */
  valLoss: number;
  /** Epochs run (a partial epoch counts). */
  epochs: number;
  /** 1-based epoch whose weights were kept (0: none, or the starting weights under `keepStart`). */
  bestEpoch: number;
  seconds: number;
  history: EpochLog[];
  stoppedBy: StopReason;
  status: 'ok' | 'failed';
  error?: string;
  /** Batch size used in the end (after adaptation and any out-of-memory halving; with a stream, the evaluation batch size). */
  batchSize: number;
  /** Out-of-memory retries made (0 or 1). */
  retries: number;
}
