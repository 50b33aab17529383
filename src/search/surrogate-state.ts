import type { Graph } from '../graph/graph';
import { GaussianProcess } from '../gp/gaussian-process';
import { EditDistanceKernel } from '../kernel/kernel';
import type { TrialRecord } from './types';

/** What a surrogate believes of a pending (still training) architecture; see {@link TrialSurrogate.withPending}. */
export type Liar = 'believer' | 'worst';

/**
 * The Gaussian process of a searcher over its successful trials, fed incrementally: each call of
 * {@link TrialSurrogate.sync} adds the trials observed since the last one (O(n^2) each, a full refit
 * only when the Bourgain embedding grows). Rebuilding it from the same seed and trials gives the same
 * model, which is what makes a restored searcher match the original.
 *
 * @example
 * ```ts
 * const s = new TrialSurrogate(rng.seed());
 * const gp = s.sync(successfulTrials); // a GaussianProcess<Graph> over them
 * ```
 */
export class TrialSurrogate {
  private gp: GaussianProcess<Graph>;
  private count = 0;

  constructor(readonly seed: number, readonly lambda?: number) {
    this.gp = new GaussianProcess<Graph>(new EditDistanceKernel({ seed, lambda }));
  }

  /**
   * A separate Gaussian process over `successful` that also believes each architecture of `pending`
   * (still training) scored a fantasy: the running model's posterior mean there (`'believer'`, the
   * kriging believer: the mean is unchanged, the uncertainty around the pending point collapses) or the
   * worst observed metric (`'worst'`, a pessimistic constant liar that steers away from it). Pending
   * points are added one at a time, each believing what the model with the earlier ones predicts. The
   * incremental model of {@link TrialSurrogate.sync} is left untouched.
   */
  withPending(successful: readonly TrialRecord[], pending: readonly Graph[], liar: Liar, direction: 'max' | 'min'): GaussianProcess<Graph> {
    const gp = new GaussianProcess<Graph>(new EditDistanceKernel({ seed: this.seed, lambda: this.lambda }));
    gp.fit(successful.map((t) => t.graph), successful.map((t) => t.metric));
    const metrics = successful.map((t) => t.metric);
    const worst = direction === 'max' ? Math.min(...metrics) : Math.max(...metrics);
    for (const g of pending) gp.update(g, liar === 'worst' ? worst : gp.predict([g]).mean[0]!);
    return gp;
  }

  /** Adds the trials of `successful` (a list that only grows, every metric finite) not added yet. */
  sync(successful: readonly TrialRecord[]): GaussianProcess<Graph> {
    if (successful.length < this.count) {
      this.gp = new GaussianProcess<Graph>(new EditDistanceKernel({ seed: this.seed, lambda: this.lambda }));
      this.count = 0;
    }
    if (this.count === 0 && successful.length > 0) {
      this.gp.fit(successful.map((t) => t.graph), successful.map((t) => t.metric));
    } else {
      for (const t of successful.slice(this.count)) this.gp.update(t.graph, t.metric);
    }
    this.count = successful.length;
    return this.gp;
  }
}
