import { describeGraph, Graph } from '../../src/graph';
import { editDistance, hungarian, layerDistance, skipDistance, skipsDistance } from '../../src/kernel';
import { ArgumentError } from '../../src/errors';
import { Rng } from '../../src/util/rng';
import { addSkip, baseCnn, conv, insertAfter, randomArchitecture } from '../search/fake-morph';

const mainChain = (g: Graph) => g.mainChain().layers;

describe('layerDistance', () => {
  it('is 1 across kinds (and spatial ranks), 0 for equal or parameterless layers', () => {
    expect(layerDistance(conv(8), { kind: 'relu' })).toBe(1);
    expect(layerDistance(conv(8), { ...conv(8), rank: 1 } as never)).toBe(1);
    expect(layerDistance({ kind: 'maxpool', rank: 2, poolSize: 2, strides: 2, padding: 'valid' }, { kind: 'avgpool', rank: 2, poolSize: 2, strides: 2, padding: 'valid' })).toBe(1);
    expect(layerDistance(conv(8), conv(8))).toBe(0);
    expect(layerDistance({ kind: 'dropout', rate: 0.1 }, { kind: 'dropout', rate: 0.5 })).toBe(0);
  });

  it('averages |a-b|/max(a,b) over filters, kernel and stride for conv', () => {
    expect(layerDistance(conv(8), conv(16))).toBeCloseTo(0.5 / 3, 15); // doubled width
    expect(layerDistance(conv(8, 3, 1), conv(16, 5, 2))).toBeCloseTo((0.5 + 2 / 5 + 1 / 2) / 3, 15);
  });

  it('uses kernel, stride and padding (equal or not) for pooling and units for dense', () => {
    const a = { kind: 'maxpool', rank: 2, poolSize: 2, strides: 2, padding: 'valid' } as const;
    const b = { kind: 'maxpool', rank: 2, poolSize: 3, strides: 1, padding: 'same' } as const;
    expect(layerDistance(a, b)).toBeCloseTo((1 / 3 + 1 / 2 + 1) / 3, 15);
    expect(layerDistance({ kind: 'dense', units: 16 }, { kind: 'dense', units: 64 })).toBeCloseTo(0.75, 15);
  });
});

describe('hungarian', () => {
  it('solves a textbook case and rectangular matrices both ways', () => {
    expect(hungarian([[4, 1, 3], [2, 0, 5], [3, 2, 2]])).toEqual({ assignment: [1, 0, 2], cost: 5 });
    expect(hungarian([[1, 9, 2], [9, 1, 9]])).toEqual({ assignment: [0, 1], cost: 2 });
    expect(hungarian([[1, 9], [9, 1], [2, 0]])).toEqual({ assignment: [0, -1, 1], cost: 1 });
    expect(hungarian([])).toEqual({ assignment: [], cost: 0 });
    expect(() => hungarian([[1, NaN]])).toThrow(ArgumentError);
  });

  it('matches brute force over all permutations on random 5x5 matrices', () => {
    const rng = new Rng(7);
    const perms = (n: number): number[][] => (n === 0 ? [[]] : perms(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)])));
    for (let t = 0; t < 20; t++) {
      const c = Array.from({ length: 5 }, () => Array.from({ length: 5 }, () => rng.next()));
      const brute = Math.min(...perms(5).map((p) => p.reduce((s, j, i) => s + c[i]![j]!, 0)));
      expect(hungarian(c).cost).toBeCloseTo(brute, 12);
    }
  });
});

describe('editDistance', () => {
  const base = baseCnn();

  it('is 0 on identical structures, for graphs and descriptors alike', () => {
    expect(editDistance(base, base.clone())).toBe(0);
    expect(editDistance(describeGraph(base), base)).toBe(0);
  });

  it('costs 1 for a deeper op, 1/6 for a doubled conv width, 0.5 for a doubled dense', () => {
    const deeper = base.clone();
    insertAfter(deeper, mainChain(deeper)[0]!.id, { kind: 'relu' });
    expect(editDistance(base, deeper)).toBe(1);
    const wide = base.clone();
    const c = mainChain(wide)[3]!;
    wide.replaceLayer(c.id, conv(16));
    expect(editDistance(base, wide)).toBeCloseTo(1 / 6, 15);
    const dense = base.clone();
    dense.replaceLayer(mainChain(dense)[6]!.id, { kind: 'dense', units: 32 });
    expect(editDistance(base, dense)).toBeCloseTo(0.5, 15);
  });

  it('counts a skip as the add layer (1) plus the unmatched skip (lambda * 1)', () => {
    const skip = base.clone();
    addSkip(skip, mainChain(skip)[3]!.id, mainChain(skip)[4]!.id);
    expect(describeGraph(skip).skips).toEqual([{ u: 4, v: 5, type: 'add' }]);
    expect(editDistance(base, skip)).toBe(2);
    expect(editDistance(base, skip, 0.5)).toBe(1.5);
    expect(() => editDistance(base, skip, -1)).toThrow(/`lambda`/);
  });

  it('matches skips by (|du| + |ds|) / (max u + max s), type mismatch 1, unmatched 1 each', () => {
    expect(skipDistance({ u: 1, v: 4, type: 'add' }, { u: 2, v: 4, type: 'add' })).toBeCloseTo((1 + 1) / (2 + 3), 15);
    expect(skipDistance({ u: 1, v: 4, type: 'add' }, { u: 1, v: 4, type: 'concat' })).toBe(1);
    expect(skipDistance({ u: 0, v: 0, type: 'add' }, { u: 0, v: 0, type: 'add' })).toBe(0);
    const a = [{ u: 1, v: 4, type: 'add' as const }, { u: 5, v: 9, type: 'add' as const }];
    const b = [{ u: 5, v: 8, type: 'add' as const }];
    expect(skipsDistance(a, b)).toBeCloseTo(1 / 9 + 1, 15); // (5,9)~(5,8): (0 + 1) / (5 + 4), plus one unmatched
    expect(skipsDistance([], b)).toBe(1);
  });

  it('matches the textbook recurrence (full matrix, no trimming) on random architectures', () => {
    // Oracle: A[i][j] = min(A[i-1][j] + 1, A[i][j-1] + 1, A[i-1][j-1] + d_l), A[-1][j] = j + 1, A[i][-1] = i + 1.
    const naive = (x: Graph, y: Graph) => {
      const a = describeGraph(x).layers;
      const b = describeGraph(y).layers;
      const A = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
      for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
          A[i]![j] = Math.min(A[i - 1]![j]! + 1, A[i]![j - 1]! + 1, A[i - 1]![j - 1]! + layerDistance(a[i - 1]!, b[j - 1]!));
        }
      }
      return A[a.length]![b.length]!;
    };
    const rng = new Rng(21);
    const graphs = Array.from({ length: 12 }, (_, i) => randomArchitecture(rng, i % 6));
    for (const a of graphs) for (const b of graphs) expect(editDistance(a, b, 0)).toBeCloseTo(naive(a, b), 12);
  });

  it('is symmetric and satisfies the triangle inequality on random architectures', () => {
    const rng = new Rng(11);
    const graphs = Array.from({ length: 14 }, (_, i) => randomArchitecture(rng, 1 + (i % 7)));
    for (const a of graphs) {
      for (const b of graphs) {
        const ab = editDistance(a, b);
        expect(ab).toBeCloseTo(editDistance(b, a), 12);
        for (const c of graphs) expect(editDistance(a, c)).toBeLessThanOrEqual(ab + editDistance(b, c) + 1e-9);
      }
    }
  });
});
