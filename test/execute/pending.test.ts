import { ArchitectureSet } from '../../src/kernel/architecture-set';
import { GraphMorpher } from '../../src/morph/morpher';
import { createSearcher } from '../../src/search/registry';
import { Rng } from '../../src/util/rng';
import { smallMlp } from '../helpers/graphs';

/** Two searchers with the same seed and history: the second one (a resumed chief) is told the first one's proposal is pending. */
async function twins(name: string) {
  const morpher = new GraphMorpher();
  const make = () => createSearcher(name, { initialGraphs: [smallMlp()], neighbours: (g, r) => morpher.neighbours(g, r), direction: 'max', rng: new Rng(11) });
  const [a, b] = [make(), make()];
  for (const s of [a, b]) {
    const p = await s.propose();
    s.observe({ id: 0, graph: p.graph, metric: 0.6, parentId: null, ops: [], status: 'ok' });
  }
  return { a, b };
}

describe('propose({ pending })', () => {
  it.each(['bayesian', 'random', 'greedy'])('%s never proposes a pending architecture, even one it did not propose itself', async (name) => {
    const { a, b } = await twins(name);
    const first = await a.propose();
    const same = await (await twins(name)).b.propose();
    const set = new ArchitectureSet();
    set.add(first.graph);
    expect(set.has(same.graph)).toBe(true); // deterministic twins: without the context b would propose it too
    const other = await b.propose({ pending: [first] });
    expect(set.has(other.graph)).toBe(false);
  });

  it('keeps the old call without context working', async () => {
    const { a } = await twins('bayesian');
    const p = await a.propose();
    expect(p.parentId).toBe(0);
  });
});
