import * as tf from '@tensorflow/tfjs';
import { prepareWasm, registerGradients } from '../../src/backend';
import { stockGradients } from '../../src/backend/gradients';
import { compileGraph } from '../../src/compile';
import { Graph } from '../../src/graph';
import { Rng } from '../../src/util/rng';

beforeAll(async () => {
  prepareWasm();
  registerGradients();
});
afterAll(async () => {
  await tf.setBackend('cpu');
});

const ids = [3, 0, 3, 5, 1, 3, 9, 0]; // repeats: the gradient must sum them
const V = 10;
const D = 6;
const rows = (seed: number, n: number) => Array.from({ length: n * D }, (_, i) => Math.sin(seed * 7.1 + i * 1.3));

async function gatherGradient(backend: string, stock: boolean): Promise<number[]> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const e = tf.tensor2d(rows(1, V), [V, D]);
    const dy = tf.tensor2d(rows(2, ids.length), [ids.length, D]);
    const i = tf.tensor1d(ids, 'int32');
    if (stock) {
      const g = stockGradients.get(tf.GatherV2)!.gradFunc(dy, [e, i], { axis: 0, batchDims: 0 }) as Record<string, () => tf.Tensor>;
      return Array.from(g.x!().dataSync());
    }
    return Array.from(tf.grad((x: tf.Tensor) => tf.gather(x, i).mul(dy).sum())(e).dataSync());
  });
}

describe('embedding gradients', () => {
  it('the scatterND gather gradient equals the stock unsortedSegmentSum one, on cpu and wasm', async () => {
    const reference = await gatherGradient('cpu', true);
    for (const backend of ['cpu', 'wasm']) {
      const got = await gatherGradient(backend, false);
      got.forEach((v, k) => expect(Math.abs(v - reference[k]!)).toBeLessThan(1e-5));
    }
  });

  it('the wasm UnsortedSegmentSum kernel equals the cpu one (ids out of range dropped)', async () => {
    const run = async (backend: string) => {
      await tf.setBackend(backend);
      return tf.tidy(() => Array.from(tf.unsortedSegmentSum(tf.tensor2d(rows(3, ids.length), [ids.length, D]), tf.tensor1d(ids, 'int32'), 7).dataSync()));
    };
    const cpu = await run('cpu');
    const wasm = await run('wasm');
    wasm.forEach((v, k) => expect(Math.abs(v - cpu[k]!)).toBeLessThan(1e-5));
  });

  it('a text network trains on wasm and its weights move (embedding, 1D conv, global max pooling)', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const g = Graph.create([5]);
    let x = g.addLayer({ kind: 'embedding', inputDim: V, outputDim: 4 }, g.input);
    x = g.addLayer({ kind: 'conv', rank: 1, filters: 3, kernelSize: 3, strides: 1, padding: 'same' }, x);
    x = g.addLayer({ kind: 'globalmaxpool' }, x);
    g.setOutput(g.addLayer({ kind: 'dense', units: 1 }, x));
    const model = compileGraph(g, { rng: new Rng(1) });
    model.compile({ optimizer: tf.train.adam(0.05), loss: 'meanSquaredError' });
    const xs = tf.tensor2d([[1, 2, 3, 0, 0], [4, 5, 6, 7, 8], [9, 9, 1, 0, 0], [2, 3, 0, 0, 0]]);
    const ys = tf.tensor2d([[1], [-1], [1], [-1]]);
    const e0 = model.getLayer('L0').getWeights()[0]!.dataSync().slice();
    const h = await model.fit(xs, ys, { epochs: 20, batchSize: 4, verbose: 0 });
    const e1 = model.getLayer('L0').getWeights()[0]!.dataSync();
    expect(e1.some((v, k) => Math.abs(v - e0[k]!) > 1e-3)).toBe(true);
    expect(h.history.loss![19]!).toBeLessThan(h.history.loss![0]! as number);
    tf.dispose([xs, ys]);
    model.optimizer.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
