/**
 * The few dense linear-algebra steps the Gaussian process needs, on plain Float64Arrays. A lower
 * triangular factor is stored by rows, row i holding its i + 1 entries, so that one more observation
 * appends one row (the incremental update) instead of copying an n x n matrix.
 */
export type LowerTriangular = Float64Array[];

/**
 * Cholesky factor of `K + jitter * I` (Cholesky-Banachiewicz, reads the lower triangle of K), or null
 * when a pivot is not positive (K not positive definite at this jitter, or NaN in K).
 *
 * @example
 * ```ts
 * cholesky([[4, 2], [2, 3]], 0); // rows [2], [1, 1.414...]
 * ```
 */
export function cholesky(K: readonly (readonly number[])[], jitter: number): LowerTriangular | null {
  const L: LowerTriangular = [];
  for (let j = 0; j < K.length; j++) {
    const row = extensionRow(L, K[j]!.slice(0, j), K[j]![j]! + jitter);
    if (row === null) return null;
    L.push(row);
  }
  return L;
}

/**
 * The row that extends a Cholesky factor `L` of K to the factor of `[[K, k], [k^T, kappa]]`:
 * `l = L^{-1} k`, diagonal `sqrt(kappa - l.l)`; null when that is not positive. O(n^2).
 *
 * @example
 * ```ts
 * const row = extensionRow(L, kNewVsOld, kNewNew + jitter);
 * if (row) L.push(row); // L now factors the (n+1) x (n+1) matrix
 * ```
 */
export function extensionRow(L: LowerTriangular, k: readonly number[], kappa: number): Float64Array | null {
  const n = L.length;
  const row = new Float64Array(n + 1);
  const l = forwardSolve(L, k);
  let d = kappa;
  for (let i = 0; i < n; i++) {
    row[i] = l[i]!;
    d -= l[i]! * l[i]!;
  }
  if (!(d > 0) || !Number.isFinite(d)) return null;
  row[n] = Math.sqrt(d);
  return row;
}

/**
 * Solves `L y = b` (forward substitution), O(n^2).
 *
 * @example
 * ```ts
 * forwardSolve(cholesky([[4, 2], [2, 3]], 0)!, [2, 1]); // [1, 0]
 * ```
 */
export function forwardSolve(L: LowerTriangular, b: readonly number[]): Float64Array {
  const n = L.length;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const row = L[i]!;
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= row[k]! * y[k]!;
    y[i] = s / row[i]!;
  }
  return y;
}

/**
 * Solves `L^T x = y` (back substitution), O(n^2); with {@link forwardSolve}, `K^-1 b = backSolve(L, forwardSolve(L, b))`.
 *
 * @example
 * ```ts
 * const L = cholesky(K, 1e-10)!;
 * const alpha = backSolve(L, forwardSolve(L, y)); // K^-1 y
 * ```
 */
export function backSolve(L: LowerTriangular, y: ArrayLike<number>): Float64Array {
  const n = L.length;
  const x = Float64Array.from(y as ArrayLike<number>);
  for (let i = n - 1; i >= 0; i--) {
    x[i] = x[i]! / L[i]![i]!;
    const xi = x[i]!;
    const row = L[i]!;
    for (let k = 0; k < i; k++) x[k] = x[k]! - row[k]! * xi;
  }
  return x;
}

/** Dot product of two equal-length arrays. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
