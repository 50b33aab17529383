import { invalidArgument } from '../errors';
import { Rng } from '../util/rng';

/** Levels and repeats of a Bourgain embedding of `n` points. */
export interface BourgainShape {
  /** `max(1, k + 1)` with `k = ceil(log2 n - 1)`: subsets of 2^0 .. 2^k points. */
  levels: number;
  /** `max(1, ceil(ln n))` subsets per level. */
  repeats: number;
}

/**
 * The embedding's shape for `n` training points (docs/algorithms.md section 3; levels 0..k as in the Auto-Keras code),
 * `levels * repeats` coordinates in all.
 *
 * @example
 * ```ts
 * bourgainShape(100); // { levels: 7, repeats: 5 }: subsets of 1, 2, ..., 64 points, 5 of each
 * ```
 */
export function bourgainShape(n: number): BourgainShape {
  if (!Number.isInteger(n) || n < 1) invalidArgument('n', 'a positive integer', n);
  const k = Math.ceil(Math.log2(n) - 1);
  return { levels: Math.max(1, k + 1), repeats: Math.max(1, Math.ceil(Math.log(n))) };
}

/** The smallest n' <= n with the same {@link bourgainShape} as n. */
function firstSizeOfShape(n: number): number {
  const s = bourgainShape(n);
  let m = n;
  while (m > 1) {
    const t = bourgainShape(m - 1);
    if (t.levels !== s.levels || t.repeats !== s.repeats) break;
    m--;
  }
  return m;
}

/**
 * Bourgain's embedding of a finite metric space into a vector space (Bourgain 1985; used by Auto-Keras
 * section 3.2 to make the edit-distance kernel positive definite). Coordinates are the minimum distances
 * of a point to random subsets of the training points: at level i, `repeats` subsets of 2^i points drawn
 * with replacement. Training points and new points embed against the SAME subsets (docs/algorithms.md section 3).
 *
 * Why subsets are drawn from the first `n0` points only (n0 = the smallest training-set size with the
 * current shape) with a generator seeded by `(seed, n0)`: the subsets then depend only on the seed and
 * the training set, not on how it was grown, so an incremental fit and a fit from scratch agree exactly,
 * and the subsets change only when the shape grows (about log n times), keeping most updates incremental.
 *
 * @example
 * ```ts
 * const emb = new BourgainEmbedding(rng.seed());
 * emb.prepare(points.length);                       // draws the subsets
 * const coords = emb.embed((i) => dist(x, points[i])); // Float64Array of emb.dimension coordinates
 * ```
 */
export class BourgainEmbedding {
  private subsets: number[][] = [];
  private shapeKey = '';
  /** Distinct training indices that appear in some subset. */
  anchors: number[] = [];

  constructor(readonly seed: number) {
    if (!Number.isInteger(seed) || seed < 0) invalidArgument('seed', 'a non-negative integer', seed);
  }

  /** Number of coordinates (`levels * repeats`); 0 before {@link prepare}. */
  get dimension(): number {
    return this.subsets.length;
  }

  /** Makes the subsets fit `n` training points; returns true when they changed. */
  prepare(n: number): boolean {
    const shape = bourgainShape(n);
    const n0 = firstSizeOfShape(n);
    const key = `${shape.levels}x${shape.repeats}@${n0}`;
    if (key === this.shapeKey) return false;
    const rng = new Rng((this.seed ^ Math.imul(n0, 0x9e3779b1)) >>> 0);
    this.subsets = [];
    for (let i = 0; i < shape.levels; i++) {
      for (let r = 0; r < shape.repeats; r++) {
        this.subsets.push(Array.from({ length: 2 ** i }, () => rng.int(n0)));
      }
    }
    this.anchors = [...new Set(this.subsets.flat())].sort((a, b) => a - b);
    this.shapeKey = key;
    return true;
  }

  /** Coordinates of a point given its distance to training point `i` (called once per anchor). */
  embed(distanceTo: (i: number) => number): Float64Array {
    const d = new Map<number, number>();
    for (const i of this.anchors) d.set(i, distanceTo(i));
    const out = new Float64Array(this.subsets.length);
    this.subsets.forEach((subset, c) => {
      let min = Infinity;
      for (const i of subset) min = Math.min(min, d.get(i)!);
      out[c] = min;
    });
    return out;
  }
}
