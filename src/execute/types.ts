import type { AugmentSettings } from '../data/augment';
import type { LrSchedule } from '../train/types';
import type { BackendName } from '../backend/select';
import type { Task } from '../data/preprocessing';
import type { GraphJSON } from '../graph/json';
import type { MorphOp } from '../morph/ops';
import type { TrialOutcome } from '../search/search-loop';
import type { OptimizerConfig } from '../train/types';

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
  /** The search directory the outcome is written to. */
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

/** What a worker sends back: the outcome's numbers; the trained weights stay in the outcome files. */
export interface WorkerResult {
  trialId: number;
  metric: number;
  epochs: number;
  seconds: number;
  status: 'ok' | 'failed';
  error?: string;
  valLoss?: number;
  bestEpoch?: number;
  batchSize?: number;
  stoppedBy?: string;
  /** Mean seconds of one whole epoch, when one finished. */
  epochSeconds?: number;
  /** Whether `outcomes/<trialId>/` holds trained weights. */
  hasWeights: boolean;
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
  /** Runs one trial; the outcome's `graph` carries the trained weights when it succeeded. */
  run(spec: TrialSpec): Promise<TrialOutcome>;
  /** Stops the workers it started and frees its connections. */
  close(): Promise<void>;
}
