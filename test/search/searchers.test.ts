import { ArgumentError } from '../../src/errors';
import { describeGraph } from '../../src/graph';
import { editDistance } from '../../src/kernel';
import { BayesianSearcher, createSearcher, GreedySearcher, listSearchers, RandomSearcher, registerSearcher, searcherOptionKeys, trainingCost, TrialSurrogate } from '../../src/search';
import type { Graph } from '../../src/graph';
import type { Searcher, SearcherConfig, TrialRecord } from '../../src/search';
import { Rng } from '../../src/util/rng';
import { baseCnn, fakeNeighbours, insertAfter, randomArchitecture } from './fake-morph';
import { DEFAULTS } from '../../src/options';

const config = (seed: number, extra: Partial<SearcherConfig> = {}): SearcherConfig => ({
  initialGraphs: [baseCnn(), randomArchitecture(new Rng(99), 3)],
  neighbours: fakeNeighbours(),
  direction: 'max',
  rng: new Rng(seed),
  ...extra,
});

/** Proposes and observes `n` trials (score: minus the layer count / 10; every 4th trial fails). */
async function drive(s: Searcher, n: number, trials: TrialRecord[] = []): Promise<TrialRecord[]> {
  for (let i = 0; i < n; i++) {
    const p = await s.propose();
    const id = trials.length;
    const failed = id % 4 === 3;
    const t: TrialRecord = { id, graph: p.graph, metric: failed ? NaN : -p.graph.size / 10, parentId: p.parentId, ops: p.ops, status: failed ? 'failed' : 'ok' };
    trials.push(t);
    s.observe(t);
  }
  return trials;
}

const makers: [string, (c: SearcherConfig) => Searcher][] = [
  ['bayesian', (c) => new BayesianSearcher(c)],
  ['random', (c) => new RandomSearcher(c)],
  ['greedy', (c) => new GreedySearcher(c)],
];

describe.each(makers)('%s searcher contract', (name, make) => {
  it('proposes the initial graphs first, then new children of observed successful trials', async () => {
    const c = config(1);
    const s = make(c);
    expect(s.name).toBe(name);
    const trials = await drive(s, 9);
    expect(trials.slice(0, 2).map((t) => [t.graph, t.parentId])).toEqual([[c.initialGraphs[0], null], [c.initialGraphs[1], null]]);
    for (const t of trials.slice(2)) {
      const parent = trials[t.parentId!]!;
      expect(parent.status).toBe('ok');
      expect(t.ops.length).toBeGreaterThan(0);
      expect(trials.filter((o) => o.id < t.id).every((o) => editDistance(o.graph, t.graph) >= 1e-5)).toBe(true);
    }
  });

  it('restores: a fresh searcher that observed the same trials and restored the state proposes the same next', async () => {
    const a = make(config(2));
    const trials = await drive(a, 7);
    const saved = JSON.parse(JSON.stringify(a.state()));
    const b = make(config(12345));
    trials.forEach((t) => b.observe(t));
    b.restore(saved);
    const [pa, pb] = [await a.propose(), await b.propose()];
    expect(describeGraph(pb.graph)).toEqual(describeGraph(pa.graph));
    expect([pb.parentId, pb.ops]).toEqual([pa.parentId, pa.ops]);
    expect(() => b.restore({ nope: 1 })).toThrow(ArgumentError);
  });

  it('trains initial architectures only while they fit in initialTimeShare of the budget', async () => {
    const three = () => config(5, { initialGraphs: [baseCnn(), randomArchitecture(new Rng(99), 3), randomArchitecture(new Rng(98), 4)] });
    const budget = (totalSeconds: number, remainingSeconds: number) => ({ totalSeconds, remainingSeconds, trialSeconds: 30 });
    const observe = (s: Searcher, id: number, p: { graph: TrialRecord['graph']; parentId: number | null; ops: TrialRecord['ops'] }, seconds: number, status: 'ok' | 'failed' = 'ok') =>
      s.observe({ id, graph: p.graph, metric: status === 'ok' ? 0.5 : NaN, parentId: p.parentId, ops: p.ops, status, seconds });
    // A short search: the first from-scratch trial took 40 s of 100; another would pass the 50% share.
    const ac = three();
    const a = make(ac);
    const a0 = await a.propose({ pending: [], budget: budget(100, 100) });
    expect(a0.graph).toBe(ac.initialGraphs[0]);
    observe(a, 0, a0, 40);
    const a1 = await a.propose({ pending: [], budget: budget(100, 60) });
    expect([a1.parentId, a1.ops.length > 0]).toEqual([0, true]);
    // A long one affords the second (40 + 40 <= 100) but not the third (80 + 40 > 100).
    const bc = three();
    const b = make(bc);
    const b0 = await b.propose({ pending: [], budget: budget(200, 200) });
    observe(b, 0, b0, 40);
    const b1 = await b.propose({ pending: [], budget: budget(200, 160) });
    expect(b1.graph).toBe(bc.initialGraphs[1]);
    observe(b, 1, b1, 40);
    expect((await b.propose({ pending: [], budget: budget(200, 120) })).parentId).not.toBeNull();
    // Prefetching while the first trains: the pending one counts at the per-trial cap (2 x 30 > 50), so
    // nothing new can be proposed yet (the last-resort default repeats the pending architecture).
    const cc = three();
    const c = make(cc);
    const c0 = await c.propose({ pending: [], budget: budget(100, 100) });
    const c1 = await c.propose({ pending: [c0], budget: budget(100, 100) });
    expect([c1.parentId, editDistance(c1.graph, c0.graph)]).toEqual([null, 0]);
    // Nothing succeeded and nothing is pending: the next initial architecture whatever the budget.
    const dc = three();
    const d = make(dc);
    const d0 = await d.propose({ pending: [], budget: budget(10, 10) });
    observe(d, 0, d0, 9, 'failed');
    expect((await d.propose({ pending: [], budget: budget(10, 1) })).graph).toBe(dc.initialGraphs[1]);
    // Without a budget (a custom loop), every initial architecture comes first.
    expect((await drive(make(three()), 3)).map((t) => t.parentId)).toEqual([null, null, null]);
    expect(() => make({ ...config(0), options: { initialTimeShare: 0 } })).toThrow(/`options.initialTimeShare`/);
  });

  it('checks its config', () => {
    expect(() => make({ ...config(0), neighbours: 3 as never })).toThrow(/`config.neighbours`/);
    expect(() => make({ ...config(0), direction: 'up' as never })).toThrow(/`config.direction`/);
  });
});

describe('BayesianSearcher', () => {
  it('keeps failed trials out of the GP and reports the UCB bound of its proposal', async () => {
    const s = new BayesianSearcher(config(3, { initialGraphs: [baseCnn()] }));
    const trials = await drive(s, 6);
    expect(trials.filter((t) => t.status === 'failed')).toHaveLength(1);
    const p = await s.propose();
    expect(Number.isFinite(p.acquisition)).toBe(true);
    expect(() => new BayesianSearcher(config(0, { options: { beta: -2 } }))).toThrow(/`options.beta`/);
  });

  it('proposes at most maxDepth morphs from a trained architecture (option, default 1)', async () => {
    const depths = async (options?: Record<string, number>) => (await drive(new BayesianSearcher(config(3, { initialGraphs: [baseCnn()], ...(options ? { options } : {}) })), 10))
      .map((t) => t.ops.length);
    expect(Math.max(...await depths({ maxDepth: 3 }))).toBeGreaterThan(1);
    expect(Math.max(...await depths())).toBe(1);
    expect(() => new BayesianSearcher(config(0, { options: { maxDepth: 0 } }))).toThrow(/`maxDepth`/);
  });

  it('falls back to a fresh default when the neighbour function yields nothing', async () => {
    const c = config(4, { initialGraphs: [baseCnn()], neighbours: () => [] });
    const s = new BayesianSearcher(c);
    await drive(s, 1);
    const p = await s.propose();
    expect([p.parentId, p.ops, editDistance(p.graph, c.initialGraphs[0]!)]).toEqual([null, [], 0]);
  });
});

describe('the per-trial cap bounds what the surrogate searchers propose (minTrialEpochs)', () => {
  const budget = { totalSeconds: 1000, remainingSeconds: 1000, trialSeconds: 100 };

  /**
   * Proposes `n` trials with a 100 s trial cap; a trained trial's epoch takes 40 s times its compute
   * relative to the base CNN. Returns, per morphed proposal, the epochs it could train within the cap.
   */
  async function epochsInCap(s: Searcher, n: number): Promise<number[]> {
    const base = trainingCost(baseCnn());
    const trials: TrialRecord[] = [];
    const epochs: number[] = [];
    for (let id = 0; id < n; id++) {
      const p = await s.propose({ pending: [], budget });
      const parent = trials.find((t) => t.id === p.parentId);
      if (parent) epochs.push(budget.trialSeconds / (parent.epochSeconds! * trainingCost(p.graph) / trainingCost(parent.graph)));
      const t: TrialRecord = {
        id, graph: p.graph, metric: -p.graph.size / 10, parentId: p.parentId, ops: p.ops, status: 'ok',
        seconds: 100, epochSeconds: 40 * trainingCost(p.graph) / base,
      };
      trials.push(t);
      s.observe(t);
    }
    return epochs;
  }

  it.each([
    ['bayesian', (c: SearcherConfig) => new BayesianSearcher(c)],
    ['greedy', (c: SearcherConfig) => new GreedySearcher(c)],
  ])('%s proposes only children that train minTrialEpochs (default 2) epochs in the cap; 0 lifts the bound', async (_name, make) => {
    const bounded = await epochsInCap(make(config(6, { initialGraphs: [baseCnn()] })), 8);
    expect(bounded).toHaveLength(7);
    for (const e of bounded) expect(e).toBeGreaterThanOrEqual(2);
    const free = await epochsInCap(make(config(6, { initialGraphs: [baseCnn()], options: { minTrialEpochs: 0 } })), 8);
    expect(Math.min(...free)).toBeLessThan(2); // without the bound, heavier children (wider, a deeper conv) come up
    expect(() => make(config(0, { options: { minTrialEpochs: -1 } }))).toThrow(/`options.minTrialEpochs`/);
  });

  it.each([
    ['bayesian', (c: SearcherConfig) => new BayesianSearcher(c)],
    ['greedy', (c: SearcherConfig) => new GreedySearcher(c)],
  ])('%s proposes only children of at most maxCostGrowth (default 1.5) times their parent\'s cost; 0 lifts the bound', async (_name, make) => {
    // A 1000 s cap: minTrialEpochs (2) would allow children of up to 12.5x the cost, so only maxCostGrowth binds.
    const growth = async (options: Record<string, number>): Promise<number[]> => {
      const s = make(config(6, { initialGraphs: [baseCnn()], options }));
      const graphs = new Map<number, Graph>();
      const ratios: number[] = [];
      for (let id = 0; id < 10; id++) {
        const p = await s.propose({ pending: [], budget: { totalSeconds: 10_000, remainingSeconds: 10_000, trialSeconds: 1000 } });
        const parent = p.parentId === null ? undefined : graphs.get(p.parentId);
        if (parent) ratios.push(trainingCost(p.graph) / trainingCost(parent));
        graphs.set(id, p.graph);
        s.observe({ id, graph: p.graph, metric: p.graph.size / 10, parentId: p.parentId, ops: p.ops, status: 'ok', seconds: 100, epochSeconds: 10 });
      }
      return ratios;
    };
    const bounded = await growth({});
    expect(bounded).toHaveLength(9);
    expect(Math.max(...bounded)).toBeLessThanOrEqual(DEFAULTS.search.maxCostGrowth);
    expect(Math.max(...await growth({ maxCostGrowth: 1.2 }))).toBeLessThanOrEqual(1.2);
    // Rewarded for size, the unbounded searchers grow the network faster than 1.5x a step.
    expect(Math.max(...await growth({ maxCostGrowth: 0 }))).toBeGreaterThan(DEFAULTS.search.maxCostGrowth);
    expect(() => make(config(0, { options: { maxCostGrowth: 0.5 } }))).toThrow(/`options.maxCostGrowth`.*0 \(off\) or a finite number >= 1.*0\.5/);
  });

  it('trainingCost counts multiply-accumulates and (weighted) activations: a doubled conv costs more than a relu', () => {
    const g = baseCnn();
    const conv1 = g.mainChain().layers[0]!;
    const wider = g.clone(false);
    wider.replaceLayer(conv1.id, { kind: 'conv', rank: 2, filters: 16, kernelSize: 3, strides: 1, padding: 'same' });
    // conv1 8x8x8 outputs x 9 inputs, conv2 4x4x8 x 72, dense 8 x 16 + 16 x 3 = 14,000 MACs.
    expect(g.macCount()).toBe(64 * 8 * 9 + 16 * 8 * 72 + 8 * 16 + 16 * 3);
    expect(trainingCost(g)).toBe(g.macCount() + DEFAULTS.search.activationCost * g.activationCount());
    const relu = g.clone(false);
    insertAfter(relu, conv1.id, { kind: 'relu' });
    expect(trainingCost(wider) / trainingCost(g)).toBeGreaterThan(1.3);
    expect(trainingCost(relu) / trainingCost(g)).toBeLessThan(1.3);
  });
});

describe('pending architectures in the surrogate (parallel and prefetched proposals)', () => {
  /** Trials 0..5: the initial CNN and random children, scored by drive(). */
  async function observed(): Promise<{ trials: TrialRecord[]; pending: Graph[] }> {
    const trials = (await drive(new RandomSearcher(config(21, { initialGraphs: [baseCnn()] })), 6)).filter((t) => t.status === 'ok');
    const rng = new Rng(5);
    const pending = [randomArchitecture(rng, 5), randomArchitecture(rng, 6)];
    return { trials, pending };
  }

  it('the kriging believer keeps the mean and collapses the uncertainty at a pending point; the worst liar pulls its mean down', async () => {
    const { trials, pending } = await observed();
    const s = new TrialSurrogate(3);
    const before = s.sync(trials).predict(pending);
    const believer = s.withPending(trials, pending, 'believer', 'max').predict(pending);
    const worst = s.withPending(trials, pending, 'worst', 'max').predict(pending);
    const lowest = Math.min(...trials.map((t) => t.metric));
    for (let i = 0; i < pending.length; i++) {
      expect(believer.std[i]!).toBeLessThan(1e-3);
      expect(before.std[i]!).toBeGreaterThan(10 * believer.std[i]!);
      expect(worst.mean[i]!).toBeCloseTo(lowest, 3);
    }
    expect(believer.mean[0]!).toBeCloseTo(before.mean[0]!, 6);
    // The incremental model is untouched.
    expect(s.sync(trials).predict(pending)).toEqual(before);
  });

  it('BayesianSearcher proposes with the pending architectures in its model; a bad liar option is named', async () => {
    class Exposed extends BayesianSearcher {
      lastModelSize = 0;
      protected override model(ok: readonly TrialRecord[]) { const gp = super.model(ok); this.lastModelSize = gp.size; return gp; }
    }
    const { trials, pending } = await observed();
    const s = new Exposed(config(8, { initialGraphs: [baseCnn()] }));
    await s.propose();
    trials.forEach((t) => s.observe(t));
    await s.propose({ pending: pending.map((graph) => ({ graph, parentId: 0, ops: [] })) });
    expect(s.lastModelSize).toBe(trials.length + pending.length);
    await s.propose();
    expect(s.lastModelSize).toBe(trials.length);
    expect(() => new BayesianSearcher(config(0, { options: { liar: 'optimist' } }))).toThrow(/`options.liar`.*'believer' or 'worst'/);
  });
});

describe('searcher options are declared', () => {
  it('a key a built-in searcher does not declare is an ArgumentError naming the ones it does', () => {
    expect(() => new BayesianSearcher(config(0, { options: { maxdepth: 3 } }))).toThrow(ArgumentError);
    expect(() => new BayesianSearcher(config(0, { options: { maxdepth: 3 } }))).toThrow(/`options.maxdepth`, expected an option of the bayesian searcher \(initialTimeShare, .*maxDepth\)/);
    expect(() => new RandomSearcher(config(0, { options: { beta: 1 } }))).toThrow(/`options.beta`.*random searcher.*walkLength/);
    expect(() => new GreedySearcher(config(0, { options: { walkLength: 1 } }))).toThrow(/`options.walkLength`.*greedy searcher.*liar/);
    expect(() => createSearcher('bayesian', config(0, { options: { beta: 1, maxDepth: 2, lambda: 0.5, liar: 'worst', proposeTimeLimit: 5 } }))).not.toThrow();
  });

  it('a registered searcher may declare its keys; searcherOptionKeys reads them back, proposeTimeLimit included', () => {
    registerSearcher('with-declared-keys', (c) => new RandomSearcher(c), { optionKeys: ['walkLength'] });
    expect(searcherOptionKeys('with-declared-keys')).toEqual(['walkLength', 'proposeTimeLimit']);
    expect(searcherOptionKeys('bayesian')).toContain('maxDepth');
    registerSearcher('with-declared-keys', (c) => new RandomSearcher(c), { replace: true });
    expect(searcherOptionKeys('with-declared-keys')).toBeUndefined();
  });
});

describe('searcher registry', () => {
  it('lists the built-ins and builds by name, factory or instance', () => {
    expect(listSearchers()).toEqual(expect.arrayContaining(['bayesian', 'greedy', 'random']));
    expect(createSearcher('greedy', config(0))).toBeInstanceOf(GreedySearcher);
    expect(createSearcher((c) => new RandomSearcher(c), config(0))).toBeInstanceOf(RandomSearcher);
    const instance = new RandomSearcher(config(0));
    expect(createSearcher(instance, config(0))).toBe(instance);
  });

  it('names the registered searchers on an unknown name and refuses to overwrite silently', () => {
    expect(() => createSearcher('grid', config(0))).toThrow(/'bayesian', 'greedy', 'random'/);
    expect(() => registerSearcher('random', (c) => new RandomSearcher(c))).toThrow(/replace: true/);
    expect(() => createSearcher((() => ({})) as never, config(0))).toThrow(/a Searcher/);
  });
});
