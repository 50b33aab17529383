import { SearchError } from '../../src/errors';
import { graphToJSON } from '../../src/graph';
import { GraphMorpher, structureKey } from '../../src/morph';
import { runSearchLoop } from '../../src/execute';
import { createSearcher, ThreadedSearcher } from '../../src/search';
import type { TrialOutcome, TrialStore, TrialSummary } from '../../src/search';
import { fakeExecutor } from '../helpers/loop';
import type { FakeJob as TrialJob } from '../helpers/loop';
import type { Graph } from '../../src/graph';
import { Rng } from '../../src/util/rng';
import { baseCnn, randomArchitecture } from './fake-morph';

const initial = () => [baseCnn(), randomArchitecture(new Rng(99), 3)];
const spec = (seed: number) => ({ searcher: 'bayesian', initialGraphs: initial().map((g) => graphToJSON(g, false)), direction: 'max' as const, rng: new Rng(seed).state() });
/** A deterministic fake score: more layers score higher, with a dip for skip connections. */
const score = (g: Graph) => g.size / 100 - g.mergeCount() * 0.05;

class MemoryStore implements TrialStore {
  graphs = new Map<number, Graph>();
  async trainedGraph(id: number) { return this.graphs.get(id)!; }
  async saveTrial(s: TrialSummary, g?: Graph) { if (g) this.graphs.set(s.id, g); }
}

describe('ThreadedSearcher (paper 4.3: the search runs in a worker thread)', () => {
  it('proposes exactly what the same searcher proposes in-process, budget, trial seconds and epoch times included', async () => {
    const morpher = new GraphMorpher();
    const local = createSearcher('bayesian', { initialGraphs: initial(), neighbours: (g, r) => morpher.neighbours(g, r), direction: 'max', rng: new Rng(5) });
    const threaded = new ThreadedSearcher(spec(5));
    // 60 s trials in a 100 s search: the second initial architecture does not fit in half of it. Epochs
    // of 20-40 s make the per-trial cap bind (a child must train 2 epochs in 60 s).
    const context = { pending: [], budget: { totalSeconds: 100, remainingSeconds: 50, trialSeconds: 60 } };
    try {
      const parents: Array<number | null> = [];
      for (let id = 0; id < 5; id++) {
        const [a, b] = [await local.propose(context), await threaded.propose(context)];
        expect(structureKey(b.graph)).toBe(structureKey(a.graph));
        expect([b.parentId, b.ops]).toEqual([a.parentId, a.ops]);
        parents.push(a.parentId);
        const trial = { id, graph: a.graph, metric: score(a.graph), parentId: a.parentId, ops: a.ops, status: 'ok' as const, seconds: 60, epochSeconds: 20 + 5 * id };
        local.observe(trial);
        threaded.observe(trial);
      }
      expect(parents[1]).toBe(0);
      expect(threaded.state()).toEqual(local.state());
    } finally {
      await threaded.close();
    }
  });

  it('with prefetch, proposes while a trial trains: the wait is a fraction of the proposal time, and no pending architecture is proposed twice', async () => {
    const searcher = new ThreadedSearcher(spec(7));
    const store = new MemoryStore();
    const runTrial = async (job: TrialJob): Promise<TrialOutcome> => {
      await new Promise((r) => setTimeout(r, 400)); // "training" that leaves the event loop free, as trainGraph does
      return { graph: job.graph, metric: score(job.graph), epochs: 1, seconds: 0.4, status: 'ok' };
    };
    let totals = { proposeSeconds: 0, proposeWaitSeconds: 0 };
    const events = new (await import('eventemitter3')).default();
    events.on('searchEnd', (e: typeof totals) => { totals = e; });
    try {
      const executor = fakeExecutor(store, runTrial);
      const history = await runSearchLoop({ searcher, executor, toSpec: executor.toSpec, store, direction: 'max', deadline: Date.now() + 60_000, maxTrials: 6, prefetch: true, events: events as never });
      expect(history).toHaveLength(6);
      expect(new Set(history.map((t) => structureKey(t.graph))).size).toBe(6);
      const later = history.slice(1);
      expect(later.every((t) => t.proposeWaitSeconds! <= t.proposeSeconds + 0.05)).toBe(true);
      expect(totals.proposeWaitSeconds).toBeLessThan(0.5 * totals.proposeSeconds + 0.2);
    } finally {
      await searcher.close();
    }
  });

  it('surfaces a failure in the thread as a SearchError', async () => {
    const bad = new ThreadedSearcher({ ...spec(1), searcher: 'no-such-searcher' });
    await expect(bad.propose()).rejects.toThrow(SearchError);
    await bad.close();
  });
});
