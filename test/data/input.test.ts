import * as tf from '@tensorflow/tfjs';
import { checkSameLength, toInputTensor, toTargetTensor } from '../../src/data';
import { InputDataError } from '../../src/errors';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('toInputTensor', () => {
  it('adds a channel axis to [N, H, W] and keeps [N, H, W, C]', () => {
    const a = toInputTensor({ data: new Uint8Array(2 * 3 * 4), shape: [2, 3, 4] });
    expect(a.x.shape).toEqual([2, 3, 4, 1]);
    expect(a.x.dtype).toBe('float32');
    expect(a.integer).toBe(true);
    const b = toInputTensor(tf.zeros([2, 3, 4, 3]));
    expect(b.x.shape).toEqual([2, 3, 4, 3]);
    expect(b.integer).toBe(false);
    tf.dispose([a.x, b.x]);
  });

  it('accepts nested arrays and the other ranks', () => {
    const nested = toInputTensor([[[1, 2], [3, 4]]]);
    expect(nested.x.shape).toEqual([1, 2, 2, 1]);
    expect(Array.from(nested.x.dataSync())).toEqual([1, 2, 3, 4]);
    const seq = toInputTensor({ data: new Float32Array(10), shape: [2, 5] }, { rank: 1 });
    expect(seq.x.shape).toEqual([2, 5, 1]);
    const vol = toInputTensor({ data: new Float32Array(16), shape: [2, 2, 2, 2] }, { rank: 3 });
    expect(vol.x.shape).toEqual([2, 2, 2, 2, 1]);
    const vec = toInputTensor([[1, 2, 3]], { rank: 0 });
    expect(vec.x.shape).toEqual([1, 3]);
    tf.dispose([nested.x, seq.x, vol.x, vec.x]);
  });

  it('names the argument for a wrong rank, ragged arrays, NaN and empty batches', () => {
    expect(() => toInputTensor({ data: new Float32Array(4), shape: [4] })).toThrow(InputDataError);
    expect(() => toInputTensor({ data: new Float32Array(4), shape: [4] })).toThrow(/`x`.*\[N, H, W\].*\[4\]/);
    expect(() => toInputTensor([[[1, 2], [3]]], { name: 'xTest' })).toThrow(/`xTest`.*ragged/);
    expect(() => toInputTensor([[[1, NaN]]])).toThrow(/`x`, expected finite values.*NaN at flat index 1/);
    expect(() => toInputTensor({ data: new Float32Array(0), shape: [0, 2, 2] })).toThrow(/at least one sample/);
    expect(() => toInputTensor({ data: new Float32Array(3), shape: [1, 2, 2] })).toThrow(/`data` of length 4/);
    expect(() => toInputTensor('images' as never)).toThrow(InputDataError);
  });

  it('checks predict-time data against the shape seen in fit', () => {
    const ok = toInputTensor({ data: new Float32Array(8), shape: [2, 2, 2] }, { sampleShape: [2, 2, 1] });
    expect(ok.x.shape).toEqual([2, 2, 2, 1]);
    ok.x.dispose();
    expect(() => toInputTensor({ data: new Float32Array(18), shape: [2, 3, 3] }, { sampleShape: [2, 2, 1] }))
      .toThrow(/`x`, expected samples of shape \[2, 2, 1\] \(the shape seen in fit\)/);
  });

  it('leaves no tensor behind when a check fails', () => {
    const before = tf.memory().numTensors;
    expect(() => toInputTensor([[[Infinity]]])).toThrow(InputDataError);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('checkSameLength and toTargetTensor', () => {
  it('names y when the lengths differ', () => {
    expect(() => checkSameLength(3, 2)).toThrow(/`y`, expected as many samples as `x` \(3\)/);
  });

  it('makes regression targets [N, K]', () => {
    const a = toTargetTensor([1, 2, 3]);
    expect(a.shape).toEqual([3, 1]);
    const b = toTargetTensor([[1, 2], [3, 4]]);
    expect(b.shape).toEqual([2, 2]);
    const c = toTargetTensor(Float64Array.of(1, 2));
    expect(c.shape).toEqual([2, 1]);
    tf.dispose([a, b, c]);
    expect(() => toTargetTensor([1, NaN])).toThrow(/`y`, expected finite values/);
    expect(() => toTargetTensor([[[1]]] as never)).toThrow(/`y`, expected regression targets of shape \[N\] or \[N, K\]/);
  });
});
