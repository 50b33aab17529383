import { currentBackend } from '../backend/select';
import { invalidArgument } from '../errors';
import type { Graph } from '../graph/graph';
import { graphToJSON } from '../graph/json';
import { DEFAULTS } from '../options';
import type { SearchDirectory } from '../persist/search-directory';
import type { Proposal } from '../search/types';
import type { StreamTrainData, TrainData } from '../train/types';
import { BullMQExecutor } from './bullmq';
import { writePreparedData } from './data-files';
import { InProcessExecutor } from './in-process';
import type { InProcessOptions } from './in-process';
import { ProcessPoolExecutor } from './process-pool';
import type { TrainingSpec, TrialExecutor, TrialSpec } from './types';

/**
 * How the task classes run trials (option `executor`): `'auto'` (default: a process pool with one
 * worker per core when there is more than one and the data are in memory, else in this process), in
 * this process, in a pool of child processes on this machine, on BullMQ workers through Redis, or any
 * {@link TrialExecutor}. A process pool without a `directory` works in a temporary one, removed after
 * the search; BullMQ and an executor instance need a search `directory` (storage the workers share).
 *
 * @example
 * ```ts
 * new ImageClassifier({ executor: 'in-process' });
 * new ImageClassifier({ executor: { type: 'process-pool', workers: 2 } });
 * new ImageClassifier({ directory: '/shared/ak', executor: { type: 'bullmq', redis: 'redis://127.0.0.1:6379', queue: 'ak', workers: 4 } });
 * ```
 */
export type ExecutorOption =
  | 'auto'
  | 'in-process'
  | { type: 'process-pool'; workers?: number }
  | { type: 'bullmq'; redis: string; queue: string; workers?: number }
  | TrialExecutor;

/**
 * Checks an `executor` option (the task classes' constructor calls it).
 *
 * @example
 * ```ts
 * checkExecutorOption({ type: 'process-pool', workers: 0 }); // ArgumentError
 * ```
 */
export function checkExecutorOption(value: unknown): asserts value is ExecutorOption {
  const v = value as { type?: unknown; workers?: unknown; redis?: unknown; queue?: unknown; run?: unknown; capacity?: unknown };
  const expected = "'auto', 'in-process', { type: 'process-pool', workers? }, { type: 'bullmq', redis, queue, workers? } or a TrialExecutor";
  if (value === 'in-process' || value === 'auto') return;
  if (typeof v !== 'object' || v === null) invalidArgument('executor', expected, value);
  if (typeof v.run === 'function') {
    if (!(Number.isInteger(v.capacity) && (v.capacity as number) >= 1)) invalidArgument('executor.capacity', 'a positive integer', v.capacity);
    return;
  }
  if (v.type !== 'process-pool' && v.type !== 'bullmq') invalidArgument('executor', expected, value);
  if (v.workers !== undefined && !(Number.isInteger(v.workers) && (v.workers as number) >= 1)) invalidArgument('executor.workers', 'a positive integer', v.workers);
  if (v.type === 'bullmq' && (typeof v.redis !== 'string' || typeof v.queue !== 'string' || v.queue.length === 0)) {
    invalidArgument('executor', "{ type: 'bullmq', redis: 'redis://host:port', queue: 'name' }", value);
  }
}

/**
 * The executor of an option (`'auto'` must be resolved first); `owned` is false for a user's instance
 * (the user closes it). `inProcess` configures an in-process executor (its data and trained parents).
 *
 * @example
 * ```ts
 * const { executor, owned } = createExecutor({ type: 'process-pool', workers: 2 });
 * ```
 */
export function createExecutor(option: Exclude<ExecutorOption, 'auto'>, inProcess: InProcessOptions = {}): { executor: TrialExecutor; owned: boolean } {
  if (option === 'in-process') return { executor: new InProcessExecutor(inProcess), owned: true };
  if ('run' in option) return { executor: option, owned: false };
  if (option.type === 'process-pool') return { executor: new ProcessPoolExecutor(option.workers !== undefined ? { workers: option.workers } : {}), owned: true };
  return { executor: new BullMQExecutor({ redis: option.redis, queue: option.queue, capacity: option.workers ?? DEFAULTS.execute.queueCapacity }), owned: true };
}

/** What the search loop needs to run trials through an executor (see `runSearchLoop`). */
export interface ExecutorSession {
  executor: TrialExecutor;
  /** The search directory when the executor's workers read from it (every executor but in-process). */
  directory?: string;
  toSpec: (trialId: number, proposal: Proposal, deadline: number) => TrialSpec;
  /** Closes the executor when the session created it. */
  close(): Promise<void>;
}

/**
 * Prepares a search for an executor: for one other than in-process, writes the prepared data into the
 * search directory once; creates the executor and returns the spec factory (trial seed
 * `seed + trialId` whatever the executor).
 *
 * @example
 * ```ts
 * const session = await openExecutor('in-process', null, data, train, 17, (id) => store.trainedGraph(id));
 * ```
 */
export async function openExecutor(
  option: Exclude<ExecutorOption, 'auto'>, dir: SearchDirectory | null, data: TrainData | StreamTrainData, train: TrainingSpec, seed: number,
  trainedGraph: (trialId: number) => Promise<Graph>, metrics?: InProcessOptions['metrics'],
): Promise<ExecutorSession> {
  const inProcess = option === 'in-process';
  if (!inProcess && !dir) invalidArgument('directory', 'a search directory for an executor other than in-process (its workers read the data and weights from it)', dir);
  if (!inProcess && 'batches' in data) invalidArgument('executor', "'in-process' for a tf.data.Dataset (workers read in-memory data from the search directory)", 'process-pool');
  const directory = dir?.root ?? '';
  const dataRef = !inProcess ? await writePreparedData(directory, data as TrainData) : { directory };
  const searchId = dir ? String(Date.parse((await dir.readMeta()).createdAt)) : String(Date.now());
  const backend = currentBackend() ?? undefined;
  const { executor, owned } = createExecutor(option, { data, trainedGraph, ...(metrics ? { metrics } : {}) });
  return {
    executor, ...(inProcess ? {} : { directory }),
    toSpec: (trialId, p, deadline) => ({
      trialId, key: `${searchId}-${trialId}`, directory, graph: graphToJSON(p.graph, false), parentId: p.parentId,
      parent: p.parentId === null || !dir ? null : { directory, trialId: p.parentId }, ops: p.ops, train, seed: seed + trialId, deadline, data: dataRef,
      ...(backend ? { backend } : {}),
    }),
    close: async () => { if (owned) await executor.close(); },
  };
}
