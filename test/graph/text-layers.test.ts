import * as tf from '@tensorflow/tfjs';
import { compileGraph, readWeights } from '../../src/compile';
import { GraphError } from '../../src/errors';
import { Graph, graphFromJSON, graphToJSON } from '../../src/graph';
import { layerDistance } from '../../src/kernel';
import { Rng } from '../../src/util/rng';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function textGraph(): Graph {
  const g = Graph.create([7]);
  let x = g.addLayer({ kind: 'embedding', inputDim: 12, outputDim: 4 }, g.input);
  x = g.addLayer({ kind: 'conv', rank: 1, filters: 3, kernelSize: 3, strides: 1, padding: 'same' }, x);
  x = g.addLayer({ kind: 'maxpool', rank: 1, poolSize: 2, strides: 2, padding: 'valid' }, x);
  x = g.addLayer({ kind: 'globalmaxpool' }, x);
  g.setOutput(g.addLayer({ kind: 'dense', units: 2 }, x));
  return g;
}

describe('embedding and globalmaxpool in the Graph IR', () => {
  it('infer shapes and parameter counts, and compile to tfjs with the same weights', () => {
    const before = tf.memory().numTensors;
    const g = textGraph();
    expect(g.nodeShape(1)).toEqual([7, 4]);
    expect(g.outputShape).toEqual([2]);
    expect(g.paramCount()).toBe(12 * 4 + (3 * 4 + 1) * 3 + 4 * 2);
    const model = compileGraph(g, { rng: new Rng(2) });
    expect(model.countParams()).toBe(g.paramCount());
    const weighted = readWeights(model, g);
    const x = tf.tensor2d([[1, 2, 3, 4, 0, 0, 0], [11, 10, 1, 1, 1, 1, 1]]);
    const y1 = model.predict(x) as tf.Tensor;
    // Through JSON and a fresh compile: identical outputs (the globalmaxpool of the conv features, the ids' embedding rows).
    const again = compileGraph(graphFromJSON(JSON.parse(JSON.stringify(graphToJSON(weighted, true)))), { rng: new Rng(9) });
    const y2 = again.predict(x) as tf.Tensor;
    expect(Array.from(y2.dataSync())).toEqual(Array.from(y1.dataSync()));
    tf.dispose([x, y1, y2]);
    model.dispose(); again.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('reject inputs of the wrong rank with a GraphError', () => {
    const img = Graph.create([4, 4, 1]);
    expect(() => img.addLayer({ kind: 'embedding', inputDim: 5, outputDim: 2 }, img.input)).toThrow(GraphError);
    const vec = Graph.create([4]);
    expect(() => vec.addLayer({ kind: 'globalmaxpool' }, vec.input)).toThrow(/globalmaxpool expects spatial axes/);
    expect(() => vec.addLayer({ kind: 'embedding', inputDim: 0, outputDim: 2 }, vec.input)).toThrow(/inputDim/);
  });

  it('the layer distance compares embeddings by vocabulary and width', () => {
    const a = { kind: 'embedding' as const, inputDim: 100, outputDim: 32 };
    expect(layerDistance(a, a)).toBe(0);
    expect(layerDistance(a, { ...a, outputDim: 64 })).toBeGreaterThan(0);
    expect(layerDistance(a, { kind: 'globalmaxpool' })).toBe(1);
  });
});
