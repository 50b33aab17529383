import * as tf from '@tensorflow/tfjs';
import { Normalizer, Preprocessing } from '../../src/data';
import { InputDataError } from '../../src/errors';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('fitting on streams of batches (pipeline case)', () => {
  it('Normalizer.fitBatches equals Normalizer.fit on the concatenation (oracle)', async () => {
    const all = tf.randomUniform([10, 3, 3, 2], 0, 255, 'int32', 5);
    const chunks = [all.slice(0, 3), all.slice(3, 1), all.slice(4, 6)];
    const a = Normalizer.fit(all, true);
    const b = await Normalizer.fitBatches(chunks, true);
    expect(b.scale).toBe(a.scale);
    b.mean.forEach((m, c) => expect(m).toBeCloseTo(a.mean[c]!, 5));
    b.std.forEach((s, c) => expect(s).toBeCloseTo(a.std[c]!, 5));
    tf.dispose([all, ...chunks]);
    await expect(Normalizer.fitBatches([])).rejects.toThrow(InputDataError);
  });

  it('Preprocessing.fitBatches reads a tf.data.Dataset, and mapBatch matches transformX / transformY', async () => {
    const xs = tf.tensor3d(Array.from({ length: 6 * 4 }, (_, i) => (i * 11) % 256), [6, 2, 2], 'int32');
    const ys = tf.tensor1d(['b', 'a', 'c', 'a', 'b', 'c'], 'string');
    const raw = tf.data.zip({ xs: tf.data.array(tf.unstack(xs)), ys: tf.data.array(tf.unstack(ys)) }).batch(4) as tf.data.Dataset<{ xs: tf.Tensor; ys: tf.Tensor }>;
    const prep = await Preprocessing.fitBatches(raw, { task: 'classification' });
    expect(prep.sampleShape).toEqual([2, 2, 1]);
    expect(prep.labels!.classes).toEqual(['a', 'b', 'c']);
    expect(prep.normalizer.scale).toBeCloseTo(1 / 255, 12);
    const whole = Preprocessing.fit(xs, ['b', 'a', 'c', 'a', 'b', 'c'], { task: 'classification' });
    whole.prep.normalizer.mean.forEach((m, c) => expect(prep.normalizer.mean[c]).toBeCloseTo(m, 5));
    const mapped = prep.mapBatch({ xs: xs.slice(0, 2), ys: ys.slice(0, 2) });
    expect(mapped.xs.shape).toEqual([2, 2, 2, 1]);
    expect(mapped.ys.arraySync()).toEqual([[0, 1, 0], [1, 0, 0]]);
    tf.dispose([xs, ys, whole.x, whole.y, mapped.xs, mapped.ys]);
  });

  it('decides the uint8 scaling only after the last batch (float data above 255 stay unscaled)', async () => {
    const batches = [{ xs: tf.fill([2, 2, 2], 3, 'int32'), ys: tf.tensor1d([1, 2]) }, { xs: tf.fill([2, 2, 2], 900.5), ys: tf.tensor1d([3, 4]) }];
    const prep = await Preprocessing.fitBatches(batches, { task: 'regression' });
    expect(prep.normalizer.scale).toBe(1);
    expect(prep.toJSON().targets).toBe(1);
    tf.dispose(batches.flatMap((b) => [b.xs, b.ys]));
  });

  it('names the stream when a batch has another sample shape', async () => {
    const batches = [{ xs: tf.zeros([2, 3, 3]), ys: tf.tensor1d([0, 1]) }, { xs: tf.zeros([2, 4, 4]), ys: tf.tensor1d([0, 1]) }];
    await expect(Preprocessing.fitBatches(batches, { task: 'classification' })).rejects.toThrow(/`batches\.xs`, expected samples of shape \[3, 3, 1\]/);
    tf.dispose(batches.flatMap((b) => [b.xs, b.ys]));
  });
});
