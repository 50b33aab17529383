import { invalidArgument } from '../errors';
import { DEFAULTS } from '../options';
import { MorphSearcher } from './base';
import { numberOption } from './config';
import type { Graph } from '../graph/graph';
import type { GaussianProcess } from '../gp/gaussian-process';
import { TrialSurrogate } from './surrogate-state';
import type { Liar } from './surrogate-state';
import type { JsonValue, SearcherConfig, TrialRecord } from './types';

/**
 * A {@link MorphSearcher} with a Gaussian process over its successful trials (option `lambda`: the skip
 * weight of the edit distance, default 1). While proposals are pending (a prefetching or parallel
 * loop), {@link SurrogateSearcher.model} also feeds it those architectures with a fantasy metric (option
 * `liar`: `'believer'`, the kriging believer, default; or `'worst'`, a pessimistic constant liar), so
 * that the next proposal does not crowd around what is already training. Its saved state adds the
 * kernel's embedding seed, so a resumed search rebuilds the same surrogate.
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
  /** What the model believes of pending architectures. */
  protected readonly liar: Liar;

  constructor(config: SearcherConfig) {
    super(config);
    const lambda = numberOption(config.options, 'lambda', DEFAULTS.kernel.lambda, (v) => v >= 0 && Number.isFinite(v), 'a finite number >= 0');
    const liar = config.options?.liar ?? DEFAULTS.search.liar;
    if (liar !== 'believer' && liar !== 'worst') invalidArgument('options.liar', "'believer' or 'worst'", liar);
    this.liar = liar;
    this.surrogate = new TrialSurrogate(this.rng.seed(), lambda);
  }

  /**
   * The Gaussian process to propose with: over the successful trials `ok` (non-empty), plus the
   * pending architectures with fantasy metrics when there are any.
   */
  protected model(ok: readonly TrialRecord[]): GaussianProcess<Graph> {
    const gp = this.surrogate.sync(ok);
    return this.pending.length === 0 ? gp : this.surrogate.withPending(ok, this.pending, this.liar, this.config.direction);
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
