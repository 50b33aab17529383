import EventEmitter from 'eventemitter3';
import { SearchError } from '../../src/errors';
import type { Graph } from '../../src/graph';
import { runSearchLoop } from '../../src/execute/search-loop';
import { MemoryBudget } from '../../src/execute/memory-budget';
import { estimateMemoryBytes } from '../../src/train/memory';
import type { SearchLoopOptions } from '../../src/execute/search-loop';
import { bestTrial, isBetter, noTimeForTrial } from '../../src/search/search-loop';
import type { SearchEvents, TrialStore, TrialSummary } from '../../src/search/search-loop';
import type { TrialOutcome } from '../../src/search/trial';
import type { Proposal, ProposeContext, Searcher, TrialRecord } from '../../src/search/types';
import { smallMlp } from '../helpers/graphs';
import { fakeExecutor } from '../helpers/loop';
import type { FakeJob as TrialJob } from '../helpers/loop';

/** runSearchLoop with a capacity-1 executor running `runTrial` (the parent from the store). */
function loop(o: Omit<SearchLoopOptions, 'executor' | 'toSpec'> & { runTrial: (job: TrialJob) => Promise<TrialOutcome>; admit?: (g: Graph) => string | null }) {
  const { runTrial, admit, ...rest } = o;
  const executor = fakeExecutor(o.store, runTrial);
  return runSearchLoop({ ...rest, executor, toSpec: executor.toSpec, ...(admit ? { memory: { admit, outOfMemory: () => undefined } } : {}) });
}

/** Proposes the initial graph, then children of the last trial; records what it observed. */
class FakeSearcher implements Searcher {
  readonly name = 'fake';
  observed: TrialRecord[] = [];
  async propose(): Promise<Proposal> {
    const last = this.observed[this.observed.length - 1];
    return last ? { graph: last.graph, parentId: last.id, ops: [] } : { graph: smallMlp(), parentId: null, ops: [] };
  }
  observe(t: TrialRecord): void { this.observed.push(t); }
  state() { return null; }
  restore() {}
}

class MemoryStore implements TrialStore {
  trained = new Map<number, Graph>();
  saved: number[] = [];
  async trainedGraph(id: number): Promise<Graph> { return this.trained.get(id)!; }
  async saveTrial(s: TrialSummary, g: Graph | undefined): Promise<void> { this.saved.push(s.id); if (g) this.trained.set(s.id, g); }
}

const ok = (metric: number) => async (job: TrialJob): Promise<TrialOutcome> => ({ graph: job.graph, metric, epochs: 1, seconds: 0, status: 'ok' });

describe('runSearchLoop', () => {
  it('runs maxTrials trials, hands parents to the runner, saves before observing, emits events', async () => {
    const searcher = new FakeSearcher();
    const store = new MemoryStore();
    const events = new EventEmitter<SearchEvents>();
    const seen: string[] = [];
    events.on('trialStart', (e) => seen.push(`start${e.trialId}`));
    events.on('trialEnd', (e) => seen.push(`end${e.id}`));
    events.on('newBest', (e) => seen.push(`best${e.id}`));
    events.on('searchEnd', (e) => seen.push(`done:${e.reason}:${e.best?.id}`));
    const metrics = [0.5, 0.7, 0.6];
    const parents: Array<number | null> = [];
    const runTrial = async (job: TrialJob) => { parents.push(job.parentId); expect(job.parent !== null).toBe(job.parentId !== null); return ok(metrics[job.trialId]!)(job); };
    const history = await loop({ searcher, runTrial, store, direction: 'max', deadline: Date.now() + 60_000, maxTrials: 3, events });
    expect(history.map((t) => t.id)).toEqual([0, 1, 2]);
    expect(parents).toEqual([null, 0, 1]);
    expect(store.saved).toEqual([0, 1, 2]);
    expect(searcher.observed.map((t) => t.metric)).toEqual(metrics);
    expect(seen).toEqual(['start0', 'end0', 'best0', 'start1', 'end1', 'best1', 'start2', 'end2', 'done:maxTrials:1']);
  });

  it('records a throwing or rejected trial as failed and goes on; continues numbering after a resumed history', async () => {
    const searcher = new FakeSearcher();
    const store = new MemoryStore();
    let calls = 0;
    const runTrial = async (job: TrialJob): Promise<TrialOutcome> => {
      if (calls++ === 0) throw new Error('out of memory');
      return ok(0.9)(job);
    };
    const old: TrialSummary = { id: 4, graph: smallMlp(), metric: 0.1, parentId: null, ops: [], status: 'ok', epochs: 1, seconds: 1, proposeSeconds: 0 };
    let admitted = 0;
    const history = await loop({
      searcher, runTrial, store, direction: 'max', deadline: Date.now() + 60_000, maxTrials: 4, history: [old],
      admit: () => (admitted++ === 1 ? 'over the memory budget' : null),
    });
    expect(history.map((t) => [t.id, t.status, t.error ?? ''])).toEqual([
      [4, 'ok', ''], [5, 'failed', 'out of memory'], [6, 'failed', 'over the memory budget'], [7, 'ok', ''],
    ]);
    expect(Number.isNaN(history[1]!.metric)).toBe(true);
    expect(bestTrial(history, 'max')!.id).toBe(7);
  });

  it('applies the memory rule (paper 4.4) to whatever the executor reports: after an out-of-memory failure, nothing that size is tried again', async () => {
    const memory = new MemoryBudget(2 ** 40, 8);
    let calls = 0;
    const runTrial = async (job: TrialJob): Promise<TrialOutcome> => (calls++ === 0
      ? { metric: NaN, epochs: 0, seconds: 0, status: 'failed', error: 'Out of memory at batch size 4', outOfMemory: true }
      : ok(0.9)(job));
    const executor = fakeExecutor(new MemoryStore(), runTrial);
    const events = new EventEmitter<SearchEvents>();
    const history: TrialSummary[] = [];
    events.on('trialEnd', (t) => history.push(t));
    await expect(runSearchLoop({ searcher: new FakeSearcher(), executor, toSpec: executor.toSpec, store: new MemoryStore(), direction: 'max', deadline: Date.now() + 60_000, maxTrials: 3, memory, events }))
      .rejects.toThrow(SearchError); // no trial succeeded
    expect(memory.budget).toBe(estimateMemoryBytes(smallMlp(), 8) - 1);
    expect(history.map((t) => t.status)).toEqual(['failed', 'failed', 'failed']);
    expect(history[0]!.outOfMemory).toBe(true);
    expect(history.slice(1).every((t) => /exceeds the budget/.test(t.error!))).toBe(true);
    expect(calls).toBe(1);
  });

  it('starts no trial in the tail of the budget once one succeeded (5% of a 2 s search: 100 ms), but does before', async () => {
    const untilTail = (status: 'ok' | 'failed', deadline: number) => async (job: TrialJob): Promise<TrialOutcome> => {
      await new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now() - 60))); // 60 ms left: in the tail, time for a retry
      return status === 'ok' ? ok(0.5)(job) : { graph: job.graph, metric: NaN, epochs: 0, seconds: 0, status: 'failed', error: 'NaN loss' };
    };
    let deadline = Date.now() + 2000;
    const done = await loop({ searcher: new FakeSearcher(), runTrial: untilTail('ok', deadline), store: new MemoryStore(), direction: 'max', deadline, maxTrials: 10 });
    expect(done.length).toBe(1);
    deadline = Date.now() + 2000;
    let calls = 0;
    const failedFirst = async (job: TrialJob) => (calls++ === 0 ? untilTail('failed', deadline)(job) : ok(0.5)(job));
    const retried = await loop({ searcher: new FakeSearcher(), runTrial: failedFirst, store: new MemoryStore(), direction: 'max', deadline, maxTrials: 2 });
    expect(retried.map((t) => t.status)).toEqual(['failed', 'ok']);
  });

  it('noTimeForTrial: the tail is min(minTrialTime, 5% of the run) after a success, nothing before', () => {
    const t0 = 1_000_000;
    expect(noTimeForTrial(t0, t0 + 1_200_000, true, t0 + 1_179_000)).toBe(false); // 21 s left, tail 20 s
    expect(noTimeForTrial(t0, t0 + 1_200_000, true, t0 + 1_181_000)).toBe(true);
    expect(noTimeForTrial(t0, t0 + 1_200_000, false, t0 + 1_199_000)).toBe(false);
    expect(noTimeForTrial(t0, t0 + 1_200_000, false, t0 + 1_200_000)).toBe(true);
    expect(noTimeForTrial(t0, t0 + 100_000, true, t0 + 94_000)).toBe(false); // 6 s left, tail 5 s
    expect(noTimeForTrial(t0, t0 + 100_000, true, t0 + 96_000)).toBe(true);
  });

  it('stops at the deadline and throws SearchError when no trial succeeded', async () => {
    const runTrial = async (job: TrialJob): Promise<TrialOutcome> => {
      await new Promise((r) => setTimeout(r, 30));
      return { graph: job.graph, metric: NaN, epochs: 0, seconds: 0, status: 'failed', error: 'NaN loss' };
    };
    const t0 = Date.now();
    await expect(loop({ searcher: new FakeSearcher(), runTrial, store: new MemoryStore(), direction: 'min', deadline: t0 + 200, maxTrials: 1000 }))
      .rejects.toThrow(SearchError);
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('tells the searcher the pending proposals and the budget: total (resumed seconds included), remaining, per-trial cap', async () => {
    const contexts: ProposeContext[] = [];
    const searcher = new FakeSearcher();
    const propose = searcher.propose.bind(searcher);
    searcher.propose = async (context?: ProposeContext) => { contexts.push(context!); return propose(); };
    const old: TrialSummary = { id: 0, graph: smallMlp(), metric: 0.1, parentId: null, ops: [], status: 'ok', epochs: 1, seconds: 30, proposeSeconds: 0 };
    await loop({ searcher, runTrial: ok(0.5), store: new MemoryStore(), direction: 'max', deadline: Date.now() + 60_000, maxTrials: 3, history: [old], trialSeconds: 12 });
    expect(contexts).toHaveLength(2);
    for (const c of contexts) {
      expect(c.pending).toEqual([]);
      expect(c.budget!.totalSeconds).toBeGreaterThan(89);
      expect(c.budget!.totalSeconds).toBeLessThanOrEqual(90);
      expect(c.budget!.remainingSeconds).toBeGreaterThan(55);
      expect(c.budget!.trialSeconds).toBe(12);
    }
  });

  it('compares metrics by direction, NaN never better', () => {
    expect(isBetter(0.2, 0.1, 'max')).toBe(true);
    expect(isBetter(0.2, 0.1, 'min')).toBe(false);
    expect(isBetter(NaN, 0.1, 'max')).toBe(false);
    expect(isBetter(0.1, NaN, 'min')).toBe(true);
  });

  it('breaks a tie on the metric by the lower validation loss; the best trial and newBest agree', async () => {
    const g = smallMlp();
    const trial = (id: number, metric: number, valLoss?: number): TrialRecord => ({ id, graph: g, metric, parentId: null, ops: [], status: 'ok', ...(valLoss !== undefined ? { valLoss } : {}) });
    expect(bestTrial([trial(0, 1, 0.4), trial(1, 1, 0.1), trial(2, 0.9, 0.01)], 'max')!.id).toBe(1);
    expect(bestTrial([trial(0, 1), trial(1, 1, 0.1)], 'max')!.id).toBe(0); // without both losses the first stays
    expect(bestTrial([trial(0, 0.5, 0.4), trial(1, 0.5, 0.2), trial(2, 0.4, 0.9)], 'min')!.id).toBe(2);
  });
});
