import { makeAugmenter } from '../data/augment';
import { invalidArgument } from '../errors';
import type { Graph } from '../graph/graph';
import { DEFAULTS } from '../options';
import { checkTrainData } from './check';
import { adaptBatchSize, isOutOfMemoryError } from './memory';
import type { Plan } from './run';
import { TrainingRun } from './run';
import type { StreamTrainData, TrainData, TrainOptions, TrainResult } from './types';

/**
 * Trains one candidate (docs/algorithms.md section 5): compiles `graph` (its weights, if any, are the
 * starting point), runs mini-batch epochs over shuffled `data.x` (or over `data.batches`, a stream
 * of batches for data that do not fit in memory) with the chosen optimiser and
 * optional augmentation, evaluates after each epoch and stops early when the validation loss has not
 * dropped by `minDelta` for `patience` epochs; the best epoch's weights are restored and read back
 * into a copy of the graph. The deadline and the abort signal are checked before every batch (a
 * batch that would, at the mean batch time so far, end past the deadline is not started); a cut trial
 * keeps its best epoch (if it has none, the partial epoch is evaluated once).
 *
 * Never throws for numerical trouble: a NaN / infinite loss gives `status: 'failed'`. On an
 * out-of-memory error the batch is halved and the trial retried once from the start, then failed
 * (a stream's batch size is its own: an out-of-memory error fails the trial at once).
 * Every tensor it creates is disposed: `tf.memory().numTensors` is unchanged afterwards.
 *
 * @example
 * ```ts
 * const result = await trainGraph(graph, { x, y, xVal, yVal }, { task: 'classification', rng: new Rng(1), epochs: 10 });
 * result.metric;   // best validation accuracy
 * result.graph;    // trained weights
 * ```
 */
export async function trainGraph(graph: Graph, data: TrainData | StreamTrainData, options: TrainOptions): Promise<TrainResult> {
  const started = Date.now();
  checkTrainData(graph, data, options.task);
  const epochs = options.epochs ?? DEFAULTS.train.maxEpochs;
  const patience = options.patience ?? DEFAULTS.train.patience;
  if (!(Number.isInteger(epochs) && epochs > 0)) invalidArgument('epochs', 'a positive integer', epochs);
  if (!(Number.isInteger(patience) && patience > 0)) invalidArgument('patience', 'a positive integer', patience);
  const stream = 'batches' in data;
  const settings = options.augment === true ? {} : typeof options.augment === 'object' ? options.augment : null;
  const augment = typeof options.augment === 'function' ? options.augment
    : settings && graph.inputShape.length === 3 ? makeAugmenter({ ...settings, rng: options.rng.fork() }) : null;
  const augmentStart = typeof options.augment === 'function' ? 'always' : settings?.start ?? DEFAULTS.data.augmentStart;
  const batchSize = stream ? options.batchSize ?? DEFAULTS.train.maxBatchSize : adaptBatchSize(data.x.shape[0]!, options.batchSize);
  const lrSchedule = options.lrSchedule ?? DEFAULTS.train.lrSchedule;
  if (lrSchedule !== 'cosine' && lrSchedule !== 'constant') invalidArgument('lrSchedule', "'cosine' or 'constant'", lrSchedule);
  const plan: Plan = { epochs, patience, minDelta: options.minDelta ?? DEFAULTS.train.minDelta, batchSize, augment, started, lrSchedule, augmentStart };
  const seed = options.rng.seed();
  for (let retries = 0; ; retries++) {
    try {
      return { ...(await new TrainingRun(graph, data, options, plan, seed).run()), retries };
    } catch (e) {
      if (!isOutOfMemoryError(e)) throw e;
      if (retries === 1 || plan.batchSize === 1 || stream) {
        return failed(graph, plan, retries, `Out of memory at batch size ${plan.batchSize}: ${(e as Error).message}`);
      }
      plan.batchSize = Math.max(1, Math.floor(plan.batchSize / 2));
    }
  }
}

function failed(graph: Graph, plan: Plan, retries: number, error: string): TrainResult {
  return {
    graph, metric: NaN, valLoss: NaN, epochs: 0, bestEpoch: 0, seconds: (Date.now() - plan.started) / 1000, history: [],
    stoppedBy: 'failed', status: 'failed', error, batchSize: plan.batchSize, retries,
  };
}

