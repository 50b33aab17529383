import * as tf from '@tensorflow/tfjs';
import { compileGraph, readWeights } from '../../src/compile';
import { Graph, graphFromJSON, graphToJSON } from '../../src/graph';
import { Rng } from '../../src/util/rng';
import { smallCnn, smallMlp } from '../helpers/graphs';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('compileGraph / readWeights', () => {
  it.each([1, 2, 3] as const)('round-trips a %iD CNN: graph -> model -> weights -> JSON -> graph -> model, same predictions', (rank) => {
    const base = tf.memory().numTensors;
    const graph = smallCnn(rank, rank === 3 ? 4 : 8);
    const m1 = compileGraph(graph, { rng: new Rng(3) });
    const trained = readWeights(m1, graph);
    expect(trained.hasWeights()).toBe(true);
    const back = graphFromJSON(JSON.parse(JSON.stringify(graphToJSON(trained))));
    const m2 = compileGraph(back, { rng: new Rng(99) });
    const x = tf.randomNormal([2, ...graph.inputShape], 0, 1, 'float32', 1);
    const y1 = m1.predict(x) as tf.Tensor;
    const y2 = m2.predict(x) as tf.Tensor;
    expect(y1.shape).toEqual([2, 3]);
    expect(Array.from(y2.dataSync())).toEqual(Array.from(y1.dataSync()));
    expect(m1.countParams()).toBe(graph.paramCount());
    tf.dispose([x, y1, y2]);
    m1.dispose();
    m2.dispose();
    expect(tf.memory().numTensors).toBe(base);
  });

  it('compiles an MLP with flatten and matches the parameter count', () => {
    const g = smallMlp();
    const m = compileGraph(g);
    expect(m.countParams()).toBe(g.paramCount());
    m.dispose();
  });

  it('draws a new dropout mask at every training step (a seeded tfjs dropout would repeat it)', () => {
    const g = Graph.create([64]);
    g.setOutput(g.addLayer({ kind: 'dropout', rate: 0.5 }, g.input));
    const model = compileGraph(g, { rng: new Rng(1) });
    const layer = model.getLayer(`L${g.layers[0]!.id}`);
    const x = tf.ones([1, 64]);
    const a = layer.apply(x, { training: true }) as tf.Tensor;
    const b = layer.apply(x, { training: true }) as tf.Tensor;
    expect(Array.from(a.dataSync())).not.toEqual(Array.from(b.dataSync()));
    tf.dispose([x, a, b]);
    model.dispose();
  });
});
