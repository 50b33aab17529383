import { InputDataError, NotFittedError, SearchError, invalidArgument } from '../errors';
import type { Kernel } from '../kernel/kernel';
import { DEFAULTS } from '../options';
import type { LowerTriangular } from './linalg';
import { backSolve, cholesky, dot, extensionRow, forwardSolve } from './linalg';
import type { Prediction, Surrogate } from './surrogate';

/**
 * Options of {@link GaussianProcess}.
 *
 * @example
 * ```ts
 * new GaussianProcess(kernel, { alpha: 1e-8, maxJitter: 1e-3 });
 * ```
 */
export interface GaussianProcessOptions {
  /** Noise added to every diagonal entry of K, default `DEFAULTS.kernel.alpha` (1e-10). */
  alpha?: number;
  /** Largest jitter of the x10 ladder before a SearchError, default `DEFAULTS.kernel.maxJitter` (1e-2). */
  maxJitter?: number;
}

/**
 * Gaussian-process regression on any {@link Kernel} (Rasmussen & Williams, Algorithm 2.1), with
 * standardised targets `z = (y - mean(y)) / std(y)` (population std; 1 when the targets are constant):
 *
 * - `L = cholesky(K + jitter * I)`, jitter starting at `alpha` and raised x10 up to `maxJitter` when the
 *   factorisation fails; past that a {@link SearchError} (an observation is never dropped silently).
 * - `a = L^T \ (L \ z)`; for a new point: `mean = mean(y) + std(y) * k*^T a`,
 *   `v = L \ k*`, `std = std(y) * sqrt(max(0, k(x, x) - v^T v))`.
 * - `update(x, y)` appends one row to L in O(n^2) when the kernel's features did not change.
 *
 * @example
 * ```ts
 * const gp = new GaussianProcess(new EditDistanceKernel({ rng: new Rng(0) }));
 * gp.fit([g1, g2, g3], [0.91, 0.93, 0.88]).update(g4, 0.95);
 * const { mean, std } = gp.predict([candidate]); // mean[0], std[0]
 * ```
 */
export class GaussianProcess<T> implements Surrogate<T> {
  private readonly alpha: number;
  private readonly maxJitter: number;
  private xs: T[] = [];
  private ys: number[] = [];
  private L: LowerTriangular = [];
  private weights: Float64Array = new Float64Array(0);
  private yMean = 0;
  private yStd = 1;
  private currentJitter = 0;

  constructor(readonly kernel: Kernel<T>, options: GaussianProcessOptions = {}) {
    this.alpha = options.alpha ?? DEFAULTS.kernel.alpha;
    this.maxJitter = options.maxJitter ?? DEFAULTS.kernel.maxJitter;
    if (!(this.alpha > 0) || !Number.isFinite(this.alpha)) invalidArgument('alpha', 'a positive finite number', options.alpha);
    if (!(this.maxJitter >= this.alpha) || !Number.isFinite(this.maxJitter)) {
      invalidArgument('maxJitter', `a finite number >= alpha (${this.alpha})`, options.maxJitter);
    }
  }

  /** Number of observations. */
  get size(): number {
    return this.xs.length;
  }

  /** The diagonal jitter the current factorisation needed (0 before fit). */
  get jitter(): number {
    return this.currentJitter;
  }

  /** Fits from scratch on `xs` (n points) and `ys` (n finite numbers); returns the process. */
  fit(xs: readonly T[], ys: readonly number[]): this {
    if (!Array.isArray(xs) || xs.length === 0) invalidArgument('xs', 'a non-empty array of points', xs);
    checkTargets(ys, xs.length);
    this.xs = xs.slice();
    this.ys = ys.slice();
    this.kernel.fit?.(this.xs);
    this.factorise();
    this.solveWeights();
    return this;
  }

  /** Adds one observation; O(n^2) unless the kernel's features changed (then a full refit). */
  update(x: T, y: number): this {
    if (this.xs.length === 0) return this.fit([x], [y]);
    checkTargets([y], 1);
    const changed = this.kernel.fit?.([...this.xs, x]) ?? false;
    const row = changed ? null : extensionRow(this.L, this.kernel.matrix([x], this.xs)[0]!, this.kernel.diag([x])[0]! + this.currentJitter);
    this.xs.push(x);
    this.ys.push(y);
    if (row) this.L.push(row);
    else this.factorise();
    this.solveWeights();
    return this;
  }

  /** Posterior mean and standard deviation at `xs` (m points), in target units. */
  predict(xs: readonly T[]): Prediction {
    if (this.xs.length === 0) throw new NotFittedError('GaussianProcess.predict needs fit(xs, ys) first');
    if (this.L.length !== this.xs.length) {
      throw new SearchError(`GaussianProcess.predict: the last fit or update of ${this.xs.length} points failed to factorise (see that SearchError); fit again before predicting`);
    }
    if (xs.length === 0) return { mean: [], std: [] };
    const Ks = this.kernel.matrix(xs, this.xs);
    const diag = this.kernel.diag(xs);
    const mean: number[] = [];
    const std: number[] = [];
    Ks.forEach((k, i) => {
      mean.push(this.yMean + this.yStd * dot(k, this.weights));
      const v = forwardSolve(this.L, k);
      std.push(this.yStd * Math.sqrt(Math.max(0, diag[i]! - dot(v, v))));
    });
    return { mean, std };
  }

  /** Cholesky of K + jitter I on the jitter ladder alpha, 10 alpha, ... maxJitter. */
  private factorise(): void {
    const K = this.kernel.matrix(this.xs);
    for (let jitter = this.alpha; jitter <= this.maxJitter * (1 + 1e-9); jitter *= 10) {
      const L = cholesky(K, jitter);
      if (L) {
        this.L = L;
        this.currentJitter = jitter;
        return;
      }
    }
    this.L = [];
    throw new SearchError(
      `GaussianProcess: the kernel matrix of ${this.xs.length} points is not positive definite even with diagonal jitter ` +
      `${this.maxJitter} (tried ${this.alpha} x10 up to ${this.maxJitter}); the kernel returned NaN or a singular matrix. ` +
      'No observation was dropped.',
    );
  }

  /** Standardises the targets and solves for the weights a = K^-1 z. */
  private solveWeights(): void {
    const n = this.ys.length;
    this.yMean = this.ys.reduce((a, b) => a + b, 0) / n;
    const variance = this.ys.reduce((a, b) => a + (b - this.yMean) ** 2, 0) / n;
    this.yStd = variance > 1e-24 ? Math.sqrt(variance) : 1;
    const z = this.ys.map((y) => (y - this.yMean) / this.yStd);
    this.weights = backSolve(this.L, forwardSolve(this.L, z));
  }
}

function checkTargets(ys: readonly number[], n: number): void {
  if (!Array.isArray(ys) || ys.length !== n) {
    throw new InputDataError(`Received an invalid value for \`ys\`, expected an array of ${n} targets (one per point). Received: ys of length ${Array.isArray(ys) ? ys.length : typeof ys}`);
  }
  const bad = ys.findIndex((y) => !Number.isFinite(y));
  if (bad >= 0) {
    throw new InputDataError(`Received an invalid value for \`ys\`, expected finite numbers (failed trials must not enter the GP). Received: ys[${bad}]=${ys[bad]}`);
  }
}
