import * as tf from '@tensorflow/tfjs';
import { LabelEncoder } from '../../src/data';
import { InputDataError } from '../../src/errors';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('LabelEncoder', () => {
  it('round-trips numbers, sorted numerically', () => {
    const enc = LabelEncoder.fit([10, 2, 2, 33]);
    expect(enc.classes).toEqual([2, 10, 33]);
    const idx = enc.encode([33, 2, 10]);
    expect(Array.from(idx)).toEqual([2, 0, 1]);
    expect(enc.decode(idx)).toEqual([33, 2, 10]);
  });

  it('round-trips strings, and typed arrays and tensors of numbers', () => {
    const enc = LabelEncoder.fit(['dog', 'cat', 'dog']);
    expect(enc.decode(enc.encode(['cat', 'dog']))).toEqual(['cat', 'dog']);
    expect(LabelEncoder.fit(Uint8Array.of(0, 1, 1)).classes).toEqual([0, 1]);
    const t = tf.tensor1d([3, 1], 'int32');
    expect(LabelEncoder.fit(t).classes).toEqual([1, 3]);
    t.dispose();
  });

  it('round-trips one-hot rows to indices and back to one-hot', () => {
    const y = [[0, 1, 0], [1, 0, 0], [0, 0, 1]];
    const enc = LabelEncoder.fit(y);
    expect(enc.numClasses).toBe(3);
    const idx = enc.encode(y);
    expect(Array.from(idx)).toEqual([1, 0, 2]);
    expect(enc.decodeOriginal(idx)).toEqual(y);
    const oh = enc.oneHot(y);
    expect(oh.arraySync()).toEqual(y);
    oh.dispose();
  });

  it('treats [N, 1] as a column of labels', () => {
    expect(LabelEncoder.fit([[4], [5]]).classes).toEqual([4, 5]);
  });

  it('decodes probabilities by argmax', () => {
    const enc = LabelEncoder.fit(['a', 'b']);
    const p = tf.tensor2d([[0.9, 0.1], [0.2, 0.8]]);
    expect(enc.decodeProba(p)).toEqual(['a', 'b']);
    p.dispose();
  });

  it('survives JSON', () => {
    const enc = LabelEncoder.fit(['x', 'y', 'z']);
    const back = LabelEncoder.fromJSON(JSON.parse(JSON.stringify(enc.toJSON())));
    expect(back.classes).toEqual(['x', 'y', 'z']);
    expect(Array.from(back.encode(['z']))).toEqual([2]);
    expect(() => LabelEncoder.fromJSON({ format: 'nope' })).toThrow(InputDataError);
  });

  it('gives typed errors naming the argument', () => {
    expect(() => LabelEncoder.fit([1, 1, 1])).toThrow(/`y`, expected at least two classes. Received: y=1 class \(1\)/);
    expect(() => LabelEncoder.fit(['a', 1] as never)).toThrow(/`y`, expected labels of one type/);
    expect(() => LabelEncoder.fit([1, NaN])).toThrow(/`y`, expected finite values/);
    expect(() => LabelEncoder.fit([[0.5, 0.5], [1, 0]])).toThrow(/one-hot rows/);
    expect(() => LabelEncoder.fit([[[1]]] as never)).toThrow(/`y`, expected labels of shape/);
    const enc = LabelEncoder.fit(['a', 'b']);
    expect(() => enc.encode(['c'], 'yTest')).toThrow(/`yTest`, expected one of the classes seen in fit \("a", "b"\). Received: yTest\[0\]="c"/);
  });
});
