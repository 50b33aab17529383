import { DEFAULTS } from '../options';
import { MorphSearcher } from './base';
import { checkOptionKeys, numberOption, OPTION_KEYS } from './config';
import type { RandomSearcherOptions } from './config';
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

  /** The keys of {@link RandomSearcherOptions}: any other key in `config.options` is an ArgumentError. */
  static readonly optionKeys: readonly string[] = OPTION_KEYS.random;

  constructor(config: SearcherConfig) {
    super(config);
    if (new.target === RandomSearcher) checkOptionKeys(config.options, RandomSearcher.optionKeys, 'random');
    this.walkLength = numberOption(config.options, 'walkLength', DEFAULTS.search.randomWalkLength, (v) => Number.isInteger(v) && v >= 1, 'a positive integer');
  }

  protected proposeNext(): Proposal | null {
    const ok = this.successful();
    if (ok.length === 0) return null;
    return this.randomWalk(this.rng.choice(ok), this.walkLength);
  }
}
