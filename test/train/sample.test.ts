import * as tf from '@tensorflow/tfjs';
import { LabelEncoder, Preprocessing, loadFashionMnistSample, splitIndices, takeRows } from '../../src/data';
import { Graph } from '../../src/graph';
import { trainGraph } from '../../src/train';
import { Rng } from '../../src/util/rng';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('data -> train on the bundled Fashion-MNIST sample', () => {
  it('an MLP beats the 10% majority baseline by far within a few epochs, leaking nothing', async () => {
    const { train } = await loadFashionMnistSample();
    const n = 900;
    const images = { data: train.x.data.subarray(0, n * 784), shape: [n, 28, 28] };
    const labels = train.y.subarray(0, n);
    const before = tf.memory().numTensors;
    const { x, y } = Preprocessing.fit(images, labels, { task: 'classification' });
    const rng = new Rng(11);
    const split = splitIndices(n, { rng, fraction: 0.2, classes: LabelEncoder.fit(labels).encode(labels) });
    const data = { x: takeRows(x, split.train), y: takeRows(y, split.train), xVal: takeRows(x, split.validation), yVal: takeRows(y, split.validation) };
    const g = Graph.create([28, 28, 1]);
    let node = g.addLayer({ kind: 'flatten' }, g.input);
    node = g.addLayer({ kind: 'dense', units: 32 }, node);
    node = g.addLayer({ kind: 'relu' }, node);
    node = g.addLayer({ kind: 'dense', units: 10 }, node);
    g.setOutput(g.addLayer({ kind: 'softmax' }, node));
    const r = await trainGraph(g, data, { task: 'classification', rng, epochs: 4 });
    expect(r.status).toBe('ok');
    expect(r.metric).toBeGreaterThan(0.6);
    tf.dispose([x, y, ...Object.values(data)]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
