import type { Graph } from '../../src/graph';
import { editDistance } from '../../src/kernel';
import { BayesianSearcher, RandomSearcher } from '../../src/search';
import type { Searcher, SearcherConfig } from '../../src/search';
import { Rng } from '../../src/util/rng';
import { baseCnn, fakeNeighbours, randomArchitecture } from './fake-morph';

/**
 * A hidden target 25 random morphs away from the start, 16 evaluations. Why far: with a target only ~8
 * morphs away, a 1-step random walk does as well as UCB + tree search (about 5 of 10 seeds), since the
 * UCB term (beta 2.576) sends the optimiser to multi-op children; its strength is screening ~700 deep
 * candidates per proposal with the GP, which pays when the good region is several morphs away.
 */
const EVALUATIONS = 16;
const TARGET_STEPS = 25;

/** Best score within the budget on the synthetic objective -editDistance(graph, target) + N(0, 0.01^2). */
async function bestScore(make: (c: SearcherConfig) => Searcher, seed: number, target: Graph): Promise<number> {
  const searcher = make({ initialGraphs: [baseCnn()], neighbours: fakeNeighbours(), direction: 'max', rng: new Rng(seed) });
  const noise = new Rng(seed + 1000);
  let best = -Infinity;
  for (let id = 0; id < EVALUATIONS; id++) {
    const p = await searcher.propose();
    const metric = -editDistance(p.graph, target) + noise.normal(0, 0.01);
    best = Math.max(best, metric);
    searcher.observe({ id, graph: p.graph, metric, parentId: p.parentId, ops: p.ops, status: 'ok' });
  }
  return best;
}

describe('search quality without training', () => {
  it('BayesianSearcher beats RandomSearcher on >= 8 of 10 seeds at equal evaluations', async () => {
    const results: [number, number][] = [];
    for (let seed = 0; seed < 10; seed++) {
      const target = randomArchitecture(new Rng(500 + seed), TARGET_STEPS);
      const bayes = await bestScore((c) => new BayesianSearcher(c), seed, target);
      const random = await bestScore((c) => new RandomSearcher(c), seed, target);
      results.push([bayes, random]);
    }
    const wins = results.filter(([b, r]) => b > r).length;
    if (wins < 8) console.log(results); // eslint-disable-line no-console
    expect(wins).toBeGreaterThanOrEqual(8);
  });
});
