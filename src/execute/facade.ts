import { currentBackend } from '../backend/select';
import { ArgumentError, invalidArgument } from '../errors';
import { graphToJSON } from '../graph/json';
import type { SearchDirectory } from '../persist/search-directory';
import type { Proposal } from '../search/types';
import type { TrainData } from '../train/types';
import { BullMQExecutor } from './bullmq';
import { writePreparedData } from './data-files';
import { InProcessExecutor } from './in-process';
import { ProcessPoolExecutor } from './process-pool';
import type { TrainingSpec, TrialExecutor, TrialSpec } from './types';

/**
 * How the task classes run trials (option `executor`): in this process (default), in a pool of
 * child processes on this machine, on BullMQ workers through Redis, or any {@link TrialExecutor}.
 * Every choice but `'in-process'` needs a search `directory` (shared storage for the workers).
 *
 * @example
 * ```ts
 * new ImageClassifier({ directory: './ak-run', executor: { type: 'process-pool', workers: 2 } });
 * new ImageClassifier({ directory: '/shared/ak', executor: { type: 'bullmq', redis: 'redis://127.0.0.1:6379', queue: 'ak', workers: 4 } });
 * ```
 */
export type ExecutorOption =
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
  const expected = "'in-process', { type: 'process-pool', workers? }, { type: 'bullmq', redis, queue, workers? } or a TrialExecutor";
  if (value === 'in-process') return;
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
 * The executor of an option; `owned` is false for a user's instance (the user closes it).
 *
 * @example
 * ```ts
 * const { executor, owned } = createExecutor({ type: 'process-pool', workers: 2 });
 * ```
 */
export function createExecutor(option: ExecutorOption): { executor: TrialExecutor; owned: boolean } {
  if (option === 'in-process') return { executor: new InProcessExecutor(), owned: true };
  if ('run' in option) return { executor: option, owned: false };
  if (option.type === 'process-pool') return { executor: new ProcessPoolExecutor({ workers: option.workers ?? 2 }), owned: true };
  return { executor: new BullMQExecutor({ redis: option.redis, queue: option.queue, capacity: option.workers ?? 1 }), owned: true };
}

/** What the search loop needs to run trials through an executor (see `runParallelSearchLoop`). */
export interface ParallelSession {
  executor: TrialExecutor;
  directory: string;
  toSpec: (trialId: number, proposal: Proposal, deadline: number) => TrialSpec;
  /** Closes the executor when the session created it. */
  close(): Promise<void>;
}

/**
 * Prepares a search for an executor: writes the prepared data into the search directory once, creates
 * the executor and returns the spec factory (trial seed `seed + trialId`, as in-process trials).
 *
 * @example
 * ```ts
 * const parallel = await openParallel({ type: 'process-pool', workers: 2 }, dir, data, train, trialSeed);
 * ```
 */
export async function openParallel(option: ExecutorOption, dir: SearchDirectory | null, data: TrainData, train: TrainingSpec, seed: number): Promise<ParallelSession> {
  if (!dir) throw new ArgumentError(`Received an invalid value for \`executor\`, expected 'in-process' when no \`directory\` is given: workers read data and weights from the search directory. Received: executor=${JSON.stringify(typeof option === 'string' || !('run' in option) ? option : 'TrialExecutor')}`);
  const directory = dir.root;
  const dataRef = await writePreparedData(directory, data);
  const searchId = String(Date.parse((await dir.readMeta()).createdAt));
  const backend = currentBackend() ?? undefined;
  const { executor, owned } = createExecutor(option);
  return {
    executor, directory,
    toSpec: (trialId, p, deadline) => ({
      trialId, key: `${searchId}-${trialId}`, directory, graph: graphToJSON(p.graph, false), parentId: p.parentId,
      parent: p.parentId === null ? null : { directory, trialId: p.parentId }, ops: p.ops, train, seed: seed + trialId, deadline, data: dataRef,
      ...(backend ? { backend } : {}),
    }),
    close: async () => { if (owned) await executor.close(); },
  };
}
