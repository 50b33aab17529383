import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/backend';
import { compileGraph } from '../../src/compile';
import { makeOptimizer } from '../../src/train';
import type { Graph } from '../../src/graph';
import { Rng } from '../../src/util/rng';
import { smallCnn, smallMlp } from '../helpers/graphs';
import { BagOfWordsGenerator, TextCnnGenerator } from '../../src/generators/text';
import { relError } from './parity';

/**
 * max |a - b| / max(max |b|, 1e-3): relative to the weight's scale, floored so that a weight whose gradient is
 * zero by symmetry (a conv bias before batch normalisation) and holds only rounding noise compares absolutely.
 */
function weightError(a: Float32Array, b: Float32Array): number {
  let diff = 0;
  let scale = 1e-3;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / scale;
}

interface StepResult {
  loss: number;
  before: Float32Array[];
  after: Float32Array[];
}

/** One SGD step of the compiled graph on `backend` from the same seeded initial weights, data and dropout masks. */
async function oneStep(graph: Graph, backend: 'wasm' | 'cpu', value: (i: number) => number): Promise<StepResult> {
  await selectBackend(backend, { env: {} });
  // Dropout layers are unseeded (tfjs seeds each mask from Math.random): the same sequence on both backends.
  let state = 12345;
  const random = jest.spyOn(Math, 'random').mockImplementation(() => (state = (state * 16807) % 2147483647) / 2147483647);
  const base = tf.memory().numTensors;
  const model = compileGraph(graph, { rng: new Rng(7) });
  const optimizer = tf.train.sgd(0.1);
  model.compile({ optimizer, loss: 'categoricalCrossentropy' });
  const read = () => model.getWeights().map((w) => (w.dataSync() as Float32Array).slice());
  const n = 4;
  const x = tf.tensor(Float32Array.from({ length: n * graph.inputShape.reduce((a, b) => a * b, 1) }, (_, i) => value(i)), [n, ...graph.inputShape]);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 2, 1], 'int32'), 3));
  const before = read();
  const loss = (await model.trainOnBatch(x, y)) as number;
  const after = read();
  random.mockRestore();
  tf.dispose([x, y]);
  model.dispose();
  optimizer.dispose();
  expect(tf.memory().numTensors).toBe(base);
  return { loss, before, after };
}

const wave = (i: number) => Math.sin(i * 1.7);
/** Token ids of a 50-id vocabulary, 0 (padding) included, some repeated within and across sequences. */
const tokens = (i: number) => (i * 7 + (i % 5) * 3) % 50;
const GRAPHS: Array<[string, () => Graph, (i: number) => number]> = [
  ['1D CNN', () => smallCnn(1, 8), wave],
  ['2D CNN', () => smallCnn(2, 8), wave],
  ['3D CNN', () => smallCnn(3, 4), wave],
  ['MLP', () => smallMlp(), wave],
  // embedding (gather and its gradient), dropout, conv1d, maxpool1d, global max pooling, dense
  ['text CNN (2 blocks)', () => new TextCnnGenerator({ vocabularySize: 50, embeddingDim: 8, filters: 6, blocks: 2, denseUnits: 5 }).generate([12], 3), tokens],
  ['bag of words', () => new BagOfWordsGenerator({ vocabularySize: 50, embeddingDim: 8 }).generate([12], 3), tokens],
];

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('every layer kind trains on wasm as on cpu', () => {
  it.each(GRAPHS)('%s: one step on wasm equals one step on cpu (1e-3)', async (_, make, value) => {
    const graph = make();
    const cpu = await oneStep(graph, 'cpu', value);
    const wasm = await oneStep(graph, 'wasm', value);
    for (const r of [cpu, wasm]) {
      expect(Number.isFinite(r.loss)).toBe(true);
      expect(r.after.some((w, i) => relError(w, r.before[i]!) > 0)).toBe(true);
    }
    expect(Math.abs(wasm.loss - cpu.loss)).toBeLessThan(1e-3 * Math.max(1, Math.abs(cpu.loss)));
    wasm.after.forEach((w, i) => {
      expect({ weight: i, err: weightError(w, cpu.after[i]!) < 1e-3 }).toEqual({ weight: i, err: true });
    });
  });

  it('a few training steps on wasm leave no tensors or wasm buffers behind (our kernels\' scratch included)', async () => {
    await selectBackend('wasm', { env: {} });
    const graph = smallCnn(2, 8);
    const model = compileGraph(graph, { rng: new Rng(1) });
    const optimizer = makeOptimizer({ name: 'adam', learningRate: 1e-3 });
    model.compile({ optimizer, loss: 'categoricalCrossentropy' });
    const x = tf.randomNormal([8, ...graph.inputShape], 0, 1, 'float32', 3);
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32'), 3));
    await model.trainOnBatch(x, y); // creates the optimizer's slots
    const base = tf.memory();
    // Buffers on the wasm heap, the engine's and the raw ones our kernels allocate for scratch.
    const heapBuffers = () => tf.engine().backend.numDataIds();
    const baseHeap = heapBuffers();
    for (let i = 0; i < 3; i++) await model.trainOnBatch(x, y);
    const after = tf.memory();
    expect([after.numTensors, after.numDataBuffers, after.numBytes]).toEqual([base.numTensors, base.numDataBuffers, base.numBytes]);
    expect(heapBuffers()).toBe(baseHeap);
    tf.dispose([x, y]);
    model.dispose();
    optimizer.dispose();
  });
});
