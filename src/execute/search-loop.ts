import type EventEmitter from 'eventemitter3';
import { SearchError } from '../errors';
import type { Graph } from '../graph/graph';
import { ArchitectureSet } from '../kernel/architecture-set';
import { beats, bestTrial, finiteOrFailed, noTimeForTrial, searchBudget } from '../search/search-loop';
import type { SearchEvents, TrialStore } from '../search/search-loop';
import { trialResult } from '../search/trial';
import type { TrialOutcome, TrialResult } from '../search/trial';
import type { MetricDirection, Proposal, Searcher } from '../search/types';
import type { EpochLog } from '../train/types';
import { removeOutcome, writeSpec } from './outcome-files';
import { recoverDispatched } from './recover';
import type { TrialExecutor, TrialSpec } from './types';

/** Options of {@link runSearchLoop}. */
export interface SearchLoopOptions {
  searcher: Searcher;
  /** Runs the trials, up to its `capacity` at once (`InProcessExecutor` for one at a time in this process). */
  executor: TrialExecutor;
  /** The spec of trial `trialId` for `proposal` (training options, data and parent references). */
  toSpec: (trialId: number, proposal: Proposal, deadline: number) => TrialSpec;
  store: TrialStore;
  direction: MetricDirection;
  /** Milliseconds since the epoch when the search must end. */
  deadline: number;
  maxTrials: number;
  /** Trials already done (resume); numbering continues after them. */
  history?: TrialResult[];
  events?: EventEmitter<SearchEvents>;
  /**
   * The memory rule (paper section 4.4, `MemoryBudget`): a rejected candidate is recorded as failed
   * without running; a trial that failed out of memory lowers the budget.
   */
  memory?: { admit(graph: Graph): string | null; outOfMemory(graph: Graph): void };
  /**
   * Propose the next trial while the running ones fill every slot (paper section 4.3), telling the
   * searcher they are pending. It hides the proposal's time when the searcher computes elsewhere (a
   * ThreadedSearcher); the proposal then does not know the running trials' results.
   */
  prefetch?: boolean;
  /** The per-trial time cap in seconds, told to the searcher with the budget. */
  trialSeconds?: number;
  /**
   * The search directory, when trials cross process boundaries: each spec is written to its outcome
   * folder before it is run, and a resumed search first records trials that finished while the chief
   * was down and runs again those that did not.
   */
  directory?: string;
  /**
   * Stops the search when aborted: no trial is started after it, running trials are told to stop before
   * their next batch (through the executor, see {@link TrialListener.signal}) and are recorded with what
   * they trained (one stopped before its first epoch is not recorded); `searchEnd` then says
   * `reason: 'stopped'`. The history stays resumable.
   */
  signal?: AbortSignal;
}

/** A trial handed to the executor and not recorded yet. */
export interface InFlight {
  trialId: number;
  proposal: Proposal;
  timing: { proposeSeconds: number; proposeWaitSeconds: number };
  done: Promise<{ trialId: number; outcome: TrialOutcome }>;
}

interface Asked {
  proposal: Proposal;
  seconds: number;
  /** The proposals pending when it was asked for. */
  against: Proposal[];
}

/**
 * The Auto-Keras loop (paper section 3; docs/architecture.md, "Scale beyond one machine"), the one
 * loop of every executor: propose (GP update and acquisition inside the searcher), hand the trial to
 * the executor (which builds it by morphism from the trained parent and trains it), record and
 * observe; until the deadline or `maxTrials`; no trial starts in the budget's tail
 * (`noTimeForTrial`). The loop alone proposes, records and observes: it proposes while the executor
 * has free slots, telling the searcher the pending proposals so that none is proposed twice, and
 * records each trial as it finishes (the history is in completion order; with capacity 1, in trial
 * order). A proposal that duplicates an architecture pending when it was made (a searcher's
 * last-resort default) is not run: the loop proposes again once a trial is recorded. Events:
 * `trialStart`, `epochEnd` (as the executor reports them), `trialEnd`, `newBest`, `searchEnd`.
 * Returns every trial, old and new; throws SearchError only if no trial succeeded (also when `signal` stopped it).
 *
 * @example
 * ```ts
 * const history = await runSearchLoop({ searcher, executor: new InProcessExecutor({ data, trainedGraph: (id) => store.trainedGraph(id) }),
 *   toSpec, store, direction: 'max', deadline: Date.now() + 60_000, maxTrials: 20 });
 * ```
 */
export async function runSearchLoop(options: SearchLoopOptions): Promise<TrialResult[]> {
  const { searcher, executor, store, direction, deadline, maxTrials, events } = options;
  const history = (options.history ?? []).slice();
  const started = Date.now();
  const resumed = history.slice();
  const pending = new Map<number, InFlight>();
  const totals = { proposeSeconds: 0, proposeWaitSeconds: 0 };
  let best = bestTrial(history, direction);

  const finish = async (trialId: number, proposal: Proposal, reported: TrialOutcome, timing: InFlight['timing']): Promise<void> => {
    const outcome = finiteOrFailed(reported);
    if (outcome.status === 'failed' && outcome.outOfMemory) options.memory?.outOfMemory(proposal.graph);
    const result = trialResult(trialId, proposal, outcome, timing);
    history.push(result);
    await store.saveTrial(result, outcome.graph, searcher);
    searcher.observe(result);
    if (options.directory) await removeOutcome(options.directory, trialId);
    events?.emit('trialEnd', result);
    if (result.status === 'ok' && (best === null || beats(result, best, direction))) {
      best = result;
      events?.emit('newBest', result);
    }
  };
  const dispatch = async (trialId: number, proposal: Proposal, timing: InFlight['timing'], spec?: TrialSpec): Promise<void> => {
    const s = spec ?? options.toSpec(trialId, proposal, deadline);
    if (options.directory) await writeSpec(s);
    events?.emit('trialStart', { trialId, parentId: proposal.parentId, ops: proposal.ops, params: proposal.graph.paramCount() });
    const listener = { epochEnd: (log: EpochLog) => { events?.emit('epochEnd', { ...log, trialId }); }, ...(options.signal ? { signal: options.signal } : {}) };
    const done = Promise.resolve().then(() => executor.run(s, listener))
      .catch((e: unknown): TrialOutcome => ({ metric: NaN, epochs: 0, seconds: 0, status: 'failed', error: (e as Error)?.message ?? String(e) }))
      .then((outcome) => ({ trialId, outcome }));
    pending.set(trialId, { trialId, proposal, timing, done });
  };
  const ask = async (): Promise<Asked> => {
    const against = [...pending.values()].map((p) => p.proposal);
    const t0 = Date.now();
    const proposal = await searcher.propose({ pending: against, budget: searchBudget(started, deadline, resumed, options.trialSeconds) });
    return { proposal, seconds: (Date.now() - t0) / 1000, against };
  };

  if (options.directory) {
    const rerun = await recoverDispatched(options.directory, history, (id, p, o) => finish(id, p, o, { proposeSeconds: 0, proposeWaitSeconds: 0 }), deadline);
    for (const r of rerun) await dispatch(r.spec.trialId, r.proposal, { proposeSeconds: 0, proposeWaitSeconds: 0 }, r.spec);
  }
  let nextId = Math.max(-1, ...history.map((t) => t.id), ...pending.keys()) + 1;
  const stopped = () => options.signal?.aborted === true;
  const over = () => stopped() || noTimeForTrial(started, deadline, best !== null);
  const room = () => history.length + pending.size < maxTrials;
  let next: Promise<Asked> | null = null;
  for (;;) {
    let blocked = false;
    while (pending.size < executor.capacity && !over() && room()) {
      const w0 = Date.now();
      const asked = await (next ?? ask());
      next = null;
      const waited = (Date.now() - w0) / 1000;
      totals.proposeSeconds += asked.seconds;
      totals.proposeWaitSeconds += waited;
      if (over()) break;
      if (isDuplicate(asked.against, asked.proposal)) {
        // A last-resort default equal to a trial that was pending: propose again once one is recorded.
        if (pending.size > 0) { blocked = true; break; }
        continue;
      }
      const trialId = nextId++;
      const timing = { proposeSeconds: asked.seconds, proposeWaitSeconds: waited };
      const rejected = options.memory?.admit(asked.proposal.graph) ?? null;
      if (rejected) await finish(trialId, asked.proposal, { metric: NaN, epochs: 0, seconds: 0, status: 'failed', error: rejected }, timing);
      else await dispatch(trialId, asked.proposal, timing);
    }
    if (pending.size === 0) break;
    if (options.prefetch && next === null && !blocked && room() && !over()) next = ask();
    const { trialId, outcome } = await Promise.race([...pending.values()].map((p) => p.done));
    const p = pending.get(trialId)!;
    pending.delete(trialId);
    // A trial the stop cut before its first epoch trained nothing: not recorded, its files removed.
    if (stopped() && outcome.status === 'failed' && outcome.stoppedBy === 'aborted') {
      if (options.directory) await removeOutcome(options.directory, trialId);
      continue;
    }
    await finish(trialId, p.proposal, outcome, p.timing);
  }
  await next?.catch(() => undefined); // a prefetched proposal the search no longer needs
  const reason = stopped() ? 'stopped' : history.length >= maxTrials ? 'maxTrials' : 'time';
  events?.emit('searchEnd', { trials: history.length, best, seconds: (Date.now() - started) / 1000, reason, ...totals });
  if (!best && reason === 'stopped') throw new SearchError(`The search was stopped before any trial finished successfully (${history.length} trial(s) recorded); the search directory, if any, can be resumed`);
  if (!best) throw new SearchError(`No trial finished successfully before the search ended (${history.length} trials ran). Raise timeLimit or check the data; failures: ${history.map((t) => t.error).filter(Boolean).slice(0, 3).join('; ') || 'none recorded'}`);
  return history;
}

function isDuplicate(against: Proposal[], p: Proposal): boolean {
  if (against.length === 0) return false;
  const seen = new ArchitectureSet();
  for (const q of against) seen.add(q.graph);
  return seen.has(p.graph);
}
