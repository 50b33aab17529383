import * as tf from '@tensorflow/tfjs';
import type { Graph } from '../../src/graph';
import { GraphMorpher, deeperCandidates, deeperOptions, skipPairs, structureKey, widerCandidates } from '../../src/morph';
import type { MorphOp } from '../../src/morph';
import { BagOfWordsGenerator, CnnGenerator, DenseNetGenerator, MlpGenerator, ResNetGenerator, TextCnnGenerator } from '../../src/generators';
import { Rng } from '../../src/util/rng';
import { batch, mixedCnn, predict, relativeError, vectorMlp, withWeights } from './oracle';

const morpher = new GraphMorpher();

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Every deeper option at every candidate, every wider candidate (+1 and doubling), skips on up to `maxPairs` pairs. */
function allOps(graph: Graph, maxPairs = 8): MorphOp[] {
  const ops: MorphOp[] = [];
  let seed = 1;
  for (const l of deeperCandidates(graph)) for (const spec of deeperOptions(graph, l)) ops.push({ type: 'deeper', layer: l.id, spec, seed: seed++ });
  for (const l of widerCandidates(graph)) {
    const w = l.kind === 'conv' ? l.filters : l.kind === 'dense' ? l.units : l.kind === 'embedding' ? l.outputDim : 0;
    ops.push({ type: 'wider', layer: l.id, n: 1, seed: seed++ }, { type: 'wider', layer: l.id, n: w, seed: seed++ });
  }
  const pairs = new Rng(3).shuffle(skipPairs(graph)).slice(0, maxPairs);
  for (const [a, b] of pairs) ops.push({ type: 'addSkip', from: a.id, to: b.id, seed: seed++ }, { type: 'concatSkip', from: a.id, to: b.id, seed: seed++ });
  return ops;
}

const small = {
  cnn: new CnnGenerator({ filters: 4, denseUnits: 6 }),
  resnet: new ResNetGenerator({ width: 3 }),
  densenet: new DenseNetGenerator({ growth: 3, blocks: 2, layersPerBlock: 2 }),
  mlp: new MlpGenerator({ units: 6, layers: 2 }),
  textCnn: new TextCnnGenerator({ vocabularySize: 20, embeddingDim: 5, filters: 4, denseUnits: 6, blocks: 2 }),
  bag: new BagOfWordsGenerator({ vocabularySize: 20, embeddingDim: 4 }),
};

const parents: [string, () => Graph][] = [
  ['mixed 2D CNN', () => mixedCnn(2, 8)],
  ['mixed 1D CNN', () => mixedCnn(1, 8)],
  ['mixed 3D CNN', () => mixedCnn(3, 4)],
  ['vector MLP', () => vectorMlp()],
  ['CnnGenerator 8x8x1', () => small.cnn.generate([8, 8, 1], 3, 'linear')],
  ['ResNetGenerator 8x8x1', () => small.resnet.generate([8, 8, 1], 3, 'linear')],
  ['DenseNetGenerator 8x8x1', () => small.densenet.generate([8, 8, 1], 3, 'linear')],
  ['MlpGenerator [5]', () => small.mlp.generate([5], 2, 'linear')],
  ['MlpGenerator 4x4x1 softmax', () => small.mlp.generate([4, 4, 1], 3, 'softmax')],
  ['TextCnnGenerator [12]', () => small.textCnn.generate([12], 2, 'linear')],
  ['BagOfWordsGenerator [9]', () => small.bag.generate([9], 3, 'softmax')],
];

describe.each(parents)('every single op on the %s', (_name, make) => {
  it('preserves the function to 1e-4, validates, matches the compiled parameter count, and replays structurally', () => {
    const base = tf.memory().numTensors;
    const structure = make();
    const parent = withWeights(structure, 11);
    const before = structureKey(parent);
    const x = batch(parent);
    const expected = predict(parent, x).y;
    const ops = allOps(parent);
    const types = new Set(ops.map((o) => o.type));
    expect(types.has('deeper') && types.has('wider')).toBe(true);
    for (const op of ops) {
      const child = morpher.apply(parent, op);
      child.validate();
      expect(child.hasWeights()).toBe(true);
      const got = predict(child, x);
      expect(got.params).toBe(child.paramCount());
      const err = relativeError(expected, got.y);
      if (!(err < 1e-4)) throw new Error(`${JSON.stringify(op)}: relative error ${err}`);
      const bare = morpher.apply(structure, op);
      expect(bare.hasWeights()).toBe(bare.layers.every((l) => !['conv', 'dense', 'batchnorm', 'embedding'].includes(l.kind)));
      expect(structureKey(bare)).toBe(structureKey(child));
    }
    expect(structureKey(parent)).toBe(before);
    x.dispose();
    expect(tf.memory().numTensors).toBe(base);
  });
});

test('deeper in the dense part offers a same-width dense, a dropout, a relu, and in all-dense graphs a batchnorm over the features', () => {
  const g = small.mlp.generate([5], 2, 'linear');
  const firstDense = g.layers.find((l) => l.kind === 'dense')!;
  expect(deeperOptions(g, firstDense).map((s) => s.kind).sort()).toEqual(['batchnorm', 'dropout']);
  const relu = g.layers.find((l) => l.kind === 'relu')!;
  expect(deeperOptions(g, relu).map((s) => s.kind).sort()).toEqual(['batchnorm', 'dense', 'dropout']);
  // A CNN's dense part: no batchnorm there.
  const cnn = small.cnn.generate([8, 8, 1], 3, 'softmax');
  const denseRelu = cnn.layers.filter((l) => l.kind === 'relu').pop()!;
  expect(deeperOptions(cnn, denseRelu).map((s) => s.kind).sort()).toEqual(['dense', 'dropout']);
});

describe('skips on every strided path', () => {
  it('repeats pooling and strided convs so the skip shapes match', () => {
    const g = small.resnet.generate([8, 8, 1], 3, 'linear');
    for (const [a, b] of skipPairs(g)) {
      for (const type of ['addSkip', 'concatSkip'] as const) {
        const child = morpher.apply(g, { type, from: a.id, to: b.id, seed: 1 });
        child.validate();
        expect(child.outputShape).toEqual([3]);
      }
    }
  });
});

describe('text networks take every morph kind', () => {
  it('the text CNN: deeper 1D convs after the embedding, wider embedding / convs / dense, skips between 1D layers', () => {
    const g = small.textCnn.generate([12], 2, 'softmax');
    const embedding = g.layers.find((l) => l.kind === 'embedding')!;
    expect(widerCandidates(g).map((l) => l.kind)).toEqual(expect.arrayContaining(['embedding', 'conv', 'dense']));
    expect(deeperOptions(g, embedding).map((s) => (s.kind === 'conv' ? `conv${s.rank}d` : s.kind))).toContain('conv1d');
    expect(skipPairs(g).length).toBeGreaterThan(3);
    const bag = small.bag.generate([9], 3, 'softmax');
    expect(widerCandidates(bag).map((l) => l.kind)).toEqual(['embedding']);
  });
});
