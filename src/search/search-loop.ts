import EventEmitter from 'eventemitter3';
import { SearchError } from '../errors';
import { editDistance } from '../kernel/edit-distance';
import type { Graph } from '../graph/graph';
import type { MorphOp } from '../morph/ops';
import type { TrainResult } from '../train/types';
import { DEFAULTS } from '../options';
import type { MetricDirection, Proposal, SearchBudget, Searcher, TrialRecord } from './types';

/** One trial as the loop hands it to a runner: build `graph` (from `parent` + `ops`, or fresh), train it. */
export interface TrialJob {
  trialId: number;
  /** The architecture to train (structure). */
  graph: Graph;
  /** The trained parent graph (with weights) to replay `ops` on; null to train from fresh weights. */
  parent: Graph | null;
  parentId: number | null;
  ops: MorphOp[];
  /** Milliseconds since the epoch after which training must stop (checked per batch). */
  deadline: number;
}

/** What a runner returns for one trial. */
export interface TrialOutcome {
  /** The trained graph (weights of the best epoch); absent when the trial failed before training. */
  graph?: Graph;
  /** Best validation metric (NaN when failed). */
  metric: number;
  epochs: number;
  seconds: number;
  status: 'ok' | 'failed';
  error?: string;
  /** Training details recorded in the history when the runner knows them. */
  valLoss?: number;
  bestEpoch?: number;
  batchSize?: number;
  stoppedBy?: string;
  /** Mean seconds of one whole epoch, when at least one finished. */
  epochSeconds?: number;
}

/**
 * The {@link TrialOutcome} of a {@link trainGraph} result (what every runner reports), with the mean
 * seconds of a whole epoch read off the history (the end of the last uncut epoch over its number).
 *
 * @example
 * ```ts
 * const outcome = trialOutcome(await trainGraph(graph, data, { task: 'classification' }));
 * ```
 */
export function trialOutcome(r: TrainResult): TrialOutcome {
  const whole = r.history.filter((log) => !log.partial);
  const last = whole[whole.length - 1];
  return {
    ...(r.status === 'ok' ? { graph: r.graph } : {}), metric: r.metric, epochs: r.epochs, seconds: r.seconds, status: r.status,
    ...(r.error ? { error: r.error } : {}), valLoss: r.valLoss, bestEpoch: r.bestEpoch, batchSize: r.batchSize, stoppedBy: r.stoppedBy,
    ...(last && last.seconds > 0 ? { epochSeconds: last.seconds / last.epoch } : {}),
  };
}

/** A finished trial with its timing, as the loop records it. */
export interface TrialSummary extends TrialRecord, Pick<TrialOutcome, 'valLoss' | 'bestEpoch' | 'batchSize' | 'stoppedBy'> {
  epochs: number;
  seconds: number;
  error?: string;
  /** Seconds the searcher took to propose this trial. */
  proposeSeconds: number;
  /** Seconds the loop waited for this proposal (less than `proposeSeconds` when it was prefetched during training). */
  proposeWaitSeconds?: number;
}

/** Typed events of a search (eventemitter3). */
export interface SearchEvents {
  trialStart: (e: { trialId: number; parentId: number | null; ops: MorphOp[]; params: number }) => void;
  trialEnd: (e: TrialSummary) => void;
  newBest: (e: TrialSummary) => void;
  searchEnd: (e: { trials: number; best: TrialSummary | null; seconds: number; reason: 'time' | 'maxTrials'; proposeSeconds?: number; proposeWaitSeconds?: number }) => void;
}

/** Where the loop keeps trials: trained weights for replay, and a record of every trial. */
export interface TrialStore {
  /** The trained graph of a past trial (with weights). */
  trainedGraph(trialId: number): Promise<Graph>;
  /** Called after each trial, before the searcher observes it. */
  saveTrial(summary: TrialSummary, trained: Graph | undefined, searcher: Searcher): Promise<void>;
}

/** Options of {@link runSearchLoop}. */
export interface SearchLoopOptions {
  searcher: Searcher;
  runTrial: (job: TrialJob) => Promise<TrialOutcome>;
  store: TrialStore;
  direction: MetricDirection;
  /** Milliseconds since the epoch when the search must end. */
  deadline: number;
  maxTrials: number;
  /** Trials already done (resume); numbering continues after them. */
  history?: TrialSummary[];
  events?: EventEmitter<SearchEvents>;
  /** Whether a candidate may be trained (memory budget); a rejected one is recorded as failed. */
  admit?: (graph: Graph) => string | null;
  /**
   * Propose trial k+1 while trial k trains (paper section 4.3), telling the searcher that trial k is
   * pending. It hides the proposal's time when the searcher computes elsewhere (a ThreadedSearcher); the
   * proposal then does not know trial k's result.
   */
  prefetch?: boolean;
  /** The per-trial time cap in seconds, told to the searcher with the budget ({@link SearchBudget}). */
  trialSeconds?: number;
}

/**
 * The budget a loop tells its searcher: this run's time from `started` to `deadline` plus the seconds
 * the trials of a resumed `history` trained, the seconds left, and the per-trial cap.
 */
export function searchBudget(started: number, deadline: number, history: readonly TrialSummary[], trialSeconds?: number): SearchBudget {
  const before = history.reduce((sum, t) => sum + (t.seconds ?? 0), 0);
  return {
    totalSeconds: (deadline - started) / 1000 + before,
    remainingSeconds: Math.max(0, (deadline - Date.now()) / 1000),
    ...(trialSeconds !== undefined ? { trialSeconds } : {}),
  };
}

function sameArchitecture(a: Graph, b: Graph): boolean {
  return editDistance(a, b) < DEFAULTS.annealing.duplicateDistance;
}

/** Whether metric `a` is better than `b` in this direction (NaN is never better). */
export function isBetter(a: number, b: number, direction: MetricDirection): boolean {
  if (Number.isNaN(a)) return false;
  if (Number.isNaN(b)) return true;
  return direction === 'max' ? a > b : a < b;
}

/** The best successful trial of a history, or null. */
export function bestTrial<T extends TrialRecord>(history: readonly T[], direction: MetricDirection): T | null {
  let best: T | null = null;
  for (const t of history) if (t.status === 'ok' && (best === null || isBetter(t.metric, best.metric, direction))) best = t;
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
 * The Auto-Keras loop (paper section 3): propose (GP update + acquisition optimisation inside the
 * searcher) -> build by morphism from the trained parent -> train -> observe; until the deadline or
 * `maxTrials`; no trial starts in the budget's tail ({@link noTimeForTrial}). Returns every trial, old
 * and new. Throws SearchError only if no trial succeeded.
 *
 * @example
 * ```ts
 * const history = await runSearchLoop({ searcher, runTrial, store, direction: 'max',
 *   deadline: Date.now() + 60_000, maxTrials: 20 });
 * ```
 */
export async function runSearchLoop(options: SearchLoopOptions): Promise<TrialSummary[]> {
  const { searcher, store, direction, deadline, maxTrials, events } = options;
  const history = (options.history ?? []).slice();
  const started = Date.now();
  const resumed = history.slice();
  let best = bestTrial(history, direction);
  let reason: 'time' | 'maxTrials' = 'time';
  const timed = async (pending: Proposal[]) => {
    const t0 = Date.now();
    const proposal = await searcher.propose({ pending, budget: searchBudget(started, deadline, resumed, options.trialSeconds) });
    return { proposal, seconds: (Date.now() - t0) / 1000 };
  };
  let next: ReturnType<typeof timed> | null = null;
  const totals = { proposeSeconds: 0, proposeWaitSeconds: 0 };
  const over = () => noTimeForTrial(started, deadline, best !== null);
  while (!over()) {
    if (history.length >= maxTrials) { reason = 'maxTrials'; break; }
    const w0 = Date.now();
    let { proposal, seconds } = await (next ?? timed([]));
    // A prefetched proposal may repeat the trial that was pending (a searcher's last-resort default
    // before any result): now that the trial is observed, propose again.
    if (next && history.length > 0 && sameArchitecture(proposal.graph, history[history.length - 1]!.graph)) ({ proposal, seconds } = await timed([]));
    next = null;
    const waited = (Date.now() - w0) / 1000;
    totals.proposeSeconds += seconds;
    totals.proposeWaitSeconds += waited;
    if (over()) break;
    const running = runOne(options, history.length === 0 ? 0 : history[history.length - 1]!.id + 1, proposal, seconds, waited);
    if (options.prefetch && history.length + 1 < maxTrials) next = timed([proposal]);
    const { trained, ...record } = await running;
    history.push(record);
    await store.saveTrial(record, trained, searcher);
    searcher.observe(record);
    events?.emit('trialEnd', record);
    if (record.status === 'ok' && (best === null || isBetter(record.metric, best.metric, direction))) {
      best = record;
      events?.emit('newBest', record);
    }
  }
  await next?.catch(() => undefined); // a prefetched proposal the search no longer needs
  events?.emit('searchEnd', { trials: history.length, best, seconds: (Date.now() - started) / 1000, reason, ...totals });
  if (!best) throw new SearchError(`No trial finished successfully before the search ended (${history.length} trials ran). Raise timeLimit or check the data; failures: ${history.map((t) => t.error).filter(Boolean).slice(0, 3).join('; ') || 'none recorded'}`);
  return history;
}

async function runOne(options: SearchLoopOptions, trialId: number, p: Proposal, proposeSeconds: number, proposeWaitSeconds: number): Promise<TrialSummary & { trained?: Graph }> {
  const { store, deadline, events } = options;
  const base = { id: trialId, graph: p.graph.clone(false), parentId: p.parentId, ops: p.ops, proposeSeconds, proposeWaitSeconds };
  const rejected = options.admit?.(p.graph) ?? null;
  if (rejected) return { ...base, metric: NaN, status: 'failed', epochs: 0, seconds: 0, error: rejected };
  events?.emit('trialStart', { trialId, parentId: p.parentId, ops: p.ops, params: p.graph.paramCount() });
  const parent = p.parentId === null ? null : await store.trainedGraph(p.parentId);
  let outcome: TrialOutcome;
  try {
    outcome = await options.runTrial({ trialId, graph: p.graph, parent, parentId: p.parentId, ops: p.ops, deadline });
  } catch (e) {
    outcome = { metric: NaN, epochs: 0, seconds: 0, status: 'failed', error: (e as Error).message };
  }
  outcome = finiteOrFailed(outcome);
  return {
    ...base,
    graph: (outcome.graph ?? p.graph).clone(false),
    metric: outcome.status === 'ok' ? outcome.metric : NaN,
    status: outcome.status,
    epochs: outcome.epochs,
    seconds: outcome.seconds,
    ...(outcome.error ? { error: outcome.error } : {}),
    ...details(outcome),
    trained: outcome.graph,
  };
}

/**
 * An outcome whose status is 'ok' but whose metric is not finite (a custom runTrial or executor) is
 * turned into a failed one: a NaN metric is never recorded, saved or observed as a success.
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

/** The optional training details of an outcome that a {@link TrialSummary} records (those present). */
export function details(o: TrialOutcome): Pick<TrialSummary, 'valLoss' | 'bestEpoch' | 'batchSize' | 'stoppedBy' | 'epochSeconds'> {
  const out: Pick<TrialSummary, 'valLoss' | 'bestEpoch' | 'batchSize' | 'stoppedBy' | 'epochSeconds'> = {};
  if (o.valLoss !== undefined) out.valLoss = o.valLoss;
  if (o.bestEpoch !== undefined) out.bestEpoch = o.bestEpoch;
  if (o.batchSize !== undefined) out.batchSize = o.batchSize;
  if (o.stoppedBy !== undefined) out.stoppedBy = o.stoppedBy;
  if (o.epochSeconds !== undefined) out.epochSeconds = o.epochSeconds;
  return out;
}
