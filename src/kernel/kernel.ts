import { NotFittedError, invalidArgument } from '../errors';
import { DEFAULTS } from '../options';
import type { Rng } from '../util/rng';
import { BourgainEmbedding } from './bourgain';
import type { Architecture, EncodedArchitecture } from './edit-distance';
import { encodeArchitecture, encodedDistance } from './edit-distance';

/**
 * A covariance function over any kind of point (vectors, graphs). `fit` is for data-dependent kernels
 * (such as {@link EditDistanceKernel}, whose features are built from the training set); a Gaussian
 * process calls it with its training inputs before asking for matrices.
 *
 * @example
 * ```ts
 * const rbf: Kernel<number> = {
 *   matrix: (a, b = a) => a.map((x) => b.map((y) => Math.exp(-((x - y) ** 2)))),
 *   diag: (a) => a.map(() => 1),
 * };
 * ```
 */
export interface Kernel<T> {
  /** `K[i][j] = k(a_i, b_j)`, shape `a.length x b.length`; `b` defaults to `a`. */
  matrix(a: readonly T[], b?: readonly T[]): number[][];
  /** `k(a_i, a_i)` for each point, shape `a.length`. */
  diag(a: readonly T[]): number[];
  /**
   * Adapts the kernel to the training inputs `xs`. Returns true when `k` changed on points it was
   * fitted on before (the caller must then recompute its matrices), false when it only extended.
   */
  fit?(xs: readonly T[]): boolean;
}

/**
 * Options of {@link EditDistanceKernel}.
 *
 * @example
 * ```ts
 * new EditDistanceKernel({ rng: new Rng(1), lambda: 0.5 });
 * ```
 */
export interface EditDistanceKernelOptions {
  /** Source of the embedding's randomness (one seed is drawn from it). */
  rng?: Rng;
  /** The embedding's seed, instead of `rng` (a searcher restoring its state passes it back). */
  seed?: number;
  /** Weight of the skip term, default `DEFAULTS.kernel.lambda`. */
  lambda?: number;
}

/**
 * The Auto-Keras kernel on architectures (paper section 3.2, docs/algorithms.md section 3): each architecture is
 * embedded by Bourgain's method from its edit distances to random subsets of the training architectures,
 * then `k(a, b) = exp(-||e(a) - e(b)||^2 / m)` (RBF, gamma = 1/m, m = number of coordinates), which is
 * positive semi-definite (definite for distinct embeddings). `k(a, a) = 1`.
 * Embeddings are cached per object (graphs are treated as immutable).
 *
 * @example
 * ```ts
 * const kernel = new EditDistanceKernel({ rng: new Rng(1) });
 * kernel.fit(trainedGraphs);
 * const K = kernel.matrix(trainedGraphs);            // n x n
 * const Ks = kernel.matrix(candidates, trainedGraphs); // m x n
 * ```
 */
export class EditDistanceKernel implements Kernel<Architecture> {
  readonly lambda: number;
  private readonly embedding: BourgainEmbedding;
  private train: Architecture[] = [];
  private version = 0;
  private readonly embedCache = new WeakMap<object, { version: number; coords: Float64Array }>();
  /** Position of each training architecture, and the distances between training architectures (symmetric, computed once). */
  private trainIndex = new Map<Architecture, number>();
  private pairs = new Map<number, number>();

  constructor(options: EditDistanceKernelOptions = {}) {
    this.lambda = options.lambda ?? DEFAULTS.kernel.lambda;
    if (!Number.isFinite(this.lambda) || this.lambda < 0) invalidArgument('lambda', 'a finite number >= 0', options.lambda);
    const seed = options.seed ?? options.rng?.seed() ?? 0;
    this.embedding = new BourgainEmbedding(seed);
  }

  /** The embedding's seed (to rebuild an identical kernel). */
  get seed(): number {
    return this.embedding.seed;
  }

  /** Fixes the embedding on the training architectures; see {@link Kernel.fit}. */
  fit(xs: readonly Architecture[]): boolean {
    if (!Array.isArray(xs) || xs.length === 0) invalidArgument('xs', 'a non-empty array of architectures', xs);
    const extends_ = this.train.length > 0 && xs.length >= this.train.length && this.train.every((t, i) => t === xs[i]);
    const redrawn = this.embedding.prepare(xs.length);
    if (!extends_) this.pairs.clear();
    this.train = xs.slice();
    this.trainIndex = new Map(this.train.map((x, i) => [x, i]));
    const changed = redrawn || !extends_;
    if (changed) this.version++;
    return changed;
  }

  /** The Bourgain coordinates of an architecture (length = number of subsets). */
  embed(x: Architecture): Float64Array {
    if (this.train.length === 0) throw new NotFittedError('EditDistanceKernel.embed needs fit(xs) first: the embedding is built from the training architectures');
    const hit = this.embedCache.get(x);
    if (hit && hit.version === this.version) return hit.coords;
    const e = encodeArchitecture(x);
    const k = this.trainIndex.get(x);
    const coords = this.embedding.embed((i) => (k === undefined ? this.distance(e, i) : this.trainDistance(k, i)));
    this.embedCache.set(x, { version: this.version, coords });
    return coords;
  }

  private distance(e: EncodedArchitecture, i: number): number {
    return encodedDistance(e, encodeArchitecture(this.train[i]!), this.lambda);
  }

  /** Distance between training architectures k and i, cached both ways (the anchors are training points). */
  private trainDistance(k: number, i: number): number {
    const key = k < i ? k * 2 ** 24 + i : i * 2 ** 24 + k;
    let d = this.pairs.get(key);
    if (d === undefined) {
      d = this.distance(encodeArchitecture(this.train[k]!), i);
      this.pairs.set(key, d);
    }
    return d;
  }

  /** RBF on the embeddings; see {@link Kernel.matrix}. */
  matrix(a: readonly Architecture[], b?: readonly Architecture[]): number[][] {
    const ea = a.map((x) => this.embed(x));
    const eb = b === undefined ? ea : b.map((x) => this.embed(x));
    const gamma = 1 / this.embedding.dimension;
    return ea.map((u) => eb.map((v) => {
      let s = 0;
      for (let c = 0; c < u.length; c++) s += (u[c]! - v[c]!) ** 2;
      return Math.exp(-gamma * s);
    }));
  }

  /** All ones; see {@link Kernel.diag}. */
  diag(a: readonly Architecture[]): number[] {
    return a.map(() => 1);
  }
}
