import type { Graph } from '../graph/graph';
import type { MorphOp } from '../morph/ops';

/**
 * One trial of a search, as the search loop records it: the one trial type every other shape is
 * derived from ({@link TrialRecord} for searchers, {@link TrialOutcome} from executors,
 * {@link WorkerResult} across processes, the `history.json` line `TrialEntry`, the report's
 * `ReportTrial`). Every executor gives the same fields (docs/architecture.md, "Scale beyond one machine").
 *
 * @example
 * ```ts
 * clf.on('trialEnd', (t: TrialResult) => console.log(t.id, t.metric, t.epochs, t.stoppedBy));
 * ```
 */
export interface TrialResult {
  /** Trial number, from 0, unique within a search. */
  id: number;
  /** The trial's architecture (structure; weights may be absent: searchers use the structure only). */
  graph: Graph;
  /** The trial whose trained weights this one started from; null when built from scratch. */
  parentId: number | null;
  /** Operations replayed on the parent to build this trial's architecture. */
  ops: MorphOp[];
  /** Best validation metric of the trial: the search's objective (NaN when the trial failed). */
  metric: number;
  /** The kept epoch's validation value of every metric of the `objective` and `metrics` options, by name (when the search chose any). */
  metrics?: Record<string, number>;
  status: 'ok' | 'failed';
  /** Epochs trained (a cut last epoch counts). */
  epochs: number;
  /** Seconds the trial trained. */
  seconds: number;
  /** Why the trial failed. */
  error?: string;
  /** Validation loss of the best epoch. */
  valLoss?: number;
  /** The epoch whose weights were kept (1-based). */
  bestEpoch?: number;
  /** Batch size the trial trained with (after adaptation to small data or an out-of-memory retry). */
  batchSize?: number;
  /** Why training stopped (`'patience'`, `'epochs'`, `'deadline'`, `'failed'`, ...). */
  stoppedBy?: string;
  /** Mean seconds of one whole epoch (training and validation), when at least one finished. */
  epochSeconds?: number;
  /** Whether the trial failed for lack of memory after its retry at half the batch (paper section 4.4). */
  outOfMemory?: boolean;
  /** Seconds the searcher took to propose this trial. */
  proposeSeconds: number;
  /** Seconds the loop waited for this proposal (less than `proposeSeconds` when it was prefetched during training). */
  proposeWaitSeconds?: number;
}

/**
 * A finished (or failed) trial as the searcher sees it: a part of {@link TrialResult}.
 *
 * @example
 * ```ts
 * searcher.observe({ id: 0, graph, metric: 0.91, parentId: null, ops: [], status: 'ok', seconds: 12, epochSeconds: 3 });
 * ```
 */
export interface TrialRecord extends Pick<TrialResult, 'id' | 'graph' | 'metric' | 'parentId' | 'ops' | 'status'>, Partial<Pick<TrialResult, 'seconds' | 'epochSeconds' | 'valLoss'>> {}

/**
 * What running one trial gives (a `TrialExecutor`'s answer): the training part of a
 * {@link TrialResult}, with the trained graph (weights of the best epoch) when the trial succeeded.
 *
 * @example
 * ```ts
 * const outcome: TrialOutcome = { metric: NaN, epochs: 0, seconds: 0, status: 'failed', error: 'the worker crashed' };
 * ```
 */
export interface TrialOutcome extends Omit<TrialResult, 'id' | 'graph' | 'parentId' | 'ops' | 'proposeSeconds' | 'proposeWaitSeconds'> {
  /** The trained graph; absent when the trial failed before training. */
  graph?: Graph;
}

/**
 * What a worker sends back across a process or machine boundary: the {@link TrialOutcome}'s numbers;
 * the trained weights stay in the outcome files.
 *
 * @example
 * ```ts
 * const result: WorkerResult = { trialId: 3, metric: 0.9, epochs: 4, seconds: 20, status: 'ok', hasWeights: true };
 * ```
 */
export interface WorkerResult extends Omit<TrialOutcome, 'graph'> {
  trialId: number;
  /** Whether `outcomes/<trialId>/` holds trained weights. */
  hasWeights: boolean;
}

/**
 * The {@link TrialResult} of trial `id` built from `proposal` (its parent and ops) and what running it
 * gave; the result's graph is the trained structure (the proposal's when the trial never trained).
 * The one place an outcome becomes a history line, for every executor.
 *
 * @example
 * ```ts
 * const result = trialResult(3, proposal, outcome, { proposeSeconds: 0.2 });
 * ```
 */
export function trialResult(
  id: number,
  proposal: { graph: Graph; parentId: number | null; ops: MorphOp[] },
  outcome: TrialOutcome,
  timing: { proposeSeconds: number; proposeWaitSeconds?: number },
): TrialResult {
  const { graph, ...rest } = outcome;
  const out: TrialResult = {
    id, graph: (graph ?? proposal.graph).clone(false), parentId: proposal.parentId, ops: proposal.ops,
    ...definedOnly(rest), metric: outcome.status === 'ok' ? outcome.metric : NaN, status: outcome.status, epochs: outcome.epochs, seconds: outcome.seconds,
    proposeSeconds: timing.proposeSeconds, proposeWaitSeconds: timing.proposeWaitSeconds ?? timing.proposeSeconds,
  };
  return out;
}

/**
 * A copy of `o` without its undefined fields (so that results compare equal whichever path built them).
 *
 * @example
 * ```ts
 * definedOnly({ a: 1, b: undefined }); // { a: 1 }
 * ```
 */
export function definedOnly<T extends object>(o: T): T {
  const out = {} as T;
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
