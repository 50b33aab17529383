import { invalidArgument } from '../errors';

/** A minimum-cost assignment: `assignment[i]` is the column matched to row `i`, `cost` the total. */
export interface Assignment {
  assignment: number[];
  cost: number;
}

/**
 * Minimum-cost assignment (the Hungarian method, Kuhn 1955 / Munkres 1957, in the O(n^2 m) form with
 * row and column potentials and shortest augmenting paths). Every row is matched to a distinct column;
 * a matrix with more rows than columns is solved on its transpose.
 *
 * @param cost `n x m` matrix of finite costs.
 * @returns `assignment[i]` = column of row `i` (or -1 when `n > m` and row `i` stays unmatched) and the total cost.
 * @example
 * ```ts
 * hungarian([[4, 1, 3], [2, 0, 5], [3, 2, 2]]); // { assignment: [1, 0, 2], cost: 5 }
 * ```
 */
export function hungarian(cost: readonly (readonly number[])[]): Assignment {
  const n = cost.length;
  const m = n === 0 ? 0 : cost[0]!.length;
  if (!cost.every((row) => row.length === m && row.every(Number.isFinite))) {
    invalidArgument('cost', 'a rectangular matrix of finite numbers', cost);
  }
  if (n === 0 || m === 0) return { assignment: new Array<number>(n).fill(-1), cost: 0 };
  if (n > m) return transposeAssignment(cost, n, m);
  const flat = new Float64Array(n * m);
  cost.forEach((row, i) => flat.set(row, i * m));
  const rowOfCol = solveRowsLeqCols(flat, n, m);
  const assignment = new Array<number>(n).fill(-1);
  let total = 0;
  for (let j = 1; j <= m; j++) {
    const i = rowOfCol[j]!;
    if (i > 0) {
      assignment[i - 1] = j - 1;
      total += cost[i - 1]![j - 1]!;
    }
  }
  return { assignment, cost: total };
}

function transposeAssignment(cost: readonly (readonly number[])[], n: number, m: number): Assignment {
  const t = Array.from({ length: m }, (_, j) => Array.from({ length: n }, (_, i) => cost[i]![j]!));
  const sub = hungarian(t);
  const assignment = new Array<number>(n).fill(-1);
  sub.assignment.forEach((i, j) => {
    if (i >= 0) assignment[i] = j;
  });
  return { assignment, cost: sub.cost };
}

/**
 * Cost of the minimum assignment of an `n x m` row-major matrix with `n <= m`, without input checks
 * (the edit distance's hot path; {@link hungarian} is the checked entry point).
 */
export function minAssignmentCost(cost: Float64Array, n: number, m: number): number {
  const rowOfCol = solveRowsLeqCols(cost, n, m);
  let total = 0;
  for (let j = 1; j <= m; j++) if (rowOfCol[j]! > 0) total += cost[(rowOfCol[j]! - 1) * m + j - 1]!;
  return total;
}

/** Core with 1-based arrays; returns rowOfCol (0 = free). Requires n <= m. */
function solveRowsLeqCols(cost: Float64Array, n: number, m: number): Int32Array {
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const rowOfCol = new Int32Array(m + 1);
  const way = new Int32Array(m + 1);
  for (let i = 1; i <= n; i++) {
    rowOfCol[0] = i;
    let j0 = 0;
    const minv = new Float64Array(m + 1).fill(Infinity);
    const used = new Uint8Array(m + 1);
    do {
      used[j0] = 1;
      const i0 = rowOfCol[j0]!;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = cost[(i0 - 1) * m + j - 1]! - u[i0]! - v[j]!;
        if (cur < minv[j]!) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          const r = rowOfCol[j]!;
          u[r] = u[r]! + delta;
          v[j] = v[j]! - delta;
        } else {
          minv[j] = minv[j]! - delta;
        }
      }
      j0 = j1;
    } while (rowOfCol[j0] !== 0);
    do {
      const j1 = way[j0]!;
      rowOfCol[j0] = rowOfCol[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  return rowOfCol;
}
