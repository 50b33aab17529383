import { SurrogateSearcher } from './surrogate-searcher';
import type { Proposal } from './types';

/**
 * Hill climbing on the best trial: its new neighbours are generated and the one of best predicted mean
 * (Gaussian process on the edit-distance kernel, pure exploitation) is proposed; with fewer than two
 * successful trials, a random new neighbour. Options `lambda` and `liar` as in {@link BayesianSearcher}.
 *
 * @example
 * ```ts
 * const searcher = new GreedySearcher({ initialGraphs: [cnn], neighbours, direction: 'max', rng: new Rng(0) });
 * ```
 */
export class GreedySearcher extends SurrogateSearcher {
  readonly name: string = 'greedy';

  protected proposeNext(): Proposal | null {
    const best = this.best();
    if (!best) return null;
    const children = this.config.neighbours(best.graph, this.rng).filter((c) => !this.known.has(c.graph));
    if (children.length === 0) return null;
    const ok = this.successful();
    let pick = this.rng.int(children.length);
    if (ok.length >= 2) {
      const { mean } = this.model(ok).predict(children.map((c) => c.graph));
      const sign = this.config.direction === 'max' ? 1 : -1;
      pick = mean.reduce((b, m, i) => (sign * m > sign * mean[b]! ? i : b), 0);
    }
    const child = children[pick]!;
    return { graph: child.graph, parentId: best.id, ops: [child.op] };
  }
}
