import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { NotFittedError } from '../../src/errors';
import { ArchitectureSet, BourgainEmbedding, bourgainShape, EditDistanceKernel, editDistance } from '../../src/kernel';
import { Rng } from '../../src/util/rng';
import { baseCnn, randomArchitecture } from '../search/fake-morph';

const archs = (seed: number, n: number) => {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, i) => randomArchitecture(rng, 1 + (i % 9)));
};

describe('Bourgain embedding', () => {
  it('has k + 1 levels (k = ceil(log2 n - 1)) of ceil(ln n) subsets', () => {
    expect(bourgainShape(1)).toEqual({ levels: 1, repeats: 1 });
    expect(bourgainShape(2)).toEqual({ levels: 1, repeats: 1 });
    expect(bourgainShape(3)).toEqual({ levels: 2, repeats: 2 });
    expect(bourgainShape(100)).toEqual({ levels: 7, repeats: 5 });
    expect(() => bourgainShape(0)).toThrow(/`n`/);
  });

  it('gives each point its minimum distance to each subset; subsets change only when the shape grows', () => {
    const emb = new BourgainEmbedding(5);
    expect(emb.prepare(10)).toBe(true);
    expect(emb.dimension).toBe(4 * 3);
    expect(emb.prepare(11)).toBe(false);
    expect(emb.prepare(17)).toBe(true);
    const coords = emb.embed((i) => 100 + i);
    expect(coords.every((c, k) => c >= 100 && c < 117 && Number.isInteger(c) && k >= 0)).toBe(true);
    expect(coords[0]).toBe(100 + emb.anchors.filter((a) => 100 + a === coords[0])[0]!);
  });
});

describe('EditDistanceKernel', () => {
  const train = archs(1, 24);

  it('is symmetric positive definite on distinct architectures, with k(a, a) = 1', () => {
    const kernel = new EditDistanceKernel({ rng: new Rng(3) });
    kernel.fit(train);
    const K = kernel.matrix(train);
    const M = new Matrix(K);
    expect(M.isSymmetric()).toBe(true);
    expect(K.every((row, i) => row[i] === 1)).toBe(true);
    const distinct = new ArchitectureSet();
    const unique = train.filter((g) => distinct.add(g));
    kernel.fit(unique);
    const eig = new EigenvalueDecomposition(new Matrix(kernel.matrix(unique)));
    expect(Math.min(...eig.realEigenvalues)).toBeGreaterThan(0);
  });

  it('embeds new points against the same subsets; incremental and from-scratch fits agree', () => {
    const a = new EditDistanceKernel({ seed: 9 });
    const b = new EditDistanceKernel({ seed: 9 });
    a.fit(train.slice(0, 12));
    const extra = train.slice(12);
    const cross = a.matrix(extra, train.slice(0, 12));
    expect(a.fit(train.slice(0, 13))).toBe(false); // 12 -> 13: same shape (4 levels x 3), only extended
    b.fit(train.slice(0, 13));
    expect(a.matrix(train.slice(0, 13))).toEqual(b.matrix(train.slice(0, 13)));
    expect(a.matrix(extra, train.slice(0, 12))).toEqual(cross);
    expect(a.fit(train.slice(1, 14))).toBe(true); // not an extension
  });

  it('decreases with the edit distance for points that are anchors', () => {
    const kernel = new EditDistanceKernel({ seed: 1 });
    const base = baseCnn();
    kernel.fit([base]);
    const [k] = kernel.matrix([base], train.slice(0, 6));
    const d = train.slice(0, 6).map((g) => editDistance(base, g));
    // One coordinate, the distance to `base`: k = exp(-d^2).
    k!.forEach((v, i) => expect(v).toBeCloseTo(Math.exp(-(d[i]! ** 2)), 12));
  });

  it('throws NotFittedError before fit and names bad options', () => {
    expect(() => new EditDistanceKernel().matrix(train)).toThrow(NotFittedError);
    expect(() => new EditDistanceKernel({ lambda: -1 })).toThrow(/`lambda`/);
    expect(() => new EditDistanceKernel().fit([])).toThrow(/`xs`/);
  });
});

describe('ArchitectureSet', () => {
  it('treats architectures within 1e-5 as the same', () => {
    const set = new ArchitectureSet();
    const g = baseCnn();
    expect(set.add(g)).toBe(true);
    expect(set.add(g.clone())).toBe(false);
    expect(set.has(train0())).toBe(false);
    expect(set.size).toBe(1);
  });
});

function train0() {
  return randomArchitecture(new Rng(2), 2);
}
