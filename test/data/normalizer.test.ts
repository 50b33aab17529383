import * as tf from '@tensorflow/tfjs';
import { Normalizer, Preprocessing } from '../../src/data';
import { InputDataError } from '../../src/errors';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('Normalizer', () => {
  it('scales uint8-looking data by 1/255 then standardises each channel (oracle: hand-computed)', () => {
    // channel 0: 0, 255 -> scaled 0, 1 -> mean 0.5, std 0.5; channel 1: 51, 51 -> constant -> std 1.
    const x = tf.tensor4d([0, 51, 255, 51], [2, 1, 1, 2]);
    const norm = Normalizer.fit(x, true);
    expect(norm.scale).toBeCloseTo(1 / 255, 12);
    expect(norm.mean[0]).toBeCloseTo(0.5, 6);
    expect(norm.std[0]).toBeCloseTo(0.5, 6);
    expect(norm.mean[1]).toBeCloseTo(0.2, 6);
    expect(norm.std[1]).toBe(1);
    const out = norm.transform(x);
    const v = Array.from(out.dataSync());
    expect(v[0]).toBeCloseTo(-1, 5);
    expect(v[2]).toBeCloseTo(1, 5);
    expect(v[1]).toBeCloseTo(0, 5);
    tf.dispose([x, out]);
  });

  it('keeps float data in [0, 1] unscaled and applies the same transform after JSON', () => {
    const x = tf.tensor4d([0.1, 0.5, 0.9, 0.3], [4, 1, 1, 1]);
    const norm = Normalizer.fit(x);
    expect(norm.scale).toBe(1);
    const back = Normalizer.fromJSON(JSON.parse(JSON.stringify(norm.toJSON())));
    const a = norm.transform(x);
    const b = back.transform(x);
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([x, a, b]);
    expect(() => Normalizer.fromJSON({})).toThrow(InputDataError);
  });

  it('rejects data with a different channel count', () => {
    const x = tf.zeros([1, 2, 2, 1]);
    const norm = Normalizer.fit(x);
    const rgb = tf.zeros([1, 2, 2, 3]);
    expect(() => norm.transform(rgb)).toThrow(/`x`, expected 1 channels/);
    tf.dispose([x, rgb]);
  });
});

describe('Preprocessing', () => {
  it('fits on uint8 images and labels, transforms new data identically, decodes outputs, round-trips JSON', () => {
    const before = tf.memory().numTensors;
    const images = { data: Uint8Array.from({ length: 4 * 9 }, (_, i) => (i * 7) % 256), shape: [4, 3, 3] };
    const { prep, x, y } = Preprocessing.fit(images, ['b', 'a', 'b', 'c'], { task: 'classification' });
    expect(x.shape).toEqual([4, 3, 3, 1]);
    expect(y.arraySync()).toEqual([[0, 1, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    const again = Preprocessing.fromJSON(JSON.parse(JSON.stringify(prep.toJSON())));
    const x2 = again.transformX(images);
    expect(Array.from(x2.dataSync())).toEqual(Array.from(x.dataSync()));
    const p = tf.tensor2d([[0.1, 0.2, 0.7]]);
    expect(again.decode(p)).toEqual(['c']);
    expect(() => again.transformX({ data: new Uint8Array(16), shape: [1, 4, 4] }, 'xTest')).toThrow(/`xTest`, expected samples of shape \[3, 3, 1\]/);
    tf.dispose([x, y, x2, p]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('names y when lengths differ and frees everything', () => {
    const before = tf.memory().numTensors;
    expect(() => Preprocessing.fit({ data: new Float32Array(8), shape: [2, 2, 2] }, [1, 2, 3], { task: 'regression' })).toThrow(/`y`, expected as many samples as `x` \(2\)/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('handles regression targets', () => {
    const { prep, x, y } = Preprocessing.fit([[[0.5]], [[0.25]]], [1.5, 2.5], { task: 'regression' });
    expect(y.shape).toEqual([2, 1]);
    expect(prep.toJSON().targets).toBe(1);
    expect(() => prep.transformY([[1, 2]])).toThrow(/1 target\(s\) per sample/);
    tf.dispose([x, y]);
  });
});
