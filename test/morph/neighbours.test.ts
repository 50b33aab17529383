import { ArgumentError } from '../../src/errors';
import type { Graph } from '../../src/graph';
import { GraphMorpher, limitViolation, structureKey } from '../../src/morph';
import type { NeighbourFn } from '../../src/search/types';
import { CnnGenerator, MlpGenerator } from '../../src/generators';
import { Rng } from '../../src/util/rng';
import { mixedCnn } from './oracle';

const cnn = () => new CnnGenerator({ filters: 4, denseUnits: 6 }).generate([8, 8, 1], 3, 'linear');

describe('GraphMorpher.neighbours', () => {
  it('fits NeighbourFn and gives up to 8 distinct, valid children that differ from the parent', () => {
    const morpher = new GraphMorpher();
    const fn: NeighbourFn = (g, rng) => morpher.neighbours(g, rng);
    const parent = mixedCnn();
    const kids = fn(parent, new Rng(1));
    expect(kids.length).toBeGreaterThan(0);
    expect(kids.length).toBeLessThanOrEqual(8);
    const keys = kids.map((k) => structureKey(k.graph));
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).not.toContain(structureKey(parent));
    for (const k of kids) {
      k.graph.validate();
      expect(structureKey(morpher.apply(parent, k.op))).toBe(structureKey(k.graph));
    }
  });

  it('gives the same children (ops and structures) for the same seed, others for another seed', () => {
    const morpher = new GraphMorpher();
    const parent = cnn();
    const a = morpher.neighbours(parent, new Rng(7), 8);
    const b = morpher.neighbours(parent, new Rng(7), 8);
    const c = morpher.neighbours(parent, new Rng(8), 8);
    expect(b.map((k) => k.op)).toEqual(a.map((k) => k.op));
    expect(b.map((k) => structureKey(k.graph))).toEqual(a.map((k) => structureKey(k.graph)));
    expect(c.map((k) => k.op)).not.toEqual(a.map((k) => k.op));
  });

  it('uses all three families over many draws, and at most 2n attempts', () => {
    const morpher = new GraphMorpher();
    const types = new Set<string>();
    for (let s = 0; s < 10; s++) for (const k of morpher.neighbours(mixedCnn(), new Rng(s), 8)) types.add(k.op.type);
    expect([...types].sort()).toEqual(['addSkip', 'concatSkip', 'deeper', 'wider']);
    expect(morpher.neighbours(mixedCnn(), new Rng(1), 0)).toEqual([]);
    // An MLP has one deeper spot per kind and two wider layers: fewer than 8 distinct children exist.
    const mlp = new MlpGenerator({ layers: 1, units: 4 }).generate([3], 2, 'linear');
    expect(morpher.neighbours(mlp, new Rng(1), 8).length).toBeLessThan(8);
  });

  it('drops children over the limits: no layers to spare -> only wider; no parameters to spare -> none', () => {
    const parent = cnn();
    const noLayers = new GraphMorpher({ maxLayers: parent.size });
    const kids = noLayers.neighbours(parent, new Rng(3), 8);
    expect(kids.length).toBeGreaterThan(0);
    expect(kids.every((k) => k.op.type === 'wider' && k.graph.size <= parent.size)).toBe(true);
    const noParams = new GraphMorpher({ maxParams: parent.paramCount() });
    const few = noParams.neighbours(parent, new Rng(3), 8);
    expect(few.every((k) => k.graph.paramCount() <= parent.paramCount())).toBe(true);
    const narrow = new GraphMorpher({ maxLayerWidth: 5 });
    for (const k of narrow.neighbours(parent, new Rng(4), 8)) expect(limitViolation(k.graph, narrow.limits)).toBeNull();
  });

  it('caps wider at maxLayerWidth (doubling when room allows)', () => {
    const morpher = new GraphMorpher({ maxLayerWidth: 6 });
    for (let s = 0; s < 5; s++) {
      for (const k of morpher.neighbours(cnn(), new Rng(s), 8)) {
        if (k.op.type === 'wider') expect(k.op.n).toBeLessThanOrEqual(2);
      }
    }
  });

  it('single-op methods throw ArgumentError over the limits', () => {
    const parent: Graph = cnn();
    const tight = new GraphMorpher({ maxLayers: parent.size });
    expect(() => tight.deeper(parent, parent.mainChain().layers[2]!.id, new Rng(1))).toThrow(ArgumentError);
    const conv = parent.layers.find((l) => l.kind === 'conv')!;
    expect(() => new GraphMorpher({ maxLayerWidth: 4 }).wider(parent, conv.id, 1, new Rng(1))).toThrow(/maxLayerWidth/);
    expect(() => new GraphMorpher({ maxParams: parent.paramCount() }).wider(parent, conv.id, 1, new Rng(1))).toThrow(/maxParams/);
  });

  it('rejects bad options', () => {
    expect(() => new GraphMorpher({ maxLayers: 0 })).toThrow(/maxLayers/);
    expect(() => new GraphMorpher({ noiseRatio: -1 })).toThrow(/noiseRatio/);
    expect(() => new GraphMorpher().neighbours(cnn(), new Rng(1), -1)).toThrow(/`n`/);
  });
});
