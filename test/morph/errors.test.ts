import * as tf from '@tensorflow/tfjs';
import { ArgumentError, AutoKerasError, GraphError } from '../../src/errors';
import type { Graph, Layer } from '../../src/graph';
import { GraphMorpher, structureKey } from '../../src/morph';
import type { MorphOp } from '../../src/morph';
import { Rng } from '../../src/util/rng';
import { mixedCnn, withWeights } from './oracle';

const morpher = new GraphMorpher();

/** Expects `fn` to throw `type` with a message matching `pattern`, and `graph` (weights too) to be unchanged. */
function rejects(graph: Graph, fn: () => unknown, type: new (...a: never[]) => AutoKerasError, pattern: RegExp): void {
  const before = JSON.stringify([structureKey(graph), graph.layers.map((l) => (l as { weights?: unknown }).weights ? Object.values((l as unknown as { weights: Record<string, { data: Float32Array }> }).weights).map((w) => Array.from(w.data)) : null)]);
  expect(fn).toThrow(type);
  expect(fn).toThrow(pattern);
  const after = JSON.stringify([structureKey(graph), graph.layers.map((l) => (l as { weights?: unknown }).weights ? Object.values((l as unknown as { weights: Record<string, { data: Float32Array }> }).weights).map((w) => Array.from(w.data)) : null)]);
  expect(after).toBe(before);
}

describe('bad input: typed errors, parent unchanged', () => {
  let parent: Graph;
  let chain: Layer[];
  let convs: Layer[];
  let output: Layer;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    const base = tf.memory().numTensors;
    parent = withWeights(mixedCnn(), 3);
    expect(tf.memory().numTensors).toBe(base);
    chain = parent.mainChain().layers;
    convs = chain.filter((l) => l.kind === 'conv');
    output = chain[chain.length - 1]!;
  });

  it('unknown layer ids', () => {
    rejects(parent, () => morpher.deeper(parent, 999, new Rng(1)), GraphError, /Unknown layer id 999/);
    rejects(parent, () => morpher.wider(parent, 999, 2, new Rng(1)), GraphError, /Unknown layer id 999/);
    rejects(parent, () => morpher.addSkip(parent, 999, convs[1]!.id, new Rng(1)), GraphError, /999/);
    rejects(parent, () => morpher.apply(parent, { type: 'deeper', layer: -5, spec: { kind: 'relu' }, seed: 1 }), GraphError, /-5/);
  });

  it('a skip with from at or after to', () => {
    const [a, b] = [convs[0]!.id, convs[1]!.id];
    rejects(parent, () => morpher.addSkip(parent, b, a, new Rng(1)), ArgumentError, /`from`.*before `to`/);
    rejects(parent, () => morpher.concatSkip(parent, a, a, new Rng(1)), ArgumentError, /`from`/);
  });

  it('a skip end in the dense part or on a merge', () => {
    const flatten = chain.find((l) => l.kind === 'flatten')!;
    const add = chain.find((l) => l.kind === 'add')!;
    rejects(parent, () => morpher.addSkip(parent, convs[0]!.id, flatten.id, new Rng(1)), ArgumentError, /`to`/);
    rejects(parent, () => morpher.addSkip(parent, add.id, convs[1]!.id, new Rng(1)), ArgumentError, /`from`/);
  });

  it('widening the output layer, a layer feeding an add, a non-weighted layer, or by a bad n', () => {
    rejects(parent, () => morpher.wider(parent, output.id, 2, new Rng(1)), ArgumentError, /graph output/);
    const intoAdd = parent.layers.find((l) => l.kind === 'conv' && parent.consumers(l.output).some((c) => c.kind === 'relu' && parent.consumers(c.output).some((d) => d.kind === 'add')))!;
    rejects(parent, () => morpher.wider(parent, intoAdd.id, 2, new Rng(1)), ArgumentError, /add/);
    const relu = chain.find((l) => l.kind === 'relu')!;
    rejects(parent, () => morpher.wider(parent, relu.id, 2, new Rng(1)), ArgumentError, /not a conv, dense or embedding/);
    rejects(parent, () => morpher.wider(parent, convs[0]!.id, 0, new Rng(1)), ArgumentError, /`n`.*n=0/);
  });

  it('deeper after a layer that takes none, or with a spec that is not an identity', () => {
    rejects(parent, () => morpher.deeper(parent, output.id, new Rng(1)), ArgumentError, /layerId/);
    const bn = chain.find((l) => l.kind === 'batchnorm')!;
    rejects(parent, () => morpher.deeper(parent, bn.id, new Rng(1), { kind: 'batchnorm', epsilon: 1e-3, momentum: 0.99 }), ArgumentError, /`spec`/);
    const conv = convs[0]!;
    rejects(parent, () => morpher.deeper(parent, chain[1]!.id, new Rng(1), { kind: 'conv', rank: 2, filters: 9, kernelSize: 3, strides: 1, padding: 'same' }), ArgumentError, /4 filters/);
    rejects(parent, () => morpher.deeper(parent, conv.id, new Rng(1), { kind: 'relu' }), ArgumentError, /`spec`/);
    const offChain = parent.layers.find((l) => !chain.includes(l))!;
    rejects(parent, () => morpher.deeper(parent, offChain.id, new Rng(1)), ArgumentError, /main chain/);
  });

  it('an op of unknown type', () => {
    rejects(parent, () => morpher.apply(parent, { type: 'shrink', layer: 1, seed: 1 } as unknown as MorphOp), ArgumentError, /`op`/);
  });
});
