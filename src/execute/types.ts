import type { AugmentSettings } from '../data/augment';
import type { LrSchedule } from '../train/types';
import type { BackendName } from '../backend/select';
import type { Task } from '../data/preprocessing';
import type { GraphJSON } from '../graph/json';
import type { MorphOp } from '../morph/ops';
import type { TrialOutcome } from '../search/trial';
import type { EpochLog, OptimizerConfig } from '../train/types';

export type { WorkerResult } from '../search/trial';

/** Where a worker finds the prepared tensors: `<directory>/data/data.json` and its `.bin` files. */
export interface DataRef {
  /** The search directory (shared storage for workers on other machines). */
  directory: string;
}

/** Where a worker finds a trained parent: `<directory>/trials/<trialId>/` of a search directory. */
export interface WeightsRef {
  directory: string;
  trialId: number;
}

/** How a worker trains one trial (the `trainGraph` options that travel as JSON). */
export interface TrainingSpec {
  task: Task;
  epochs: number;
  patience: number;
  batchSize: number;
  optimizer: OptimizerConfig;
  augment: boolean | AugmentSettings;
  /** Learning-rate schedule (default `DEFAULTS.train.lrSchedule`). */
  lrSchedule?: LrSchedule;
  /** Most seconds the trial may train, counted from when the worker starts it (the per-trial cap); the spec's `deadline` still bounds it. */
  maxSeconds?: number;
  /**
   * Built-in metrics (names, `MetricName`) computed on the validation data after every epoch, the
   * objective first; absent: accuracy / MSE. Functions cannot travel: a search with a `CustomMetric`
   * runs in-process and passes them to `executeTrial` itself.
   */
  metrics?: string[];
  /** Early stopping on the validation loss (default) or on the objective, `metrics[0]`. */
  monitor?: 'loss' | 'objective';
  /** Multi-hot targets, sigmoid head, binary cross-entropy. */
  multiLabel?: boolean;
  /** Class weights of the training loss by class index `[K]`. */
  classWeight?: number[];
}

/**
 * One trial as plain JSON, so that it can cross a process or machine boundary (IPC, a BullMQ job):
 * build `graph` by replaying `ops` on the parent's trained weights (or from fresh weights when
 * `parent` is null), train it with `train`, and write the trained weights as the trial's outcome files
 * (`<directory>/outcomes/<trialId>/`, see {@link internals!writeOutcome}); the chief alone writes `history.json`.
 *
 * @example
 * ```ts
 * const spec: TrialSpec = {
 *   trialId: 3, key: '1764330000000-3', directory: '/shared/ak-run', graph: graphToJSON(p.graph, false),
 *   parentId: 1, parent: { directory: '/shared/ak-run', trialId: 1 }, ops: p.ops,
 *   train: { task: 'classification', epochs: 2, patience: 2, batchSize: 32, optimizer: { name: 'adam' }, augment: false },
 *   seed: 17, deadline: Date.now() + 60_000, data: { directory: '/shared/ak-run' }, backend: 'cpu',
 * };
 * ```
 */
export interface TrialSpec {
  trialId: number;
  /** Unique across searches (the search's creation time and the trial id): the BullMQ job id. */
  key: string;
  /** The search directory the outcome is written to (empty for a search kept in memory, which only the in-process executor runs). */
  directory: string;
  /** The architecture (structure only: `graphToJSON(graph, false)`). */
  graph: GraphJSON;
  parentId: number | null;
  parent: WeightsRef | null;
  ops: MorphOp[];
  train: TrainingSpec;
  /** Seed of the trial's random stream (initial weights, shuffling, augmentation). */
  seed: number;
  /** Milliseconds since the epoch after which training stops. */
  deadline: number;
  data: DataRef;
  /** tfjs backend the worker should use (default: the worker's own choice). */
  backend?: BackendName;
}

/**
 * What an executor reports while a trial runs (every built-in executor does: in-process directly, a
 * process pool over IPC, BullMQ through job progress).
 *
 * @example
 * ```ts
 * await executor.run(spec, { epochEnd: (log) => console.log(log.epoch, log.valMetric) });
 * ```
 */
export interface TrialListener {
  /** An epoch of the trial ended. */
  epochEnd?: (log: EpochLog) => void;
  /**
   * Aborted when the search is stopped (`fit`'s `signal`, `stopSearch()`): the trial should stop before
   * its next batch and report what it trained so far (the built-in in-process and process-pool
   * executors do; an executor that cannot may ignore it, and the search then waits for the trial).
   */
  signal?: AbortSignal;
}

/**
 * Runs trials (docs/architecture.md, "Scale beyond one machine"): the search loop hands it {@link TrialSpec}s and
 * keeps up to `capacity` in flight. `run` never rejects for a trial's own failure: a trial that could
 * not be run after the executor's retries resolves with `status: 'failed'` and the reason.
 *
 * @example
 * ```ts
 * const executor = new ProcessPoolExecutor({ workers: 2 });
 * const outcome = await executor.run(spec); // { graph (trained), metric, epochs, seconds, status }
 * await executor.close();
 * ```
 */
export interface TrialExecutor {
  /** How many trials it can run at once. */
  readonly capacity: number;
  /**
   * Runs one trial; the outcome's `graph` carries the trained weights when it succeeded. `listener`
   * hears the trial's epochs (an executor that cannot report them may ignore it).
   */
  run(spec: TrialSpec, listener?: TrialListener): Promise<TrialOutcome>;
  /** Stops the workers it started and frees its connections. */
  close(): Promise<void>;
}
