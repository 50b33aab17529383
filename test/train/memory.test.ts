import * as tf from '@tensorflow/tfjs';
import { compileGraph } from '../../src/compile';
import { adaptBatchSize, estimateMemoryBytes, evaluateModel, isOutOfMemoryError, makeOptimizer, predictBatched } from '../../src/train';
import { Rng } from '../../src/util/rng';
import { smallMlp } from '../helpers/graphs';
import { toyClassification } from './toy';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('memory and batch size', () => {
  it('estimates 4 * (3 * params + 2 * batch * activations) bytes (oracle: counted by hand)', () => {
    const g = smallMlp([4, 4, 1], 3);
    // params: dense 16x8+8 = 136, dense 8x3+3 = 27 -> 163. activations per sample: input 16, flatten 16, dense 8, relu 8, dense 3, softmax 3 -> 54.
    expect(g.paramCount()).toBe(163);
    expect(g.activationCount()).toBe(54);
    expect(estimateMemoryBytes(g, 10)).toBe(4 * (3 * 163 + 2 * 10 * 54));
    expect(() => estimateMemoryBytes(g, 0)).toThrow(/batchSize/);
  });

  it('adapts the batch size to small data', () => {
    expect(adaptBatchSize(3000)).toBe(128);
    expect(adaptBatchSize(3000, 512)).toBe(128);
    expect(adaptBatchSize(200)).toBe(20);
    expect(adaptBatchSize(50)).toBe(8);
    expect(adaptBatchSize(5)).toBe(5);
  });

  it('recognises out-of-memory errors of the backends', () => {
    expect(isOutOfMemoryError(new RangeError('Array buffer allocation failed'))).toBe(true);
    expect(isOutOfMemoryError(new Error('OOM when allocating tensor with shape[128,64]'))).toBe(true);
    expect(isOutOfMemoryError(new Error('Requested texture size [9000x9000] greater than WebGL maximum'))).toBe(true);
    expect(isOutOfMemoryError(new Error('Shapes do not match'))).toBe(false);
  });
});

describe('evaluateModel and predictBatched', () => {
  it('match tfjs model.evaluate and model.predict (oracle), leaving no tensors', () => {
    const { x, y } = toyClassification(20, 4);
    const model = compileGraph(smallMlp(), { rng: new Rng(2) });
    model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const [loss, acc] = model.evaluate(x, y, { batchSize: 20 }) as tf.Scalar[];
    const before = tf.memory().numTensors;
    const mine = evaluateModel(model, x, y, 'classification', 7);
    const p = predictBatched(model, x, 7);
    const direct = model.predict(x) as tf.Tensor;
    expect(mine.loss).toBeCloseTo(loss!.dataSync()[0]!, 5);
    expect(mine.metric).toBeCloseTo(acc!.dataSync()[0]!, 6);
    expect(Array.from(p.dataSync())).toEqual(Array.from(direct.dataSync()));
    tf.dispose([p, direct]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([loss!, acc!, x, y]);
    model.dispose();
  });

  it('makes Adam and SGD optimisers and rejects bad settings', () => {
    const a = makeOptimizer();
    const s = makeOptimizer({ name: 'sgd', learningRate: 0.025, momentum: 0.9 });
    expect(a.getClassName()).toBe('Adam');
    expect(s.getClassName()).toBe('Momentum');
    a.dispose();
    s.dispose();
    expect(() => makeOptimizer({ name: 'adam', learningRate: -1 })).toThrow(/learningRate/);
    expect(() => makeOptimizer({ name: 'rmsprop' } as never)).toThrow(/optimizer\.name/);
  });
});
