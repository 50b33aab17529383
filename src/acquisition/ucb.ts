import { invalidArgument } from '../errors';
import type { Prediction } from '../gp/surrogate';
import { DEFAULTS } from '../options';
import type { MetricDirection } from '../search/types';

/**
 * Scores candidate points from a surrogate's {@link Prediction}; larger is better for the optimiser,
 * whatever the metric's direction. One call, batch of m points in, m scores out.
 *
 * @example
 * ```ts
 * const greedy: AcquisitionFunction = { evaluate: ({ mean }) => mean }; // pure exploitation
 * ```
 */
export interface AcquisitionFunction {
  evaluate(prediction: Prediction): number[];
}

/**
 * Options of {@link UpperConfidenceBound}.
 *
 * @example
 * ```ts
 * new UpperConfidenceBound({ beta: 2.5, direction: 'min' });
 * ```
 */
export interface UpperConfidenceBoundOptions {
  /** Exploration weight, default `DEFAULTS.search.ucbBeta` (2.576). */
  beta?: number;
  /** `max` for accuracy-like metrics, `min` for losses. Default `max`. */
  direction?: MetricDirection;
}

/**
 * Upper confidence bound (Srinivas et al. 2010; Auto-Keras section 3.3, docs/algorithms.md section 4).
 * The bound, in metric units ({@link UpperConfidenceBound.bound}): `mu + beta * sigma` to maximise,
 * `mu - beta * sigma` (a lower confidence bound) to minimise. The score ({@link UpperConfidenceBound.evaluate})
 * is the bound for `max` and its negation `-mu + beta * sigma` for `min`, so larger is always better.
 *
 * @example
 * ```ts
 * const ucb = new UpperConfidenceBound({ beta: 2, direction: 'min' });
 * ucb.bound({ mean: [0.5], std: [0.1] });    // [0.3]
 * ucb.evaluate({ mean: [0.5], std: [0.1] }); // [-0.3]
 * ```
 */
export class UpperConfidenceBound implements AcquisitionFunction {
  readonly beta: number;
  readonly direction: MetricDirection;

  constructor(options: UpperConfidenceBoundOptions = {}) {
    this.beta = options.beta ?? DEFAULTS.search.ucbBeta;
    this.direction = options.direction ?? 'max';
    if (!Number.isFinite(this.beta) || this.beta < 0) invalidArgument('beta', 'a finite number >= 0', options.beta);
    if (this.direction !== 'max' && this.direction !== 'min') invalidArgument('direction', "'max' or 'min'", options.direction);
  }

  /** `mu +- beta * sigma` in metric units, shape m. */
  bound(prediction: Prediction): number[] {
    const sign = this.direction === 'max' ? 1 : -1;
    return prediction.mean.map((mu, i) => mu + sign * this.beta * prediction.std[i]!);
  }

  /** The score to maximise, shape m: the bound, negated when minimising. */
  evaluate(prediction: Prediction): number[] {
    const sign = this.direction === 'max' ? 1 : -1;
    return this.bound(prediction).map((b) => sign * b);
  }
}
