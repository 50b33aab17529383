import * as tf from '@tensorflow/tfjs';
import { BATCH_NORM_TRAIN } from '../../src/backend/kernels';
import { useFusedBatchNorm } from '../../src/compile/fused-batchnorm';
import { useWasmBackend } from '../helpers/wasm';

/** A BatchNormalization layer built for `shape`, with non-trivial gamma, beta and moving statistics. */
function layer(shape: number[], fused: boolean): tf.layers.Layer {
  const bn = tf.layers.batchNormalization({ axis: -1, momentum: 0.8, epsilon: 1e-3 });
  if (fused) useFusedBatchNorm(bn);
  bn.build([null, ...shape.slice(1)]);
  const c = shape[shape.length - 1]!;
  bn.setWeights([tf.linspace(0.5, 1.5, c), tf.linspace(-0.3, 0.4, c), tf.linspace(-0.1, 0.2, c), tf.linspace(0.9, 1.3, c)]);
  return bn;
}

/** y, the gradients of sum(y * w) with respect to x, gamma and beta, and the moving statistics after the step. */
function step(bn: tf.layers.Layer, x: tf.Tensor, w: tf.Tensor): Float32Array[] {
  const gamma = bn.trainableWeights[0]!.read() as tf.Variable;
  const beta = bn.trainableWeights[1]!.read() as tf.Variable;
  const loss = (xi: tf.Tensor) => tf.sum(tf.mul(bn.apply(xi, { training: true }) as tf.Tensor, w)) as tf.Scalar;
  const y = tf.tidy(() => bn.apply(x, { training: true }) as tf.Tensor);
  const dx = tf.grad(loss)(x);
  const { value, grads } = tf.variableGrads(() => loss(x), [gamma, beta]);
  const values = [y, dx, grads[gamma.name]!, grads[beta.name]!, ...bn.getWeights().slice(2)].map((t) => t.dataSync() as Float32Array);
  tf.dispose([y, dx, value, ...Object.values(grads)]);
  return values;
}

/** Frees a layer's weights (Layer.dispose refuses layers only ever applied to concrete tensors). */
function disposeWeights(l: tf.layers.Layer): void {
  for (const w of l.weights) w.dispose();
}

function expectClose(got: Float32Array, want: Float32Array): void {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / Math.max(1, Math.abs(want[i]!)));
  expect(worst).toBeLessThan(1e-4);
}

describe('useFusedBatchNorm', () => {
  useWasmBackend();

  // Channels in fours, a remainder (6 = 4 + 2), and one channel (a grey input's normalisation).
  it.each([[[6, 5, 4, 8]], [[16, 12]], [[3, 7, 20]], [[4, 5, 6]], [[4, 6, 6, 1]]])('matches tfjs-layers on cpu over training steps of x %j: output, input and weight gradients, moving statistics', async (shape) => {
    const x = tf.add(tf.mul(tf.randomNormal(shape, 0, 1, 'float32', 1), 3), 2);
    const w = tf.randomNormal(shape, 0, 1, 'float32', 2);
    // Three steps on each layer (each applies it three times): the moving statistics move the same way.
    await tf.setBackend('cpu');
    const stock = layer(shape, false);
    const want = step(stock, x, w);
    step(stock, x, w);
    const again = step(stock, x, w);
    await tf.setBackend('wasm');
    const fused = layer(shape, true);
    const base = tf.memory().numTensors;
    const profile = await tf.profile(() => { step(fused, x, w); });
    expect(profile.kernelNames).toContain(BATCH_NORM_TRAIN);
    step(fused, x, w);
    const got = step(fused, x, w);
    expect(tf.memory().numTensors).toBe(base);
    for (let i = 0; i < 4; i++) expectClose(got[i]!, want[i]!);
    for (let i = 4; i < 6; i++) expectClose(got[i]!, again[i]!);
    // A non-zero input gradient: the comparison above compares something.
    expect(Math.abs(want[1]![0]!)).toBeGreaterThan(0);
    expect(fused.getClassName()).toBe('BatchNormalization');
    expect(fused.getConfig()).toEqual({ ...stock.getConfig(), name: fused.name });
    tf.dispose([x, w]);
    for (const l of [stock, fused]) disposeWeights(l);
  });

  it('leaves inference to tfjs-layers', async () => {
    const x = tf.randomNormal([4, 3, 3, 8], 0, 1, 'float32', 4);
    const bn = layer([4, 3, 3, 8], true);
    const inference = await tf.profile(() => { tf.dispose(bn.apply(x) as tf.Tensor); });
    expect(inference.kernelNames).not.toContain(BATCH_NORM_TRAIN);
    x.dispose();
    disposeWeights(bn);
  });
});
