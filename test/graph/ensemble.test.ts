import * as tf from '@tensorflow/tfjs';
import { compileGraph, readWeights } from '../../src/compile';
import { GraphError } from '../../src/errors';
import { Graph } from '../../src/graph';
import { ensembleGraph } from '../../src/graph/ensemble';
import { MemoryTrialStore } from '../../src/tasks/stores';
import { chooseFinalModel } from '../../src/tasks/ensemble';
import type { TrialResult } from '../../src/search/trial';
import { smallCnn, smallMlp } from '../helpers/graphs';
import { withWeights } from '../morph/oracle';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Model outputs of a graph on `x` (inference mode). */
function run(graph: Graph, x: tf.Tensor): Float32Array {
  const model = compileGraph(graph);
  const y = tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync() as Float32Array);
  model.dispose();
  return y;
}

/** A regression MLP (no softmax). */
function linearMlp(): Graph {
  const g = Graph.create([5]);
  let x = g.addLayer({ kind: 'dense', units: 6 }, g.input);
  x = g.addLayer({ kind: 'relu' }, x);
  g.setOutput(g.addLayer({ kind: 'dense', units: 2 }, x));
  return g;
}

describe('ensembleGraph', () => {
  test('classifiers: softmax of the weighted mean of the members\' logits, to 1e-5', () => {
    const a = withWeights(smallCnn(2, 8, 1, 3), 5);
    const b = withWeights(smallCnn(2, 8, 1, 3), 7);
    const c = withWeights(smallCnn(2, 8, 1, 3), 9);
    const x = tf.randomNormal([6, 8, 8, 1], 0, 1, 'float32', 3);
    const [pa, pb, pc] = [a, b, c].map((g) => run(g, x));
    const e = ensembleGraph([a, b, c], [2, 1, 1]);
    const pe = run(e, x);
    for (let r = 0; r < 6; r++) {
      const z = [0, 1, 2].map((j) => 0.5 * Math.log(pa![r * 3 + j]!) + 0.25 * Math.log(pb![r * 3 + j]!) + 0.25 * Math.log(pc![r * 3 + j]!));
      const s = z.reduce((acc, v) => acc + Math.exp(v), 0);
      for (let j = 0; j < 3; j++) expect(pe[r * 3 + j]).toBeCloseTo(Math.exp(z[j]!) / s, 5);
    }
    expect(e.producer(e.output)!.kind).toBe('softmax');
    // Three heads of 5x3 + 3 become one of 15x3 + 3: two biases fewer.
    expect(e.paramCount()).toBe(a.paramCount() + b.paramCount() + c.paramCount() - 2 * 3);
    x.dispose();
  });

  test('regressors: the weighted mean of the outputs; one member is the member itself', () => {
    const a = withWeights(linearMlp(), 1);
    const b = withWeights(linearMlp(), 2);
    const x = tf.randomNormal([4, 5], 0, 1, 'float32', 4);
    const [ya, yb] = [a, b].map((g) => run(g, x));
    const ye = run(ensembleGraph([a, b]), x);
    ye.forEach((v, i) => expect(v).toBeCloseTo((ya![i]! + yb![i]!) / 2, 5));
    const y1 = run(ensembleGraph([a]), x);
    y1.forEach((v, i) => expect(v).toBeCloseTo(ya![i]!, 6));
    x.dispose();
  });

  test('members that do not fit together are GraphErrors; bad arguments are ArgumentErrors', () => {
    const cnn = withWeights(smallCnn(2, 8, 1, 3), 1);
    expect(() => ensembleGraph([cnn, withWeights(smallCnn(2, 8, 1, 4), 2)])).toThrow(/member 1 maps \[8, 8, 1\] -> \[4\]/);
    expect(() => ensembleGraph([cnn, smallCnn(2, 8, 1, 3)])).toThrow(GraphError);
    expect(() => ensembleGraph([cnn, withWeights(linearMlp(), 1)])).toThrow(GraphError);
    expect(() => ensembleGraph([])).toThrow(/`members`, expected a non-empty array of Graphs/);
    expect(() => ensembleGraph([cnn], [0])).toThrow(/`weights`, expected 1 positive finite numbers/);
  });
});

describe('chooseFinalModel', () => {
  const trial = (id: number, metric: number, graph: Graph): TrialResult => ({ id, graph, metric, parentId: null, ops: [], status: 'ok', seconds: 1, epochs: 1, valLoss: NaN } as unknown as TrialResult);

  test('averages members only when that lowers the validation loss; the best trial comes first', async () => {
    // Three networks trained on different halves of a linearly separable problem: their mean beats each.
    const store = new MemoryTrialStore();
    const x = tf.randomNormal([60, 4, 4, 1], 0, 1, 'float32', 11);
    const labels = tf.tidy(() => x.reshape([60, 16]).sum(1).greater(0).toInt());
    const y = tf.oneHot(labels, 2).toFloat();
    const graphs: Graph[] = [];
    for (let i = 0; i < 3; i++) {
      const model = compileGraph(smallMlp([4, 4, 1], 2));
      model.compile({ optimizer: tf.train.adam(0.05), loss: 'categoricalCrossentropy' });
      const idx = tf.tensor1d(Array.from({ length: 20 }, (_, j) => i * 20 + j), 'int32');
      const [xs, ys] = [x.gather(idx), y.gather(idx)];
      await model.fit(xs, ys, { epochs: 5, batchSize: 10, verbose: 0, shuffle: false });
      graphs.push(readWeights(model, smallMlp([4, 4, 1], 2)));
      tf.dispose([idx, xs, ys]);
      model.optimizer.dispose();
      model.dispose();
    }
    const history = graphs.map((g, i) => trial(i, 0.6 + 0.01 * i, g));
    for (const t of history) await store.saveTrial(t, graphs[t.id]);
    const before = tf.memory().numTensors;
    const one = await chooseFinalModel(history, store, x, y, 'classification', 'max', 1);
    expect(one.trialIds).toEqual([2]);
    expect(one.graph).toBe(graphs[2]);
    const choice = await chooseFinalModel(history, store, x, y, 'classification', 'max', 3);
    expect(tf.memory().numTensors).toBe(before);
    expect(choice.trialIds[0]).toBe(2);
    // Each saw a third of the data: the three together validate better than any one.
    expect(choice.trialIds.slice().sort()).toEqual([0, 1, 2]);
    // Whatever was chosen, the returned graph scores what the choice says it scores.
    const p = run(choice.graph, x);
    const truth = labels.dataSync();
    let loss = 0;
    for (let r = 0; r < 60; r++) loss -= Math.log(p[r * 2 + truth[r]!]!);
    expect(choice.valLoss).toBeCloseTo(loss / 60, 4);
    expect(choice.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    const alone = run(graphs[2]!, x);
    let single = 0;
    for (let r = 0; r < 60; r++) single -= Math.log(alone[r * 2 + truth[r]!]!);
    expect(choice.valLoss).toBeLessThan(single / 60);
    // Without validation data, the best trial alone.
    expect((await chooseFinalModel(history, store, undefined, undefined, 'classification', 'max', 3)).trialIds).toEqual([2]);
    tf.dispose([x, y, labels]);
  });
});
