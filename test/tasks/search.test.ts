import * as tf from '@tensorflow/tfjs';
import { loadFashionMnistSample } from '../../src/data/sample';
import { ImageClassifier } from '../../src/tasks';

/** The first `n` images and labels of a split. */
function head(split: { x: { data: Uint8Array; shape: number[] }; y: Uint8Array }, n: number) {
  const [, h, w] = split.x.shape as [number, number, number];
  return { x: { data: split.x.data.subarray(0, n * h * w), shape: [n, h, w] }, y: Array.from(split.y.subarray(0, n)) };
}

describe('a short search on the bundled Fashion-MNIST sample (default backend, default architectures)', () => {
  it('beats the majority-class baseline by a wide margin and respects its time limit', async () => {
    const sample = await loadFashionMnistSample();
    const train = head(sample.train, 600);
    const test = head(sample.test, 300);
    const counts = new Map<number, number>();
    test.y.forEach((c) => counts.set(c, (counts.get(c) ?? 0) + 1));
    const majority = Math.max(...counts.values()) / test.y.length;

    const timeLimit = 45;
    const clf = new ImageClassifier({ seed: 1 });
    const started = Date.now();
    await clf.fit(train.x, train.y, { timeLimit });
    const seconds = (Date.now() - started) / 1000;
    const epochSeconds = Math.max(...clf.history.flatMap((t) => (t.epochs > 0 ? [t.seconds / t.epochs] : [0])));
    expect(seconds).toBeLessThan(timeLimit + epochSeconds + 5); // the limit, plus at most one epoch, plus set-up
    const accuracy = await clf.evaluate(test.x, test.y);
    expect(accuracy).toBeGreaterThan(3 * majority); // majority ~0.1 on the stratified sample
    expect(tf.getBackend()).toBe('wasm');
    clf.dispose();
  });
});
