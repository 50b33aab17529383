import * as tf from '@tensorflow/tfjs';
import { compileGraph } from '../../src/compile';
import { dropoutMask, useSeededDropout } from '../../src/compile/seeded-dropout';
import { MlpGenerator } from '../../src/generators';
import { Rng } from '../../src/util/rng';

describe('useSeededDropout', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  const masks = (seed: number) => {
    const layer = tf.layers.dropout({ rate: 0.5 });
    useSeededDropout(layer, new Rng(seed));
    const x = tf.ones([1, 256]);
    const out = [0, 1].map(() => tf.tidy(() => Array.from((layer.apply(x, { training: true }) as tf.Tensor).dataSync())));
    const inference = tf.tidy(() => Array.from((layer.apply(x) as tf.Tensor).dataSync()));
    x.dispose();
    return { out, inference };
  };

  it('draws the masks from the Rng: the same seed repeats them, each step draws a new one, inference is the identity', () => {
    const base = tf.memory().numTensors;
    const a = masks(3);
    const b = masks(3);
    const c = masks(4);
    expect(a.out).toEqual(b.out);
    expect(a.out[0]).not.toEqual(a.out[1]);
    expect(c.out[0]).not.toEqual(a.out[0]);
    expect(new Set(a.out[0])).toEqual(new Set([0, 2]));
    expect(a.inference.every((v) => v === 1)).toBe(true);
    expect(tf.memory().numTensors).toBe(base);
  });

  it('makes training of a compiled graph with dropout reproducible from its Rng; the layer stays a plain Dropout', async () => {
    const graph = new MlpGenerator({ layers: 2, dropout: 0.5 }).generate([16], 3, 'softmax');
    const x = tf.randomNormal([64, 16], 0, 1, 'float32', 7);
    const y = tf.oneHot(tf.tensor1d(Array.from({ length: 64 }, (_, i) => i % 3), 'int32'), 3);
    const train = async (seed: number) => {
      const model = compileGraph(graph, { rng: new Rng(seed) });
      model.compile({ optimizer: tf.train.sgd(0.5), loss: 'categoricalCrossentropy' });
      await model.fit(x, y, { batchSize: 16, epochs: 2, shuffle: false, verbose: 0 });
      const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
      const classes = model.layers.map((l) => l.getClassName());
      model.dispose();
      return { weights, classes };
    };
    const a = await train(1);
    const b = await train(1);
    expect(a.weights).toEqual(b.weights);
    expect(a.classes.filter((c) => c === 'Dropout').length).toBe(2);
    tf.dispose([x, y]);
  });

  it('dropoutMask is the sfc32 stream of four words of the Rng, thresholded: 1 / (1 - rate) kept, 0 dropped, about rate dropped', () => {
    for (const rate of [0.25, 0.5, 0.9]) {
      const mask = dropoutMask(20000, rate, new Rng(5));
      const words = new Rng(5);
      const reference = Rng.fromState([words.nextUint32(), words.nextUint32(), words.nextUint32(), words.nextUint32()]);
      const threshold = Math.floor(rate * 4294967296);
      const expected = Float32Array.from({ length: 20000 }, () => (reference.nextUint32() >= threshold ? 1 / (1 - rate) : 0));
      expect(mask).toEqual(expected);
      const dropped = mask.filter((v) => v === 0).length / mask.length;
      expect(Math.abs(dropped - rate)).toBeLessThan(0.02);
    }
  });
});
