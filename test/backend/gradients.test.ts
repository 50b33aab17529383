import * as tf from '@tensorflow/tfjs';
import { GRADIENTS, prepareWasm, registerGradients } from '../../src/backend';
import { stockGradients } from '../../src/backend/gradients';
import { randn, relError } from './parity';

type Grads = Record<string, Float32Array>;

/** Evaluates a gradient config's gradFunc on `backend`; returns every input gradient's values. */
async function evaluate(backend: string, config: tf.GradConfig, dy: { shape: number[]; data: Float32Array },
  saved: Array<{ shape: number[]; data: Float32Array }>, attrs: tf.NamedAttrMap): Promise<Grads> {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const out: Grads = {};
  tf.tidy(() => {
    const grads = config.gradFunc(tf.tensor(dy.data, dy.shape), saved.map((t) => tf.tensor(t.data, t.shape)), attrs);
    for (const [name, f] of Object.entries(grads)) out[name] = (f().dataSync() as Float32Array).slice();
  });
  expect(tf.memory().numTensors).toBe(before);
  return out;
}

const t = (shape: number[], seed: number) => ({ shape, data: randn(shape, seed) });

beforeAll(async () => {
  prepareWasm();
  registerGradients();
  await tf.setBackend('cpu');
});

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('leaner gradients equal tfjs stock gradients (1e-4 relative), on wasm against stock on cpu', () => {
  it('replaced the gradients it lists and kept the stock ones', () => {
    for (const g of GRADIENTS) {
      expect(tf.getGradient(g.kernelName)).toBe(g);
      expect(stockGradients.get(g.kernelName)).toBeDefined();
    }
  });

  it.each([[[4, 5, 6, 3]], [[7, 4]], [[2, 3, 3, 2, 5]]])('FusedBatchNorm, x %j (also against autodiff of the formula)', async (xs) => {
    const c = xs[xs.length - 1]!;
    const variance = { shape: [c], data: randn([c], 3).map((v) => v * v + 0.1) };
    const saved = [t(xs, 1), t([c], 2), variance, t([c], 4)];
    const offset = t([c], 8);
    const dy = t(xs, 5);
    const attrs = { varianceEpsilon: 1e-3 };
    const ours = await evaluate('wasm', tf.getGradient(tf.FusedBatchNorm), dy, saved, attrs);
    // Reference: cpu autodiff of (x - mean) * scale / sqrt(variance + eps) + offset, built from elementary ops.
    const names = ['x', 'mean', 'variance', 'scale', 'offset'];
    const reference: Record<string, Float32Array> = {};
    tf.tidy(() => {
      const args = [...saved, offset].map((v) => tf.tensor(v.data, v.shape));
      const f = (x: tf.Tensor, m: tf.Tensor, v: tf.Tensor, s: tf.Tensor, o: tf.Tensor) =>
        tf.add(tf.mul(tf.mul(tf.sub(x, m), s), tf.rsqrt(tf.add(v, tf.scalar(1e-3)))), o);
      const grads = tf.grads(f)(args, tf.tensor(dy.data, dy.shape));
      grads.forEach((g, i) => { reference[names[i]!] = (g.dataSync() as Float32Array).slice(); });
    });
    for (const k of names) expect({ k, ok: relError(ours[k]!, reference[k]!) < 1e-4 }).toEqual({ k, ok: true });
    if (xs.length === 4) { // tfjs's stock gradient handles only rank 4 (it tiles with four reps)
      const stock = await evaluate('cpu', stockGradients.get(tf.FusedBatchNorm)!, dy, saved, attrs);
      for (const k of Object.keys(stock)) expect({ k, ok: relError(ours[k]!, stock[k]!) < 1e-4 }).toEqual({ k, ok: true });
    }
  });

  it.each<[number[], number | number[], number[]]>([
    [[4, 5, 6, 3], [0, 1, 2], [3]], [[4, 5, 6, 3], [1, 2], [4, 3]], [[7, 3], -1, [7]], [[2, 3, 4], [0, 1, 2], []],
  ])('Mean, x %j over %j', async (xs, axis, dyShape) => {
    const ours = await evaluate('wasm', tf.getGradient(tf.Mean), t(dyShape, 6), [t(xs, 7)], { axis });
    const stock = await evaluate('cpu', stockGradients.get(tf.Mean)!, t(dyShape, 6), [t(xs, 7)], { axis });
    expect(relError(ours.x!, stock.x!)).toBeLessThan(1e-4);
  });

  // Integer values: many tied maxima, which all receive the gradient (tfjs's rule).
  const ties = (shape: number[], seed: number) => ({ shape, data: randn(shape, seed).map((v) => Math.max(Math.round(v * 1.5), 0)) });

  it.each<[number[], number | number[], boolean, string]>([
    [[4, 6, 5], 1, false, 'AutokerasMaxGrad'], [[4, 6, 5], [1], true, 'AutokerasMaxGrad'], [[4, 6, 5], 0, false, 'AutokerasMaxGrad'],
    [[2, 3, 4, 5], [1, 2], false, 'AutokerasMaxGrad'], [[4, 6, 5], -1, false, 'AutokerasMaxGrad'], [[64, 64, 64], 1, false, 'AutokerasMaxGrad'],
    [[4, 6, 5], [0, 2], false, 'Equal'],
  ])('Max, x %j over %j keepDims=%s (ties included; runs %s on wasm)', async (xs, reductionIndices, keepDims, kernel) => {
    const x = ties(xs, 9);
    let y = { shape: [] as number[], data: new Float32Array() };
    await tf.setBackend('cpu');
    tf.tidy(() => {
      const r = tf.max(tf.tensor(x.data, x.shape), reductionIndices, keepDims);
      y = { shape: r.shape, data: (r.dataSync() as Float32Array).slice() };
    });
    const dy = t(y.shape, 10);
    const attrs = { reductionIndices, keepDims };
    const stock = await evaluate('cpu', stockGradients.get(tf.Max)!, dy, [x, y], attrs);
    const ours = await evaluate('wasm', tf.getGradient(tf.Max), dy, [x, y], attrs);
    expect(relError(ours.x!, stock.x!)).toBeLessThan(1e-4);
    expect(stock.x!.filter((v) => v !== 0).length).toBeGreaterThan(y.data.length); // ties did share the gradient
    const profile = await tf.profile(() => tf.tidy(() => tf.grad((v: tf.Tensor) => tf.max(v, reductionIndices, keepDims).mul(tf.tensor(dy.data, dy.shape)).sum())(tf.tensor(x.data, x.shape))));
    expect(profile.kernels.map((k) => k.name)).toContain(kernel);
  });

  it('the Max gradient keeps the stock route on backends without the kernel (cpu)', async () => {
    await tf.setBackend('cpu');
    const profile = await tf.profile(() => tf.tidy(() => tf.grad((v: tf.Tensor) => tf.max(v, 1).sum())(tf.ones([2, 3, 4]))));
    const names = profile.kernels.map((k) => k.name);
    expect(names).toContain('Equal');
    expect(names).not.toContain('AutokerasMaxGrad');
  });
});
