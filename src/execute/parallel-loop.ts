import { SearchError } from '../errors';
import { ArchitectureSet } from '../kernel/architecture-set';
import type { SearchLoopOptions, TrialOutcome, TrialSummary } from '../search/search-loop';
import { bestTrial, finiteOrFailed, isBetter, noTimeForTrial, searchBudget } from '../search/search-loop';
import type { Proposal } from '../search/types';
import { removeOutcome, writeSpec } from './outcome-files';
import { recoverDispatched, summarize } from './recover';
import type { TrialExecutor, TrialSpec } from './types';

/** Options of {@link runParallelSearchLoop}: those of `runSearchLoop`, with an executor instead of `runTrial`. */
export interface ParallelLoopOptions extends Omit<SearchLoopOptions, 'runTrial'> {
  executor: TrialExecutor;
  /** The spec of trial `trialId` for `proposal` (training options, data and parent references). */
  toSpec: (trialId: number, proposal: Proposal, deadline: number) => TrialSpec;
  /**
   * The search directory, when trials cross process boundaries: each spec is written to its outcome
   * folder before it is run, and a resumed search first records trials that finished while the chief
   * was down and runs again those that did not.
   */
  directory?: string;
}

/** A trial handed to the executor and not recorded yet. */
export interface InFlight {
  trialId: number;
  proposal: Proposal;
  proposeSeconds: number;
  done: Promise<{ trialId: number; outcome: TrialOutcome }>;
}

/**
 * The Auto-Keras loop with up to `executor.capacity` trials in flight (docs/architecture.md, "Scale
 * beyond one machine"). The chief (this loop) alone proposes, records and observes: it proposes while slots are
 * free, telling the searcher the pending proposals (`propose({ pending })`) so that none is proposed
 * twice, and records each trial as it finishes (the history is in completion order). A proposal that
 * duplicates a pending architecture (a searcher's last-resort default) is not run: the loop waits for
 * a trial to finish and proposes again. With capacity 1 it behaves as `runSearchLoop`.
 *
 * @example
 * ```ts
 * const executor = new ProcessPoolExecutor({ workers: 2 });
 * const history = await runParallelSearchLoop({ searcher, store: dir, executor, toSpec, direction: 'max',
 *   deadline: Date.now() + 600_000, maxTrials: 20, directory: dir.root });
 * ```
 */
export async function runParallelSearchLoop(options: ParallelLoopOptions): Promise<TrialSummary[]> {
  const { searcher, executor, direction, deadline, maxTrials, events } = options;
  const history = (options.history ?? []).slice();
  const started = Date.now();
  const resumed = history.slice();
  const pending = new Map<number, InFlight>();
  const state = { best: bestTrial(history, direction), nextId: 0 };
  const record = async (summary: TrialSummary & { trained?: TrialOutcome['graph'] }): Promise<void> => {
    const { trained, ...raw } = summary;
    const rec = finiteOrFailed(raw);
    history.push(rec);
    await options.store.saveTrial(rec, trained, searcher);
    searcher.observe(rec);
    if (options.directory) await removeOutcome(options.directory, rec.id);
    events?.emit('trialEnd', rec);
    if (rec.status === 'ok' && (state.best === null || isBetter(rec.metric, state.best.metric, direction))) {
      state.best = rec;
      events?.emit('newBest', rec);
    }
  };
  const dispatch = async (trialId: number, proposal: Proposal, proposeSeconds: number, spec?: TrialSpec): Promise<void> => {
    const s = spec ?? options.toSpec(trialId, proposal, deadline);
    if (options.directory) await writeSpec(s);
    events?.emit('trialStart', { trialId, parentId: proposal.parentId, ops: proposal.ops, params: proposal.graph.paramCount() });
    const done = executor.run(s).catch((e: unknown): TrialOutcome => ({ metric: NaN, epochs: 0, seconds: 0, status: 'failed', error: (e as Error).message }))
      .then((outcome) => ({ trialId, outcome }));
    pending.set(trialId, { trialId, proposal, proposeSeconds, done });
  };
  if (options.directory) {
    const rerun = await recoverDispatched(options.directory, history, record, deadline);
    for (const r of rerun) await dispatch(r.spec.trialId, r.proposal, 0, r.spec);
  }
  state.nextId = Math.max(-1, ...history.map((t) => t.id), ...pending.keys()) + 1;
  for (;;) {
    while (pending.size < executor.capacity && !noTimeForTrial(started, deadline, state.best !== null) && history.length + pending.size < maxTrials) {
      const t0 = Date.now();
      const budget = searchBudget(started, deadline, resumed, options.trialSeconds);
      const proposal = await searcher.propose({ pending: [...pending.values()].map((p) => p.proposal), budget });
      const proposeSeconds = (Date.now() - t0) / 1000;
      if (noTimeForTrial(started, deadline, state.best !== null)) break;
      if (pending.size > 0 && isDuplicate([...pending.values()].map((q) => q.proposal), proposal)) break;
      const trialId = state.nextId++;
      const rejected = options.admit?.(proposal.graph) ?? null;
      if (rejected) await record(summarize(trialId, proposal, proposeSeconds, { metric: NaN, epochs: 0, seconds: 0, status: 'failed', error: rejected }));
      else await dispatch(trialId, proposal, proposeSeconds);
    }
    if (pending.size === 0) break;
    const { trialId, outcome } = await Promise.race([...pending.values()].map((p) => p.done));
    const p = pending.get(trialId)!;
    pending.delete(trialId);
    await record(summarize(trialId, p.proposal, p.proposeSeconds, outcome));
  }
  const reason = history.length >= maxTrials ? 'maxTrials' : 'time';
  // The loop waits for every proposal (trials keep training meanwhile): wait time equals propose time.
  const proposeSeconds = history.reduce((sum, t) => sum + t.proposeSeconds, 0);
  events?.emit('searchEnd', { trials: history.length, best: state.best, seconds: (Date.now() - started) / 1000, reason, proposeSeconds, proposeWaitSeconds: proposeSeconds });
  if (!state.best) throw new SearchError(`No trial finished successfully before the search ended (${history.length} trials ran). Raise timeLimit or check the data; failures: ${history.map((t) => t.error).filter(Boolean).slice(0, 3).join('; ') || 'none recorded'}`);
  return history;
}

function isDuplicate(pending: Proposal[], p: Proposal): boolean {
  const seen = new ArchitectureSet();
  for (const q of pending) seen.add(q.graph);
  return seen.has(p.graph);
}
