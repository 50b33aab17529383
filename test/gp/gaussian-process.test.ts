import { Matrix, solve } from 'ml-matrix';
import { InputDataError, NotFittedError, SearchError } from '../../src/errors';
import { backSolve, cholesky, forwardSolve, GaussianProcess } from '../../src/gp';
import type { Kernel } from '../../src/kernel';
import { EditDistanceKernel } from '../../src/kernel';
import { Rng } from '../../src/util/rng';
import { randomArchitecture } from '../search/fake-morph';

/** A kernel given by a table over point names. */
function tableKernel(table: Record<string, Record<string, number>>): Kernel<string> {
  return {
    matrix: (a, b = a) => a.map((x) => b.map((y) => table[x]![y]!)),
    diag: (a) => a.map((x) => table[x]![x]!),
  };
}

const rbf: Kernel<number> = {
  matrix: (a, b = a) => a.map((x) => b.map((y) => Math.exp(-((x - y) ** 2) / 2))),
  diag: (a) => a.map(() => 1),
};

describe('linear algebra', () => {
  it('solves K x = b through the Cholesky factor like ml-matrix does', () => {
    const rng = new Rng(4);
    const A = Matrix.rand(6, 6, { random: () => rng.next() });
    const K = A.mmul(A.transpose()).add(Matrix.eye(6));
    const b = Array.from({ length: 6 }, () => rng.normal());
    const L = cholesky(K.to2DArray(), 0)!;
    const x = backSolve(L, forwardSolve(L, b));
    const oracle = solve(K, Matrix.columnVector(b)).getColumn(0);
    x.forEach((v, i) => expect(v).toBeCloseTo(oracle[i]!, 10));
    expect(cholesky([[1, 2], [2, 1]], 0)).toBeNull();
    expect(cholesky([[NaN]], 1)).toBeNull();
  });
});

describe('GaussianProcess', () => {
  it('matches a 2-point case computed by hand', () => {
    // K = [[1, .5], [.5, 1]], y = [0, 2] -> z = [-1, 1] (mean 1, std 1), a = K^-1 z = [-2, 2].
    // x*: k* = [.5, .25], k(x*, x*) = 1 -> mean = 1 + (-1 + .5) = .5; var = 1 - k*^T K^-1 k* = 1 - .25 = .75.
    const k = tableKernel({
      a: { a: 1, b: 0.5, s: 0.5 },
      b: { a: 0.5, b: 1, s: 0.25 },
      s: { a: 0.5, b: 0.25, s: 1 },
    });
    const gp = new GaussianProcess(k).fit(['a', 'b'], [0, 2]);
    const { mean, std } = gp.predict(['s']);
    expect(mean[0]).toBeCloseTo(0.5, 8);
    expect(std[0]).toBeCloseTo(Math.sqrt(0.75), 8);
    expect(gp.jitter).toBe(1e-10);
  });

  it('interpolates its training points and its std shrinks there', () => {
    const xs = [0, 1, 2.5, 4];
    const ys = [1, 3, -2, 0.5];
    const gp = new GaussianProcess(rbf).fit(xs, ys);
    const at = gp.predict(xs);
    at.mean.forEach((m, i) => expect(m).toBeCloseTo(ys[i]!, 4));
    at.std.forEach((s) => expect(s).toBeLessThan(1e-3));
    const far = gp.predict([10]);
    expect(far.std[0]!).toBeGreaterThan(1);
    expect(far.mean[0]).toBeCloseTo(ys.reduce((a, b) => a + b) / 4, 6); // back to the prior mean of y
  });

  it('gives the same model through incremental updates as through one fit', () => {
    const xs = [0, 0.7, 1.9, 3.2, 5];
    const ys = [0.2, 0.9, 0.4, -0.3, 0.1];
    const full = new GaussianProcess(rbf).fit(xs, ys);
    const inc = new GaussianProcess(rbf);
    xs.forEach((x, i) => inc.update(x, ys[i]!));
    const q = [0.3, 2.2, 4.1];
    const a = full.predict(q);
    const b = inc.predict(q);
    q.forEach((_, i) => {
      expect(b.mean[i]).toBeCloseTo(a.mean[i]!, 9);
      expect(b.std[i]).toBeCloseTo(a.std[i]!, 9);
    });
    expect(inc.size).toBe(5);
  });

  it('raises the jitter x10 on a singular kernel, then throws SearchError, never dropping a point', () => {
    // [[1, 1 + 3e-6], [1 + 3e-6, 1]] + j I is positive definite only for j > 3e-6: the ladder stops at 1e-5.
    const indefinite = tableKernel({ a: { a: 1, b: 1 + 3e-6 }, b: { a: 1 + 3e-6, b: 1 } });
    const dup = new GaussianProcess(indefinite).fit(['a', 'b'], [0, 1]);
    expect(dup.jitter / 1e-5).toBeCloseTo(1, 9);
    expect(dup.size).toBe(2);
    const nan: Kernel<number> = { matrix: (a, b = a) => a.map(() => b.map(() => NaN)), diag: (a) => a.map(() => NaN) };
    expect(() => new GaussianProcess(nan).fit([1, 2], [0, 1])).toThrow(SearchError);
    const negative: Kernel<number> = { matrix: (a, b = a) => a.map((x) => b.map((y) => (x === y ? -1 : 0))), diag: (a) => a.map(() => -1) };
    expect(() => new GaussianProcess(negative).fit([1], [0])).toThrow(/jitter 0.01/);
    // A point whose kernel entries are NaN: the incremental row fails, the full refit fails, SearchError; the point stays.
    const bad: Kernel<number> = {
      matrix: (a, b = a) => a.map((x) => b.map((y) => (x === 3 || y === 3 ? NaN : rbf.matrix([x], [y])[0]![0]!))),
      diag: (a) => a.map((x) => (x === 3 ? NaN : 1)),
    };
    const gp = new GaussianProcess(bad).fit([0], [1]);
    expect(() => gp.update(3, 2)).toThrow(SearchError);
    expect(gp.size).toBe(2);
    expect(() => gp.predict([1])).toThrow(/last fit or update of 2 points failed/);
  });

  it('checks its inputs: NaN targets (failed trials), lengths, predict before fit', () => {
    expect(() => new GaussianProcess(rbf).fit([1, 2], [0, NaN])).toThrow(InputDataError);
    expect(() => new GaussianProcess(rbf).fit([1, 2], [0])).toThrow(/`ys`/);
    expect(() => new GaussianProcess(rbf).predict([1])).toThrow(NotFittedError);
    expect(() => new GaussianProcess(rbf, { alpha: 0 })).toThrow(/`alpha`/);
  });

  it('fits architectures through the edit-distance kernel and interpolates them', () => {
    const rng = new Rng(5);
    const graphs = Array.from({ length: 12 }, (_, i) => randomArchitecture(rng, 1 + i));
    const ys = graphs.map((_, i) => Math.sin(i));
    const gp = new GaussianProcess(new EditDistanceKernel({ rng }), { alpha: 1e-10 }).fit(graphs, ys);
    const { mean } = gp.predict(graphs);
    mean.forEach((m, i) => expect(m).toBeCloseTo(ys[i]!, 2));
  });
});
