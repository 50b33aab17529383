import { mkdtempSync, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runSearchLoop as runParallelSearchLoop } from '../../src/execute/search-loop';
import { readOutcome, writeOutcome, writeSpec } from '../../src/execute/outcome-files';
import type { TrialExecutor, TrialSpec } from '../../src/execute/types';
import type { Graph } from '../../src/graph';
import { graphToJSON } from '../../src/graph/json';
import { ArchitectureSet } from '../../src/kernel/architecture-set';
import { GraphMorpher } from '../../src/morph/morpher';
import { createSearcher } from '../../src/search/registry';
import type { TrialStore, TrialSummary } from '../../src/search/search-loop';
import type { TrialOutcome } from '../../src/search/trial';
import type { Proposal } from '../../src/search/types';
import { Rng } from '../../src/util/rng';
import { smallMlp } from '../helpers/graphs';

class MemoryStore implements TrialStore {
  saved: number[] = [];
  async trainedGraph(): Promise<Graph> { throw new Error('not used'); }
  async saveTrial(s: TrialSummary): Promise<void> { this.saved.push(s.id); }
}

/** Runs trials in fake time: each finishes after `delay(id)` ms with a metric from the id; records what was in flight. */
class FakeExecutor implements TrialExecutor {
  inFlight = new Map<number, Graph>();
  overlaps: Graph[][] = [];
  specs: TrialSpec[] = [];
  constructor(readonly capacity: number, private graphs: Map<number, Graph>) {}
  async run(spec: TrialSpec): Promise<TrialOutcome> {
    this.specs.push(spec);
    this.inFlight.set(spec.trialId, this.graphs.get(spec.trialId)!);
    this.overlaps.push([...this.inFlight.values()]);
    await new Promise((r) => setTimeout(r, 5 + ((spec.trialId * 7) % 11)));
    this.inFlight.delete(spec.trialId);
    return { metric: 0.5 + ((spec.trialId * 37) % 10) / 100, epochs: 1, seconds: 0.01, status: 'ok' };
  }
  async close(): Promise<void> {}
}

function setup(searcherName: string, capacity: number, initial: Graph[]) {
  const morpher = new GraphMorpher();
  const searcher = createSearcher(searcherName, { initialGraphs: initial, neighbours: (g, r) => morpher.neighbours(g, r), direction: 'max', rng: new Rng(4) });
  const graphs = new Map<number, Graph>();
  const executor = new FakeExecutor(capacity, graphs);
  const toSpec = (trialId: number, p: Proposal, deadline: number): TrialSpec => {
    graphs.set(trialId, p.graph);
    return { trialId, key: `t-${trialId}`, directory: '', graph: graphToJSON(p.graph, false), parentId: p.parentId, parent: null, ops: p.ops,
      train: { task: 'classification', epochs: 1, patience: 1, batchSize: 8, optimizer: { name: 'adam' }, augment: false }, seed: trialId, deadline, data: { directory: '' } };
  };
  return { searcher, executor, toSpec, store: new MemoryStore() };
}

describe('runSearchLoop with capacity > 1', () => {
  it.each(['bayesian', 'random', 'greedy'])('%s: keeps capacity trials in flight and never runs two equal architectures at once', async (name) => {
    const { searcher, executor, toSpec, store } = setup(name, 3, [smallMlp()]);
    const history = await runParallelSearchLoop({ searcher, executor, toSpec, store, direction: 'max', deadline: Date.now() + 60_000, maxTrials: 10 });
    expect(history.map((t) => t.id).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(store.saved.slice().sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Math.max(...executor.overlaps.map((o) => o.length))).toBe(3);
    for (const running of executor.overlaps) {
      const set = new ArchitectureSet();
      for (const g of running) expect(set.add(g)).toBe(true);
    }
  });

  it('passes the pending proposals to propose()', async () => {
    const { searcher, executor, toSpec, store } = setup('random', 2, [smallMlp(), smallMlp([4, 4, 1], 3).clone(false)]);
    const seen: number[] = [];
    const wrapped = { ...searcher, name: searcher.name, propose: (c?: { pending: readonly Proposal[] }) => { seen.push(c?.pending.length ?? -1); return searcher.propose(c); },
      observe: (t: TrialSummary) => searcher.observe(t), state: () => searcher.state(), restore: (s: never) => searcher.restore(s) };
    await runParallelSearchLoop({ searcher: wrapped, executor, toSpec, store, direction: 'max', deadline: Date.now() + 60_000, maxTrials: 4 });
    expect(seen.slice(0, 2)).toEqual([0, 1]);
  });

  it('on resume records trials that finished while the chief was down, and runs unfinished ones again', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'ak-recover-'));
    try {
      const { searcher, executor, toSpec, store } = setup('random', 2, [smallMlp()]);
      const g = smallMlp();
      const finished = { ...toSpec(0, { graph: g, parentId: null, ops: [] }, 0), directory };
      const unfinished = { ...toSpec(1, { graph: g, parentId: null, ops: [] }, 0), directory };
      await writeSpec(finished);
      await writeOutcome(finished, { metric: 0.8, epochs: 2, seconds: 1, status: 'ok' });
      await writeSpec(unfinished);
      const deadline = Date.now() + 60_000;
      const history = await runParallelSearchLoop({ searcher, executor, toSpec: (id, p, d) => ({ ...toSpec(id, p, d), directory }), store, direction: 'max', deadline, maxTrials: 3, directory });
      expect(history[0]).toMatchObject({ id: 0, metric: 0.8, epochs: 2, status: 'ok' });
      expect(executor.specs[0]).toMatchObject({ trialId: 1, deadline });
      expect(history.map((t) => t.id).sort()).toEqual([0, 1, 2]);
      expect(await readOutcome(directory, 0)).toBeNull();
      await expect(fs.readdir(path.join(directory, 'outcomes'))).resolves.toEqual([]);
    } finally {
      await fs.rm(directory, { recursive: true, force: true });
    }
  });
});
