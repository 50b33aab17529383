import * as tf from '@tensorflow/tfjs';
import { splitIndices, takeRows } from '../../src/data';
import { InputDataError } from '../../src/errors';
import { Rng } from '../../src/util/rng';

describe('splitIndices', () => {
  it('holds out round(n * 0.08333) samples, capped at 500, disjoint and complete', () => {
    const a = splitIndices(1000, { rng: new Rng(1) });
    expect(a.validation.length).toBe(83);
    expect(a.train.length).toBe(917);
    const all = new Set([...a.train, ...a.validation]);
    expect(all.size).toBe(1000);
    expect(splitIndices(60000, { rng: new Rng(1) }).validation.length).toBe(500);
    expect(splitIndices(5, { rng: new Rng(1) }).validation.length).toBe(1);
  });

  it('is seeded: same seed, same split; other seed, other split', () => {
    const a = splitIndices(300, { rng: new Rng(7) });
    const b = splitIndices(300, { rng: new Rng(7) });
    const c = splitIndices(300, { rng: new Rng(8) });
    expect(Array.from(a.validation)).toEqual(Array.from(b.validation));
    expect(Array.from(a.validation)).not.toEqual(Array.from(c.validation));
  });

  it('stratifies by class (largest remainder)', () => {
    const classes = Int32Array.from({ length: 600 }, (_, i) => (i < 300 ? 0 : i < 500 ? 1 : 2));
    const { validation } = splitIndices(600, { rng: new Rng(3), fraction: 0.1, classes });
    const count = [0, 0, 0];
    for (const i of validation) count[classes[i]!]! += 1;
    expect(count).toEqual([30, 20, 10]);
  });

  it('rejects too little data and bad fractions', () => {
    expect(() => splitIndices(1, { rng: new Rng(1) })).toThrow(InputDataError);
    expect(() => splitIndices(10, { rng: new Rng(1), fraction: 1.5 })).toThrow(/validationSplit/);
  });

  it('takeRows gathers rows without leaks', async () => {
    await tf.setBackend('cpu');
    const x = tf.tensor2d([[1], [2], [3]]);
    const before = tf.memory().numTensors;
    const r = takeRows(x, [2, 0]);
    expect(r.arraySync()).toEqual([[3], [1]]);
    r.dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
