import * as tf from '@tensorflow/tfjs';
import { ADAM_UPDATE } from '../../src/backend/kernels';
import { FusedAdamOptimizer, makeOptimizer } from '../../src/train';
import { useWasmBackend } from '../helpers/wasm';

/** Five Adam steps of a small quadratic problem from the same start; the variables' values after them. */
function train(optimizer: tf.Optimizer): Float32Array[] {
  const w = tf.variable(tf.tensor2d([[0.5, -1.5, 2], [1, 0.25, -0.75]]), true, 'w');
  const b = tf.variable(tf.tensor1d([0.1, -0.2, 0.3]), true, 'b');
  const x = tf.tensor2d([[1, 2], [-1, 0.5], [3, -2], [0.2, 0.1]]);
  const y = tf.tensor2d([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]]);
  for (let i = 0; i < 5; i++) {
    tf.dispose(optimizer.minimize(() => tf.losses.meanSquaredError(y, tf.add(tf.matMul(x, w), b)) as tf.Scalar, false, [w, b]) ?? []);
  }
  const out = [w.dataSync() as Float32Array, b.dataSync() as Float32Array];
  tf.dispose([w, b, x, y]);
  return out;
}

describe('FusedAdamOptimizer', () => {
  useWasmBackend();

  it('takes the steps of tfjs Adam on cpu, in one wasm kernel per variable, and frees what it made', async () => {
    // Tensors left behind by an optimizer's life: tfjs's Adam leaves one after dispose(); ours must leave no more.
    const life = (make: () => tf.AdamOptimizer, steps: (o: tf.AdamOptimizer) => Float32Array[]) => {
      const base = tf.memory().numTensors;
      const o = make();
      const values = steps(o);
      o.dispose();
      return { values, left: tf.memory().numTensors - base };
    };
    await tf.setBackend('cpu');
    const stock = life(() => tf.train.adam(0.05, 0.8, 0.99), train);
    await tf.setBackend('wasm');
    const fused = life(() => new FusedAdamOptimizer(0.05, 0.8, 0.99), (o) => {
      const values = train(o);
      expect(o.iterations).toBe(5);
      return values;
    });
    expect(fused.left).toBeLessThanOrEqual(stock.left);
    for (let i = 0; i < stock.values.length; i++) {
      for (let j = 0; j < stock.values[i]!.length; j++) expect(fused.values[i]![j]).toBeCloseTo(stock.values[i]![j]!, 5);
    }
    // The moved values differ from the start: the comparison above compares steps taken.
    expect(fused.values[0]![0]).not.toBeCloseTo(0.5, 2);

    const opt = new FusedAdamOptimizer(0.05);
    const profile = await tf.profile(() => { train(opt); });
    expect(profile.kernelNames).toContain(ADAM_UPDATE);
    expect(profile.kernelNames).not.toContain('Sqrt');
    const weights = await opt.getWeights();
    expect(weights.map((w) => w.name)).toEqual(['iter', 'w/m', 'b/m', 'w/v', 'b/v']);
    weights[0]!.tensor.dispose(); // the iteration count, made by getWeights; the others are the slots
    opt.dispose();
  });

  it('restores saved state: after setWeights it continues as tfjs Adam does', async () => {
    const first = new FusedAdamOptimizer(0.05);
    train(first);
    const state = await first.getWeights();
    const stock = tf.train.adam(0.05);
    const fused = new FusedAdamOptimizer(0.05);
    await stock.setWeights(state.map((s) => ({ name: s.name, tensor: s.tensor.clone() })));
    await fused.setWeights(state.map((s) => ({ name: s.name, tensor: s.tensor.clone() })));
    state[0]!.tensor.dispose(); // the iteration count getWeights made; the slots go with `first`
    const expected = train(stock);
    const got = train(fused);
    for (let i = 0; i < expected.length; i++) {
      for (let j = 0; j < expected[i]!.length; j++) expect(got[i]![j]).toBeCloseTo(expected[i]![j]!, 5);
    }
    for (const o of [first, stock, fused]) o.dispose();
  });

  it('is what makeOptimizer gives for adam, under tfjs\'s class name, and is plain tfjs Adam where the kernel is missing', async () => {
    const opt = makeOptimizer({ name: 'adam', learningRate: 0.05 });
    expect(opt).toBeInstanceOf(FusedAdamOptimizer);
    expect(opt.getClassName()).toBe('Adam');
    opt.dispose();
    await tf.setBackend('cpu');
    const stock = tf.train.adam(0.05);
    const expected = train(stock);
    const fused = new FusedAdamOptimizer(0.05, 0.9, 0.999);
    let got: Float32Array[] = [];
    const profile = await tf.profile(() => { got = train(fused); });
    expect(profile.kernelNames).not.toContain(ADAM_UPDATE);
    for (let i = 0; i < expected.length; i++) expect(Array.from(got[i]!)).toEqual(Array.from(expected[i]!));
    stock.dispose();
    fused.dispose();
    await tf.setBackend('wasm');
  });
});
