import { invalidArgument } from '../errors';
import { DEFAULTS } from '../options';
import { MorphSearcher } from './base';
import { numberOption } from './config';
import { TrialSurrogate } from './surrogate-state';
import type { JsonValue, Proposal, SearcherConfig } from './types';

/**
 * Hill climbing on the best trial: its new neighbours are generated and the one of best predicted mean
 * (Gaussian process on the edit-distance kernel, pure exploitation) is proposed; with fewer than two
 * successful trials, a random new neighbour. Option `lambda` as in {@link BayesianSearcher}.
 *
 * @example
 * ```ts
 * const searcher = new GreedySearcher({ initialGraphs: [cnn], neighbours, direction: 'max', rng: new Rng(0) });
 * ```
 */
export class GreedySearcher extends MorphSearcher {
  readonly name: string = 'greedy';
  private surrogate: TrialSurrogate;

  constructor(config: SearcherConfig) {
    super(config);
    const lambda = numberOption(config.options, 'lambda', DEFAULTS.kernel.lambda, (v) => v >= 0 && Number.isFinite(v), 'a finite number >= 0');
    this.surrogate = new TrialSurrogate(this.rng.seed(), lambda);
  }

  protected proposeNext(): Proposal | null {
    const best = this.best();
    if (!best) return null;
    const children = this.config.neighbours(best.graph, this.rng).filter((c) => !this.known.has(c.graph));
    if (children.length === 0) return null;
    const ok = this.successful();
    let pick = this.rng.int(children.length);
    if (ok.length >= 2) {
      const { mean } = this.surrogate.sync(ok).predict(children.map((c) => c.graph));
      const sign = this.config.direction === 'max' ? 1 : -1;
      pick = mean.reduce((b, m, i) => (sign * m > sign * mean[b]! ? i : b), 0);
    }
    const child = children[pick]!;
    return { graph: child.graph, parentId: best.id, ops: [child.op] };
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
