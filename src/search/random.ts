import { DEFAULTS } from '../options';
import { MorphSearcher } from './base';
import { numberOption } from './config';
import type { Proposal, SearcherConfig } from './types';

/**
 * Random search over the morph space (the paper's "random" baseline): after the initial graphs, a random
 * morph walk of 1..`walkLength` steps (option, default `DEFAULTS.search.randomWalkLength`, 1) from a successful trial chosen uniformly.
 *
 * @example
 * ```ts
 * const searcher = new RandomSearcher({ initialGraphs: [mlp], neighbours, direction: 'min', rng: new Rng(3), options: { walkLength: 2 } });
 * ```
 */
export class RandomSearcher extends MorphSearcher {
  readonly name: string = 'random';
  private readonly walkLength: number;

  constructor(config: SearcherConfig) {
    super(config);
    this.walkLength = numberOption(config.options, 'walkLength', DEFAULTS.search.randomWalkLength, (v) => Number.isInteger(v) && v >= 1, 'a positive integer');
  }

  protected proposeNext(): Proposal | null {
    const ok = this.successful();
    if (ok.length === 0) return null;
    return this.randomWalk(this.rng.choice(ok), this.walkLength);
  }
}
