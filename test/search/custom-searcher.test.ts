import { createSearcher, listSearchers, registerSearcher } from '../../src/search';
import type { JsonValue, Proposal, Searcher, SearcherConfig, TrialRecord } from '../../src/search';
import { Rng } from '../../src/util/rng';
import { baseCnn, fakeNeighbours } from './fake-morph';

// The example of docs/extending.md, verbatim but for the imports.
/** Proposes the initial graphs, then a random child of the best trial so far. */
class BestChildSearcher implements Searcher {
  readonly name = 'best-child';
  private trials: TrialRecord[] = [];
  private next = 0;
  private rng: Rng;

  constructor(private readonly config: SearcherConfig) {
    this.rng = config.rng;
  }

  async propose(): Promise<Proposal> {
    const initial = this.config.initialGraphs[this.next];
    if (initial) {
      this.next++;
      return { graph: initial, parentId: null, ops: [] };
    }
    const sign = this.config.direction === 'max' ? 1 : -1;
    const ok = this.trials.filter((t) => t.status === 'ok');
    if (ok.length === 0) return { graph: this.config.initialGraphs[0]!, parentId: null, ops: [] };
    const best = ok.reduce((b, t) => (sign * t.metric > sign * b.metric ? t : b));
    const children = this.config.neighbours(best.graph, this.rng);
    if (children.length === 0) return { graph: this.config.initialGraphs[0]!, parentId: null, ops: [] };
    const child = this.rng.choice(children);
    return { graph: child.graph, parentId: best.id, ops: [child.op] };
  }

  observe(trial: TrialRecord): void {
    this.trials.push(trial);
  }

  state(): JsonValue {
    return { rng: this.rng.state(), next: this.next };
  }

  restore(state: JsonValue): void {
    const s = state as { rng: number[]; next: number };
    this.rng = Rng.fromState(s.rng);
    this.next = s.next;
  }
}

registerSearcher('best-child', (config) => new BestChildSearcher(config));

describe('a custom searcher registered by name', () => {
  it('drives a search loop: propose -> evaluate -> observe', async () => {
    expect(listSearchers()).toContain('best-child');
    const config: SearcherConfig = { initialGraphs: [baseCnn()], neighbours: fakeNeighbours(), direction: 'min', rng: new Rng(8) };
    const searcher = createSearcher('best-child', config);
    expect(searcher).toBeInstanceOf(BestChildSearcher);
    const trials: TrialRecord[] = [];
    const evaluate = (p: Proposal) => Math.abs(p.graph.size - 14); // a "loss": distance to 14 layers
    for (let id = 0; id < 8; id++) {
      const p = await searcher.propose();
      const bestSoFar = trials.reduce<TrialRecord | null>((b, t) => (b === null || t.metric < b.metric ? t : b), null);
      expect(p.parentId).toBe(bestSoFar?.id ?? null);
      const trial: TrialRecord = { id, graph: p.graph, metric: evaluate(p), parentId: p.parentId, ops: p.ops, status: 'ok' };
      trials.push(trial);
      searcher.observe(trial);
    }
    expect(Math.min(...trials.map((t) => t.metric))).toBeLessThan(trials[0]!.metric);
    const restored = createSearcher('best-child', { ...config, rng: new Rng(0) });
    trials.forEach((t) => restored.observe(t));
    restored.restore(JSON.parse(JSON.stringify(searcher.state())));
    expect((await restored.propose()).ops).toEqual((await searcher.propose()).ops);
  });
});
