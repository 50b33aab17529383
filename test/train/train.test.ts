import * as tf from '@tensorflow/tfjs';
import { InputDataError } from '../../src/errors';
import { Graph } from '../../src/graph';
import { compileGraph } from '../../src/compile';
import { evaluateModel, trainGraph } from '../../src/train';
import type { TrainData } from '../../src/train';
import { Rng } from '../../src/util/rng';
import { smallCnn, smallMlp } from '../helpers/graphs';
import { toyClassification } from './toy';

let data: TrainData;
beforeAll(async () => {
  await tf.setBackend('cpu');
  const train = toyClassification(150, 1);
  const val = toyClassification(30, 2);
  data = { x: train.x, y: train.y, xVal: val.x, yVal: val.y };
});
afterAll(() => tf.dispose(Object.values(data) as tf.Tensor[]));

describe('trainGraph', () => {
  it('learns a toy problem: loss falls, best weights kept, no tensor leaked', async () => {
    const before = tf.memory().numTensors;
    const epochs: number[] = [];
    const r = await trainGraph(smallMlp(), data, { task: 'classification', rng: new Rng(3), epochs: 8, optimizer: { name: 'adam', learningRate: 0.01 }, onEpochEnd: (l) => epochs.push(l.epoch) });
    expect(tf.memory().numTensors).toBe(before);
    expect(r.status).toBe('ok');
    expect(r.stoppedBy).toBe('epochs');
    expect(epochs).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(r.history[7]!.loss).toBeLessThan(r.history[0]!.loss * 0.8);
    expect(r.metric).toBeGreaterThan(0.8);
    expect(r.metric).toBe(r.history[r.bestEpoch - 1]!.valMetric);
    expect(r.valLoss).toBe(r.history[r.bestEpoch - 1]!.valLoss);
    expect(r.graph.hasWeights()).toBe(true);
    expect(r.batchSize).toBe(15);
    // Oracle: the returned graph, compiled afresh, scores exactly the best epoch's validation loss.
    const model = compileGraph(r.graph);
    const again = evaluateModel(model, data.xVal!, data.yVal!, 'classification');
    model.dispose();
    expect(again.loss).toBeCloseTo(r.valLoss, 5);
    expect(again.metric).toBe(r.metric);
  });

  it('is reproducible from the seed', async () => {
    const a = await trainGraph(smallMlp(), data, { task: 'classification', rng: new Rng(9), epochs: 2 });
    const b = await trainGraph(smallMlp(), data, { task: 'classification', rng: new Rng(9), epochs: 2 });
    expect(b.history.map((h) => h.valLoss)).toEqual(a.history.map((h) => h.valLoss));
  });

  it('stops early when the validation loss stops improving (patience) and restores the best epoch', async () => {
    const r = await trainGraph(smallMlp(), data, { task: 'classification', rng: new Rng(3), epochs: 20, patience: 2, optimizer: { name: 'sgd', learningRate: 1e-9, momentum: 0 } });
    expect(r.stoppedBy).toBe('patience');
    expect(r.epochs).toBe(3);
    expect(r.bestEpoch).toBe(1);
    expect(r.status).toBe('ok');
  });

  it('respects the deadline per batch and still reports its best epoch', async () => {
    const x = tf.randomNormal([96, 8, 8, 1], 0, 1, 'float32', 1);
    const y = tf.oneHot(tf.tensor1d(Array.from({ length: 96 }, (_, i) => i % 3), 'int32'), 3).toFloat();
    const before = tf.memory().numTensors;
    const start = Date.now();
    const r = await trainGraph(smallCnn(), { x, y, xVal: x.slice(0, 16), yVal: y.slice(0, 16) }, { task: 'classification', rng: new Rng(1), epochs: 1000, deadline: start + 300, augment: true });
    const elapsed = Date.now() - start;
    expect(r.stoppedBy).toBe('deadline');
    expect(r.status).toBe('ok');
    expect(r.bestEpoch).toBeGreaterThanOrEqual(1);
    expect(Number.isFinite(r.metric)).toBe(true);
    expect(elapsed).toBeLessThan(300 + 3000); // deadline + at most one batch and one small validation pass, with slack for a busy machine
    expect(tf.memory().numTensors).toBe(before + 2); // only the two slices above
    const late = await trainGraph(smallMlp([8, 8, 1]), { x, y }, { task: 'classification', rng: new Rng(1), deadline: Date.now() - 1 });
    expect(late.status).toBe('failed');
    expect(late.epochs).toBe(0);
    expect(late.stoppedBy).toBe('deadline');
    tf.dispose([x, y]);
  });

  it('reports a NaN loss as a failed trial, not a throw', async () => {
    const g = smallMlp();
    const dense = g.layers.find((l) => l.kind === 'dense')!;
    g.setWeights(dense.id, { kernel: { shape: [16, 8], data: new Float32Array(128).fill(NaN) }, bias: { shape: [8], data: new Float32Array(8) } });
    const before = tf.memory().numTensors;
    const r = await trainGraph(g, data, { task: 'classification', rng: new Rng(1), epochs: 3 });
    expect(r.status).toBe('failed');
    expect(r.stoppedBy).toBe('failed');
    expect(r.error).toMatch(/loss became NaN/);
    expect(r.metric).toBeNaN();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('halves the batch and retries once on out-of-memory, then fails', async () => {
    let calls = 0;
    const flaky = (b: tf.Tensor) => {
      if (calls++ === 0) throw new RangeError('Array buffer allocation failed');
      return b.clone();
    };
    const before = tf.memory().numTensors;
    const r = await trainGraph(smallMlp(), data, { task: 'classification', rng: new Rng(1), epochs: 1, batchSize: 16, augment: flaky });
    expect(r.status).toBe('ok');
    expect(r.retries).toBe(1);
    expect(r.batchSize).toBe(7); // 16 adapted to 15 for 150 samples, then halved
    const always = () => { throw new Error('OOM when allocating tensor'); };
    const f = await trainGraph(smallMlp(), data, { task: 'classification', rng: new Rng(1), epochs: 1, augment: always });
    expect(f.status).toBe('failed');
    expect(f.error).toMatch(/Out of memory/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('trains regression, monitors the training loss without validation data, reports test data only', async () => {
    const x = tf.randomUniform([60, 4, 4, 1], -1, 1, 'float32', 2);
    const y = tf.tidy(() => x.reshape([60, 16]).sum(1, true).mul(0.5));
    const reg = Graph.create([4, 4, 1]);
    let node = reg.addLayer({ kind: 'flatten' }, reg.input);
    node = reg.addLayer({ kind: 'dense', units: 8 }, node);
    node = reg.addLayer({ kind: 'relu' }, node);
    reg.setOutput(reg.addLayer({ kind: 'dense', units: 1 }, node));
    const r = await trainGraph(reg, { x, y, xTest: x, yTest: y }, { task: 'regression', rng: new Rng(1), epochs: 6 });
    expect(r.status).toBe('ok');
    expect(r.history[5]!.loss).toBeLessThan(r.history[0]!.loss);
    expect(r.history[0]!.valLoss).toBeNaN();
    expect(r.metric).toBe(r.history[r.bestEpoch - 1]!.testMetric);
    tf.dispose([x, y]);
  });

  it('stops on abort and names bad tensors', async () => {
    const controller = new AbortController();
    controller.abort();
    const r = await trainGraph(smallMlp(), data, { task: 'classification', rng: new Rng(1), signal: controller.signal });
    expect(r.stoppedBy).toBe('aborted');
    const yBad = tf.zeros([30, 4]);
    await expect(trainGraph(smallMlp(), { ...data, yVal: yBad }, { task: 'classification', rng: new Rng(1) })).rejects.toThrow(InputDataError);
    await expect(trainGraph(smallMlp(), { ...data, yVal: yBad }, { task: 'classification', rng: new Rng(1) })).rejects.toThrow(/`yVal`, expected targets of shape \[N, 3\]/);
    await expect(trainGraph(smallMlp(), { x: data.x, y: data.y, xVal: data.xVal }, { task: 'classification', rng: new Rng(1) })).rejects.toThrow(/`yVal` is missing/);
    yBad.dispose();
  });
});

describe('trainGraph on a stream of batches', () => {
  it('trains from a tf.data.Dataset, disposing every batch it pulls', async () => {
    const { x, y } = data as { x: tf.Tensor; y: tf.Tensor };
    const before = tf.memory().numTensors;
    const batches = tf.data.zip({ xs: tf.data.array(tf.unstack(x)), ys: tf.data.array(tf.unstack(y)) }).shuffle(150, '1').batch(16) as tf.data.Dataset<{ xs: tf.Tensor; ys: tf.Tensor }>;
    const r = await trainGraph(smallMlp(), { batches, xVal: data.xVal, yVal: data.yVal }, { task: 'classification', rng: new Rng(3), epochs: 4, optimizer: { name: 'adam', learningRate: 0.01 } });
    expect(r.status).toBe('ok');
    expect(r.history[3]!.loss).toBeLessThan(r.history[0]!.loss);
    expect(r.metric).toBeGreaterThan(0.6);
    // Only the unstacked rows that the dataset holds remain (150 + 150), no batch tensors.
    expect(tf.memory().numTensors).toBe(before + 300);
  });

  it('names `batches` for a bad batch or an empty epoch', async () => {
    const bad = () => [{ xs: tf.zeros([2, 5, 5, 1]), ys: tf.zeros([2, 3]) }];
    await expect(trainGraph(smallMlp(), { batches: bad }, { task: 'classification', rng: new Rng(1), epochs: 1 })).rejects.toThrow(/`batches\.xs`, expected samples of shape \[4, 4, 1\]/);
    await expect(trainGraph(smallMlp(), { batches: () => [] }, { task: 'classification', rng: new Rng(1), epochs: 1 })).rejects.toThrow(/`batches`, expected at least one batch per epoch/);
    await expect(trainGraph(smallMlp(), { batches: 3 as never }, { task: 'classification', rng: new Rng(1) })).rejects.toThrow(/`batches`, expected a tf\.data\.Dataset/);
  });
});
