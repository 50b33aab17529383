import { checkOptionKeys, OPTION_KEYS } from './config';
import type { SurrogateSearcherOptions } from './config';
import { SurrogateSearcher } from './surrogate-searcher';
import type { Proposal, SearcherConfig } from './types';

/**
 * Hill climbing on the best trial: its new neighbours are generated and the one of best predicted mean
 * (Gaussian process on the edit-distance kernel, pure exploitation) is proposed; with fewer than two
 * successful trials, a random new neighbour. With a per-trial cap, only the neighbours that can train
 * `minTrialEpochs` epochs within it and cost at most `maxCostGrowth` times the best trial per epoch are
 * candidates (all of them when none can). Options `lambda`, `liar`, `minTrialEpochs` and
 * `maxCostGrowth` as in {@link BayesianSearcher}.
 *
 * @example
 * ```ts
 * const searcher = new GreedySearcher({ initialGraphs: [cnn], neighbours, direction: 'max', rng: new Rng(0) });
 * ```
 */
export class GreedySearcher extends SurrogateSearcher {
  readonly name: string = 'greedy';

  /** The keys of {@link SurrogateSearcherOptions}: any other key in `config.options` is an ArgumentError. */
  static readonly optionKeys: readonly string[] = OPTION_KEYS.greedy;

  constructor(config: SearcherConfig) {
    super(config);
    if (new.target === GreedySearcher) checkOptionKeys(config.options, GreedySearcher.optionKeys, 'greedy');
  }

  protected proposeNext(): Proposal | null {
    const best = this.best();
    if (!best) return null;
    const fresh = this.config.neighbours(best.graph, this.rng).filter((c) => !this.known.has(c.graph));
    if (fresh.length === 0) return null;
    const fits = this.trialBudgetTest();
    const affordable = fits ? fresh.filter((c) => fits(c.graph, best.id)) : fresh;
    const children = affordable.length > 0 ? affordable : fresh;
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
