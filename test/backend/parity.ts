import * as tf from '@tensorflow/tfjs';

/** max |a - b| / max |b|: the error relative to the reference's scale (1e-4 is the bar). */
export function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return scale === 0 ? diff : diff / scale;
}

/** Deterministic normal values (the same on every backend). */
export function randn(shape: number[], seed: number): Float32Array {
  return tf.tidy(() => tf.randomNormal(shape, 0, 1, 'float32', seed).dataSync() as Float32Array).slice();
}

/** A kernel input: float32 unless `dtype` says otherwise (int32 indices). */
export interface KernelInput { shape: number[]; data: Float32Array | Int32Array; dtype?: 'float32' | 'int32' }

/** Runs one kernel on a backend with fresh inputs; returns its output values and shape. */
export async function runOn(backend: string, kernel: string, inputs: Record<string, KernelInput>,
  attrs: object): Promise<{ shape: number[]; data: Float32Array }> {
  await tf.setBackend(backend);
  const tensors = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, tf.tensor(v.data, v.shape, v.dtype ?? 'float32')]));
  const out = tf.engine().runKernel(kernel, tensors, attrs as tf.NamedAttrMap) as tf.Tensor;
  const result = { shape: out.shape.slice(), data: (out.dataSync() as Float32Array).slice() };
  tf.dispose([out, ...Object.values(tensors)]);
  return result;
}

/** The kernel on wasm vs on cpu: same shape, values within `tol` relative; also checks nothing leaked on wasm. */
export async function expectParity(kernel: string, inputs: Record<string, KernelInput>,
  attrs: object, tol = 1e-4): Promise<void> {
  const ref = await runOn('cpu', kernel, inputs, attrs);
  await tf.setBackend('wasm');
  const before = tf.memory();
  const got = await runOn('wasm', kernel, inputs, attrs);
  const after = tf.memory();
  expect({ kernel, shape: got.shape }).toEqual({ kernel, shape: ref.shape });
  expect({ kernel, attrs, err: relError(got.data, ref.data) < tol }).toEqual({ kernel, attrs, err: true });
  expect({ tensors: after.numTensors, buffers: after.numDataBuffers }).toEqual({ tensors: before.numTensors, buffers: before.numDataBuffers });
}

/** `{shape, data}` of a random input. */
export const input = (shape: number[], seed: number) => ({ shape, data: randn(shape, seed) });
