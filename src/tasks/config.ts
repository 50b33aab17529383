import { availableCores } from '../execute/process-pool';
import type { ExecutorOption } from '../execute/facade';
import type { TrainingSpec } from '../execute/types';
import { DEFAULTS } from '../options';
import type { JsonValue } from '../search/types';
import type { ResolvedOptions } from './options';
import type { ResolvedMetric } from '../train/metrics';
import type { SearchSpec } from './task-spec';

/**
 * Everything one `fit` runs with, resolved once from `DEFAULTS`, the estimator's options, the fit's
 * time limit and the data, and passed down to the session, the loop and the executors (nothing below
 * `fit` reads a default of its own).
 *
 * @example
 * ```ts
 * const config = resolveFitConfig(clf.options, spec, 600, { inMemory: true });
 * config.trialSeconds; // 120: 20% of the time limit
 * ```
 */
export interface FitConfig {
  /** The estimator's options, defaults filled in. */
  options: ResolvedOptions;
  /** Seconds of the whole search. */
  timeLimit: number;
  /** Seed of every random choice. */
  seed: number;
  /** Most seconds one trial may train (`trialTimeLimit`, or a share of the time limit). */
  trialSeconds: number;
  /**
   * Most seconds the first trial (the first initial architecture) may train: `trialTimeLimit`, or
   * `DEFAULTS.search.firstTrialShare` of the time limit (at least `trialSeconds`).
   */
  firstTrialSeconds: number;
  /** Seconds one proposal may take (`DEFAULTS.search.proposeTime`), given to the searcher as `proposeTimeLimit`. */
  proposeTimeLimit: number;
  /** The searcher's options: `proposeTimeLimit` and the user's `searcherOptions`. */
  searcherOptions: Record<string, JsonValue>;
  /** Memory budget of one candidate in bytes. */
  memoryBudget: number;
  /** How every trial trains (the same for every executor). */
  train: TrainingSpec;
  /** Where trials run: never `'auto'` here. */
  executor: Exclude<ExecutorOption, 'auto'>;
  /** Whether the search needs a search directory for its executor's workers (a temporary one when the user gave none). */
  needsDirectory: boolean;
  /** The objective, then the other metrics (functions included: the in-process executor takes them as they are). */
  metrics: ResolvedMetric[];
}

/**
 * What `executor: 'auto'` (the default) runs on: a process pool of `DEFAULTS.execute.poolWorkers`
 * workers (one per core, `os.availableParallelism()`; docs/architecture.md) when there is more than one
 * core and the data are in memory; in-process otherwise (one core, or a `tf.data.Dataset`, which
 * workers cannot read).
 *
 * @example
 * ```ts
 * defaultExecutor(true, 2);  // { type: 'process-pool', workers: 2 }
 * defaultExecutor(false, 8); // 'in-process'
 * ```
 */
export function defaultExecutor(inMemory: boolean, cores: number = availableCores()): Exclude<ExecutorOption, 'auto'> {
  const w = DEFAULTS.execute.poolWorkers;
  return inMemory && cores > 1 ? { type: 'process-pool', workers: w === 'cores' ? cores : w } : 'in-process';
}

/**
 * The {@link FitConfig} of one fit.
 *
 * @example
 * ```ts
 * const config = resolveFitConfig(resolveOptions({ seed: 1 }), spec, 60, { inMemory: true });
 * ```
 */
export function resolveFitConfig(options: ResolvedOptions, spec: SearchSpec, timeLimit: number, data: { inMemory: boolean; cores?: number }): FitConfig {
  const s = DEFAULTS.search;
  const trialSeconds = options.trialTimeLimit ?? Math.max(s.minTrialTime, timeLimit * s.trialTimeFraction);
  const firstTrialSeconds = options.trialTimeLimit ?? Math.max(trialSeconds, timeLimit * s.firstTrialShare);
  const proposeTimeLimit = Math.min(s.proposeTime.max, Math.max(s.proposeTime.min, timeLimit * s.proposeTime.share));
  // A CustomMetric is a function: it cannot reach a worker process, so 'auto' trains in this process.
  const custom = spec.metrics.some((m) => m.custom);
  const executor = options.executor === 'auto' ? (custom ? 'in-process' : defaultExecutor(data.inMemory, data.cores)) : options.executor;
  return {
    options, timeLimit, seed: options.seed, trialSeconds, firstTrialSeconds, proposeTimeLimit, memoryBudget: options.memoryBudget,
    searcherOptions: { proposeTimeLimit, ...options.searcherOptions },
    train: {
      task: spec.task, epochs: options.epochsPerTrial, patience: options.patience, batchSize: options.batchSize, optimizer: options.optimizer,
      augment: options.augment, lrSchedule: options.lrSchedule, maxSeconds: trialSeconds,
      ...(spec.chosen ? { metrics: spec.metrics.map((m) => m.name), monitor: spec.monitorObjective ? 'objective' as const : 'loss' as const } : {}),
      ...(options.multiLabel ? { multiLabel: true } : {}),
    },
    executor, needsDirectory: executor !== 'in-process', metrics: spec.metrics,
  };
}
