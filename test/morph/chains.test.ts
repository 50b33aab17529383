import * as tf from '@tensorflow/tfjs';
import type { Graph, WeightTensor } from '../../src/graph';
import { GraphMorpher, structureKey } from '../../src/morph';
import type { MorphOp } from '../../src/morph';
import { BagOfWordsGenerator, CnnGenerator, DenseNetGenerator, MlpGenerator, ResNetGenerator, TextCnnGenerator } from '../../src/generators';
import { Rng } from '../../src/util/rng';
import { compare, mixedCnn, trained, withWeights } from './oracle';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Small limits keep 30-op chains fast on a CPU. */
const morpher = new GraphMorpher({ maxLayers: 90, maxLayerWidth: 24, maxParams: 40000 });

const makers: (() => Graph)[] = [
  () => mixedCnn(2, 8),
  () => new CnnGenerator({ filters: 4, denseUnits: 6 }).generate([8, 8, 1], 3, 'linear'),
  () => new ResNetGenerator({ width: 3 }).generate([8, 8, 1], 2, 'linear'),
  () => new DenseNetGenerator({ growth: 3, blocks: 2, layersPerBlock: 2 }).generate([8, 8, 1], 3, 'linear'),
  () => new MlpGenerator({ units: 6, layers: 2 }).generate([5], 2, 'linear'),
  () => mixedCnn(1, 8),
  () => new TextCnnGenerator({ vocabularySize: 30, embeddingDim: 6, filters: 5, denseUnits: 6, blocks: 2 }).generate([12], 2, 'linear'),
  () => new BagOfWordsGenerator({ vocabularySize: 30, embeddingDim: 5 }).generate([10], 3, 'linear'),
];

/** `steps` random ops, each the first neighbour (n = 1) of the previous graph. */
function randomChain(start: Graph, steps: number, rng: Rng): { graph: Graph; ops: MorphOp[] } {
  let graph = start;
  const ops: MorphOp[] = [];
  for (let i = 0; i < steps; i++) {
    const [child] = morpher.neighbours(graph, rng, 1);
    if (!child) continue;
    graph = child.graph;
    ops.push(child.op);
  }
  return { graph, ops };
}

function weightsOf(g: Graph): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const l of g.layers) {
    const w = (l as { weights?: Record<string, WeightTensor> }).weights;
    for (const [k, t] of Object.entries(w ?? {})) out[`${l.id}.${k}`] = Array.from(t.data);
  }
  return out;
}

describe('chains of 30 random ops', () => {
  it.each(Array.from({ length: 20 }, (_, s) => s))('seed %i: function preserved, replay equals direct, structure-only search replays on the weighted parent', (seed) => {
    const base = tf.memory().numTensors;
    const structure = makers[seed % makers.length]!();
    const parent = withWeights(structure, seed + 1);
    const direct = randomChain(parent, 30, new Rng(seed));
    expect(direct.ops.length).toBeGreaterThan(10);
    expect(compare(parent, direct.graph)).toBeLessThan(1e-4);
    const replayed = morpher.replay(parent, direct.ops);
    expect(structureKey(replayed)).toBe(structureKey(direct.graph));
    expect(weightsOf(replayed)).toEqual(weightsOf(direct.graph));
    const search = randomChain(structure, 30, new Rng(seed));
    expect(search.ops).toEqual(direct.ops);
    expect(search.graph.hasWeights()).toBe(false);
    expect(structureKey(morpher.replay(parent, search.ops))).toBe(structureKey(search.graph));
    expect(tf.memory().numTensors).toBe(base);
  });
});

describe('after the parent was trained a few steps', () => {
  it.each([0, 1, 2, 3, 6, 7])('graph %i: single ops and a 30-op chain preserve the function', async (i) => {
    const base = tf.memory().numTensors;
    const parent = await trained(makers[i]!(), 3, 20 + i);
    expect(parent.hasWeights()).toBe(true);
    for (const child of morpher.neighbours(parent, new Rng(i), 8)) {
      expect(compare(parent, child.graph)).toBeLessThan(1e-4);
    }
    const { graph } = randomChain(parent, 30, new Rng(100 + i));
    expect(compare(parent, graph)).toBeLessThan(1e-4);
    expect(tf.memory().numTensors).toBe(base);
  });
});
