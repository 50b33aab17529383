import { invalidArgument } from '../errors';
import { DEFAULTS } from '../options';
import { MorphSearcher } from './base';
import { numberOption } from './config';
import { TrialSurrogate } from './surrogate-state';
import type { JsonValue, SearcherConfig } from './types';

/**
 * A {@link MorphSearcher} with a Gaussian process over its successful trials (option `lambda`: the skip
 * weight of the edit distance, default 1). Its saved state adds the kernel's embedding seed, so a
 * resumed search rebuilds the same surrogate.
 *
 * @example
 * ```ts
 * class MeanGreedy extends SurrogateSearcher {
 *   readonly name = 'mean-greedy';
 *   protected proposeNext() { ... this.surrogate.sync(this.successful()).predict(children) ... }
 * }
 * ```
 */
export abstract class SurrogateSearcher extends MorphSearcher {
  /** The Gaussian process, fed incrementally with the successful trials. */
  protected surrogate: TrialSurrogate;

  constructor(config: SearcherConfig) {
    super(config);
    const lambda = numberOption(config.options, 'lambda', DEFAULTS.kernel.lambda, (v) => v >= 0 && Number.isFinite(v), 'a finite number >= 0');
    this.surrogate = new TrialSurrogate(this.rng.seed(), lambda);
  }

  protected override extraState(): JsonValue {
    return { kernelSeed: this.surrogate.seed };
  }

  protected override restoreExtra(extra: JsonValue): void {
    const seed = (extra as { kernelSeed?: unknown } | null)?.kernelSeed;
    if (!Number.isInteger(seed)) invalidArgument('state.extra.kernelSeed', 'an integer', seed);
    this.surrogate = new TrialSurrogate(seed as number, this.surrogate.lambda);
  }
}
