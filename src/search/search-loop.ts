import type { Graph } from '../graph/graph';
import type { MorphOp } from '../morph/ops';
import type { EpochLog } from '../train/types';
import { DEFAULTS } from '../options';
import type { TrialResult } from './trial';
import type { MetricDirection, SearchBudget, Searcher, TrialRecord } from './types';

/** @deprecated The name of {@link TrialResult} before the trial shapes were one type; use TrialResult. */
export type TrialSummary = TrialResult;

/** Typed events of a search (eventemitter3). */
export interface SearchEvents {
  trialStart: (e: { trialId: number; parentId: number | null; ops: MorphOp[]; params: number }) => void;
  trialEnd: (e: TrialResult) => void;
  newBest: (e: TrialResult) => void;
  searchEnd: (e: { trials: number; best: TrialResult | null; seconds: number; reason: 'time' | 'maxTrials' | 'stopped'; proposeSeconds?: number; proposeWaitSeconds?: number }) => void;
  /** An epoch of trial `trialId` ended (from every executor; `trialId` -1 in `finalFit`). */
  epochEnd: (e: EpochLog & { trialId: number }) => void;
}

/** Where the loop keeps trials: trained weights for replay, and a record of every trial. */
export interface TrialStore {
  /** The trained graph of a past trial (with weights). */
  trainedGraph(trialId: number): Promise<Graph>;
  /** Called after each trial, before the searcher observes it. */
  saveTrial(result: TrialResult, trained: Graph | undefined, searcher: Searcher): Promise<void>;
}

/**
 * The budget a loop tells its searcher: this run's time from `started` to `deadline` plus the seconds
 * the trials of a resumed `history` trained, the seconds left, and the per-trial cap.
 */
export function searchBudget(started: number, deadline: number, history: readonly TrialResult[], trialSeconds?: number): SearchBudget {
  const before = history.reduce((sum, t) => sum + (t.seconds ?? 0), 0);
  return {
    totalSeconds: (deadline - started) / 1000 + before,
    remainingSeconds: Math.max(0, (deadline - Date.now()) / 1000),
    ...(trialSeconds !== undefined ? { trialSeconds } : {}),
  };
}

/** Whether metric `a` is better than `b` in this direction (NaN is never better). */
export function isBetter(a: number, b: number, direction: MetricDirection): boolean {
  if (Number.isNaN(a)) return false;
  if (Number.isNaN(b)) return true;
  return direction === 'max' ? a > b : a < b;
}

/**
 * Whether successful trial `a` beats `b`: a better metric, or the same metric and a lower validation
 * loss (on a small validation set many trials tie on accuracy, and the first of them is not the best;
 * Keras' default monitor is the loss). Without both losses a tie keeps `b`.
 *
 * @example
 * ```ts
 * beats({ metric: 1, valLoss: 0.1 }, { metric: 1, valLoss: 0.3 }, 'max'); // true
 * ```
 */
export function beats(a: Pick<TrialRecord, 'metric' | 'valLoss'>, b: Pick<TrialRecord, 'metric' | 'valLoss'>, direction: MetricDirection): boolean {
  if (isBetter(a.metric, b.metric, direction)) return true;
  return a.metric === b.metric && a.valLoss !== undefined && b.valLoss !== undefined && a.valLoss < b.valLoss;
}

/** The best successful trial of a history (see {@link beats}), or null. */
export function bestTrial<T extends TrialRecord>(history: readonly T[], direction: MetricDirection): T | null {
  let best: T | null = null;
  for (const t of history) if (t.status === 'ok' && (best === null || beats(t, best, direction))) best = t;
  return best;
}

/**
 * Whether a search loop should start no more trials: at the deadline, or, once a trial has succeeded
 * (`succeeded`), within the run's last min(`DEFAULTS.search.minTrialTime`, 5% of its time), where a trial
 * would train too briefly to say anything (bench:search's searches used to end with a trial of 1-2 s).
 * `started` and `deadline` are milliseconds since the epoch.
 *
 * @example
 * ```ts
 * noTimeForTrial(t0, t0 + 1_200_000, true, t0 + 1_185_000); // true: 15 s left, the tail is 20 s
 * ```
 */
export function noTimeForTrial(started: number, deadline: number, succeeded: boolean, now = Date.now()): boolean {
  const tail = succeeded ? Math.min(DEFAULTS.search.minTrialTime * 1000, 0.05 * (deadline - started)) : 0;
  return deadline - now <= tail;
}


/**
 * An outcome whose status is 'ok' but whose metric is not finite (a custom executor) is turned into a
 * failed one: a NaN metric is never recorded, saved or observed as a success.
 *
 * @example
 * ```ts
 * finiteOrFailed({ status: 'ok', metric: NaN, epochs: 1, seconds: 2 }).status; // 'failed'
 * ```
 */
export function finiteOrFailed<T extends { status: 'ok' | 'failed'; metric: number; error?: string }>(outcome: T): T {
  if (outcome.status !== 'ok' || Number.isFinite(outcome.metric)) return outcome;
  return { ...outcome, status: 'failed', error: `the trial reported status ok with a non-finite metric (${outcome.metric})` };
}
