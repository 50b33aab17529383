import type { Graph } from '../graph/graph';
import { GaussianProcess } from '../gp/gaussian-process';
import { EditDistanceKernel } from '../kernel/kernel';
import type { TrialRecord } from './types';

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
