import * as tf from '@tensorflow/tfjs';
import { ArgumentError } from '../../src/errors';
import { ImageClassifier } from '../../src/tasks';
import { patterns, tinyCnn } from './fixtures';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('fit on a tf.data.Dataset of {xs, ys} batches (the pipeline case)', () => {
  it('fits by streaming, holds out the first batches for validation, predicts labels; no leaked tensors', async () => {
    const train = patterns(120, 1);
    const test = patterns(45, 2);
    const before = tf.memory().numTensors;
    // A generator-backed dataset creates its tensors as it is read, like a real pipeline.
    const dataset = tf.data.generator(function* () {
      for (let i = 0; i < train.x.length; i++) yield { xs: tf.tensor2d(train.x[i]!), ys: tf.scalar(train.labels[i]!) };
    }).batch(16) as tf.data.Dataset<{ xs: tf.Tensor; ys: tf.Tensor }>;
    const clf = new ImageClassifier({ seed: 2, backend: 'cpu', maxTrials: 1, epochsPerTrial: 4, augment: false, generators: [tinyCnn] });
    await clf.fit(dataset, undefined, { timeLimit: 60 });
    expect(clf.classes).toEqual(['flat', 'left', 'top']);
    const predicted = await clf.predict(test.x);
    expect(predicted.every((p) => ['top', 'left', 'flat'].includes(p as string))).toBe(true);
    expect(await clf.evaluate(test.x, test.labels)).toBeGreaterThan(0.6);
    await expect(clf.fit(dataset, train.labels, { timeLimit: 5 })).rejects.toThrow(ArgumentError);
    clf.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
