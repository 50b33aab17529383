import { PriorityQueue, TreeSearchOptimizer, UpperConfidenceBound } from '../../src/acquisition';
import type { Graph } from '../../src/graph';
import type { Prediction, Surrogate } from '../../src/gp';
import type { MorphOp } from '../../src/morph/ops';
import type { MorphChild, NeighbourFn } from '../../src/search/types';
import { Rng } from '../../src/util/rng';
import { baseCnn, insertAfter } from '../search/fake-morph';

/** A surrogate with a fixed mean and std per architecture object (BoTorch-style fake). */
class TableSurrogate implements Surrogate<Graph> {
  readonly size = 0;
  constructor(private table: Map<Graph, [number, number]>, private fallback: [number, number] = [0, 0]) {}
  fit(): this { return this; }
  update(): this { return this; }
  predict(xs: readonly Graph[]): Prediction {
    const rows = xs.map((g) => this.table.get(g) ?? this.fallback);
    return { mean: rows.map((r) => r[0]), std: rows.map((r) => r[1]) };
  }
}

/** An Rng whose uniform draws are fixed. */
class FixedRng extends Rng {
  constructor(private readonly u: number) { super(0); }
  override next(): number { return this.u; }
}

let relus = 0;
/** A distinct child: one more relu after the first layer, with its op. */
function child(parent: Graph): MorphChild {
  const g = parent.clone(false);
  const first = g.mainChain().layers[0]!.id;
  insertAfter(g, first, { kind: 'relu' });
  const op: MorphOp = { type: 'deeper', layer: first, spec: { kind: 'relu' }, seed: relus++ };
  return { graph: g, op };
}

/** R -> [B, A], A -> [C]: a fixed tree. */
function tree() {
  const R = baseCnn();
  const B = child(R);
  const A = child(B.graph); // distinct from B (two relus)
  const C = child(A.graph);
  const kids = new Map<Graph, MorphChild[]>([[R, [B, A]], [A.graph, [C]]]);
  const neighbours: NeighbourFn = (g) => kids.get(g) ?? [];
  return { R, A, B, C, neighbours };
}

describe('UpperConfidenceBound', () => {
  it('is mu + beta sigma to maximise and mu - beta sigma (score negated) to minimise', () => {
    const p = { mean: [0.5, 0.9], std: [0.2, 0] };
    expect(new UpperConfidenceBound().evaluate(p)).toEqual([0.5 + 2.576 * 0.2, 0.9]);
    const lcb = new UpperConfidenceBound({ beta: 2, direction: 'min' });
    expect(lcb.bound(p)).toEqual([0.5 - 0.4, 0.9]);
    expect(lcb.evaluate(p)).toEqual([-(0.5 - 0.4), -0.9]);
    expect(() => new UpperConfidenceBound({ beta: -1 })).toThrow(/`beta`/);
  });
});

describe('PriorityQueue', () => {
  it('pops the highest priority first, ties first-in first-out', () => {
    const q = new PriorityQueue<string>();
    [['a', 1], ['b', 3], ['c', 3], ['d', 2]].forEach(([s, p]) => q.push(s as string, p as number));
    expect([q.pop(), q.pop(), q.pop(), q.pop(), q.pop()].map((e) => e?.item)).toEqual(['b', 'c', 'd', 'a', undefined]);
  });
});

describe('TreeSearchOptimizer', () => {
  const ucb = new UpperConfidenceBound();

  it('returns the UCB-best reachable child with its trained ancestor and the ops along the path', () => {
    const { R, A, B, C, neighbours } = tree();
    // UCB: B 0.5 + 2.576 * 0.2 = 1.0152, A 0.9, C 0.6 + 2.576 * 0.3 = 1.3728 (reached through A).
    const surrogate = new TableSurrogate(new Map([[B.graph, [0.5, 0.2]], [A.graph, [0.9, 0]], [C.graph, [0.6, 0.3]]]));
    const best = new TreeSearchOptimizer({ surrogate, acquisition: ucb, neighbours, maxDepth: 3 }).optimize([{ id: 7, graph: R, metric: 0.8 }], { rng: new Rng(1) });
    expect(best!.graph).toBe(C.graph);
    expect(best!.ancestorId).toBe(7);
    expect(best!.ops).toEqual([A.op, C.op]);
    expect(best!.acquisition).toBeCloseTo(1.3728, 12);
    expect([best!.mean, best!.std]).toEqual([0.6, 0.3]);
    expect([best!.expansions, best!.generated]).toEqual([4, 3]); // R, B, A, C
  });

  it('queues a worse child with probability exp(min((acq - best) / T, 1)): the per-child test', () => {
    const { R, A, B, C, neighbours } = tree();
    // A scores 0.2 after B's 1.0152 at T = 1: p = exp(-0.8152) = 0.4426.
    const surrogate = new TableSurrogate(new Map([[B.graph, [0.5, 0.2]], [A.graph, [0.2, 0]], [C.graph, [0.6, 0.3]]]));
    const opt = new TreeSearchOptimizer({ surrogate, acquisition: ucb, neighbours, maxDepth: 3 });
    const rejected = opt.optimize([{ id: 0, graph: R, metric: 0.8 }], { rng: new FixedRng(0.45) });
    expect(rejected!.graph).toBe(B.graph);
    expect(rejected!.acquisition).toBeCloseTo(1.0152, 12);
    const accepted = opt.optimize([{ id: 0, graph: R, metric: 0.8 }], { rng: new FixedRng(0.44) });
    expect(accepted!.graph).toBe(C.graph);
  });

  it('mirrors for minimisation: the lowest mu - beta sigma wins, trained ordered by lowest metric', () => {
    const { R, A, B, C, neighbours } = tree();
    // LCB: B 0.5 - 2.576 * 0.1 = 0.2424, A 0.3, C 0.3 - 2.576 * 0.05 = 0.1712.
    const surrogate = new TableSurrogate(new Map([[B.graph, [0.5, 0.1]], [A.graph, [0.3, 0]], [C.graph, [0.3, 0.05]]]));
    const opt = new TreeSearchOptimizer({ surrogate, acquisition: new UpperConfidenceBound({ direction: 'min' }), neighbours, direction: 'min', maxDepth: 3 });
    const best = opt.optimize([{ id: 3, graph: R, metric: 0.4 }], { rng: new Rng(2) });
    expect(best!.graph).toBe(C.graph);
    expect(-best!.acquisition).toBeCloseTo(0.3 - 2.576 * 0.05, 12);
  });

  it('skips children within 1e-5 of trained, excluded or generated architectures', () => {
    const { R, A, B, neighbours } = tree();
    const surrogate = new TableSurrogate(new Map([[B.graph, [0.5, 0.2]], [A.graph, [0.9, 0]]]));
    const opt = new TreeSearchOptimizer({ surrogate, acquisition: ucb, neighbours, maxDepth: 3 });
    const best = opt.optimize([{ id: 0, graph: R, metric: 0.8 }, { id: 1, graph: B.graph.clone(), metric: 0.1 }], { rng: new Rng(1), exclude: [A.graph.clone()] });
    expect(best).toBeNull(); // B is trained, A excluded, and C is only reachable from A
  });

  it('stops after 88 expansions with T = 1, r = 0.9, T_low = 1e-4, or at the deadline', () => {
    const surrogate = new TableSurrogate(new Map());
    const endless: NeighbourFn = (g) => [child(g)];
    const opt = new TreeSearchOptimizer({ surrogate, acquisition: ucb, neighbours: endless, maxDepth: Infinity });
    const trained = [{ id: 0, graph: baseCnn(), metric: 0.5 }];
    expect(opt.optimize(trained, { rng: new Rng(0) })!.expansions).toBe(88);
    expect(opt.optimize(trained, { rng: new Rng(0), deadline: Date.now() - 1 })).toBeNull();
    expect(opt.optimize([{ id: 0, graph: baseCnn(), metric: NaN }], { rng: new Rng(0) })).toBeNull(); // failed trials are not expanded
    expect(() => new TreeSearchOptimizer({ surrogate, acquisition: ucb, neighbours: endless, decay: 1 })).toThrow(/`decay`/);
  });

  it('expands no node maxDepth ops from its ancestor (default 1): proposals stay near trained knowledge', () => {
    // Deeper graphs score higher, so without a bound the search dives as far as the annealing lets it.
    const bySize: Surrogate<Graph> = { size: 0, fit() { return this; }, update() { return this; }, predict: (xs) => ({ mean: xs.map((g) => g.size / 100), std: xs.map(() => 0) }) };
    const endless: NeighbourFn = (g) => [child(g)];
    const trained = [{ id: 0, graph: baseCnn(), metric: 0 }];
    const deep = new TreeSearchOptimizer({ surrogate: bySize, acquisition: ucb, neighbours: endless, maxDepth: Infinity }).optimize(trained, { rng: new Rng(0) })!;
    expect(deep.ops.length).toBe(88);
    const single = new TreeSearchOptimizer({ surrogate: bySize, acquisition: ucb, neighbours: endless }).optimize(trained, { rng: new Rng(0) })!;
    expect([single.ops.length, single.expansions]).toEqual([1, 1]);
    const bounded = new TreeSearchOptimizer({ surrogate: bySize, acquisition: ucb, neighbours: endless, maxDepth: 3 }).optimize(trained, { rng: new Rng(0) })!;
    expect(bounded.ops.length).toBe(3);
    expect(bounded.expansions).toBe(3); // depths 0, 1, 2 are expanded; the depth-3 child is only scored
    expect(() => new TreeSearchOptimizer({ surrogate: bySize, acquisition: ucb, neighbours: endless, maxDepth: 0 })).toThrow(/`maxDepth`/);
  });

  it('neither returns nor expands an infeasible child while a feasible one exists; else returns the best of all', () => {
    const { R, A, B, C, neighbours } = tree();
    // By UCB: C 1.3728 (through A) > B 1.0152 > A 0.9. A is infeasible, so C is never reached.
    const surrogate = new TableSurrogate(new Map([[B.graph, [0.5, 0.2]], [A.graph, [0.9, 0]], [C.graph, [0.6, 0.3]]]));
    const asked: Array<[Graph, number]> = [];
    const notA = (g: Graph, ancestorId: number) => { asked.push([g, ancestorId]); return g !== A.graph; };
    const best = new TreeSearchOptimizer({ surrogate, acquisition: ucb, neighbours, feasible: notA, maxDepth: 3 }).optimize([{ id: 7, graph: R, metric: 0.8 }], { rng: new Rng(1) });
    expect(best!.graph).toBe(B.graph);
    expect(best!.expansions).toBe(2); // R and B; A is not queued
    expect(asked).toEqual([[B.graph, 7], [A.graph, 7]]);
    const none = new TreeSearchOptimizer({ surrogate, acquisition: ucb, neighbours, feasible: () => false, maxDepth: 3 }).optimize([{ id: 7, graph: R, metric: 0.8 }], { rng: new Rng(1) });
    expect(none!.graph).toBe(B.graph); // the best-scoring child of all (B 1.0152 > A 0.9); nothing was expanded past R
    expect(none!.expansions).toBe(1);
  });
});
