/**
 * Posterior predictions at `m` points: `mean[i]` and `std[i]` (standard deviation, >= 0), in the units of the targets.
 *
 * @example
 * ```ts
 * const p: Prediction = { mean: [0.91, 0.88], std: [0.01, 0.04] };
 * ```
 */
export interface Prediction {
  mean: number[];
  std: number[];
}

/**
 * A probabilistic model of the metric over architectures (or any points): the part the acquisition
 * optimiser depends on (BoTorch's Model). `fit` starts from scratch and returns the model; `update`
 * adds one observation; `predict` before any observation throws NotFittedError.
 *
 * @example
 * ```ts
 * const gp: Surrogate<Graph> = new GaussianProcess(new EditDistanceKernel({ rng }));
 * gp.fit(graphs, accuracies);
 * const { mean, std } = gp.predict(candidates);
 * ```
 */
export interface Surrogate<T> {
  /** Number of observations the model holds. */
  readonly size: number;
  fit(xs: readonly T[], ys: readonly number[]): this;
  update(x: T, y: number): this;
  predict(xs: readonly T[]): Prediction;
}
