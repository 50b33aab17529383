import * as tf from '@tensorflow/tfjs';
import { makeAugmenter } from '../../src/data';
import { InputDataError } from '../../src/errors';
import { Rng } from '../../src/util/rng';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('makeAugmenter', () => {
  it('returns a new tensor of the same shape, leaking nothing', () => {
    const x = tf.randomUniform([6, 8, 8, 3], 0, 1, 'float32', 1);
    const before = tf.memory().numTensors;
    const out = makeAugmenter({ rng: new Rng(1) })(x);
    expect(out.shape).toEqual([6, 8, 8, 3]);
    expect(out).not.toBe(x);
    expect(tf.memory().numTensors).toBe(before + 1);
    tf.dispose([out, x]);
  });

  it('flips exactly (oracle: reversed rows) and shifts by whole pixels', () => {
    const x = tf.range(0, 12).reshape([1, 3, 4, 1]);
    const flipped = makeAugmenter({ rng: new Rng(1), cropPadding: 0, cutoutRatio: 0, flip: true });
    // Draw until the coin says flip: the result is either x or x mirrored.
    const seen = new Set<string>();
    for (let i = 0; i < 8; i++) {
      const out = flipped(x);
      seen.add(JSON.stringify((out.squeeze().arraySync() as number[][]).map((r) => r.map((v) => Math.round(v * 1e4) / 1e4))));
      out.dispose();
    }
    expect(seen).toEqual(new Set([JSON.stringify([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]), JSON.stringify([[3, 2, 1, 0], [7, 6, 5, 4], [11, 10, 9, 8]])]));
    const shifted = makeAugmenter({ rng: new Rng(2), cropPadding: 2, cutoutRatio: 0, flip: false })(x);
    for (const v of shifted.dataSync()) expect(Math.abs(v - Math.round(v))).toBeLessThan(1e-4);
    tf.dispose([x, shifted]);
  });

  it('cuts out a square of zeros and is reproducible from the seed', () => {
    const x = tf.ones([2, 8, 8, 1]);
    const a = makeAugmenter({ rng: new Rng(5), cropPadding: 0, flip: false, cutoutRatio: 0.5 })(x);
    const b = makeAugmenter({ rng: new Rng(5), cropPadding: 0, flip: false, cutoutRatio: 0.5 })(x);
    const zeros = Array.from(a.dataSync()).filter((v) => v === 0).length;
    expect(zeros).toBeGreaterThan(0);
    expect(zeros).toBeLessThanOrEqual(2 * 16);
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([x, a, b]);
  });

  it('refuses non-image batches', () => {
    const x = tf.zeros([2, 5, 1]);
    expect(() => makeAugmenter({ rng: new Rng(1) })(x)).toThrow(InputDataError);
    x.dispose();
  });
});
