import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { KernelArgs } from './context';

/** The name of the fused Adam step kernel (registered for wasm; see {@link adamUpdate}). */
export const ADAM_UPDATE = 'AutokerasAdamUpdate';

/**
 * Attributes of {@link adamUpdate}: the learning rate, the moments' decay rates, epsilon, and the bias
 * corrections `1 - beta1^t` and `1 - beta2^t` of this step t.
 */
export interface AdamUpdateAttrs {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  correction1: number;
  correction2: number;
}

/**
 * One Adam step for one variable in a single pass over its values, where tfjs's AdamOptimizer runs about
 * ten kernels per variable (each a pass, most of them tiny: per-kernel overhead dominated on wasm).
 * Inputs `value`, `m`, `v`, `grad` (same shape); outputs [value', m', v']:
 *   m' = beta1 m + (1 - beta1) g,  v' = beta2 v + (1 - beta2) g^2,
 *   value' = value - learningRate (m' / correction1) / (sqrt(v' / correction2) + epsilon).
 *
 * @example
 * ```ts
 * const [value, m, v] = tf.engine().runKernel(ADAM_UPDATE, { value, m, v, grad }, attrs) as tf.Tensor[];
 * ```
 */
export function adamUpdate({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo[] {
  const wasm = backend as BackendWasm;
  const { value, m, v, grad } = inputs as Record<'value' | 'm' | 'v' | 'grad', tf.TensorInfo>;
  const a = attrs as unknown as AdamUpdateAttrs;
  const outs = [value, m, v].map((t) => wasm.makeOutput(t.shape, 'float32'));
  // Views after the last allocation: a heap growth detaches earlier ones.
  const [x, mm, vv, g, x2, m2, v2] = [value, m, v, grad, ...outs].map((t) => wasm.typedArrayFromHeap(t!) as Float32Array);
  const { beta1: b1, beta2: b2, epsilon: eps } = a;
  const step = a.learningRate / a.correction1;
  const c2 = a.correction2;
  for (let i = 0; i < x!.length; i++) {
    const gi = g![i]!;
    const mi = b1 * mm![i]! + (1 - b1) * gi;
    const vi = b2 * vv![i]! + (1 - b2) * gi * gi;
    m2![i] = mi;
    v2![i] = vi;
    x2![i] = x![i]! - (step * mi) / (Math.sqrt(vi / c2) + eps);
  }
  return outs;
}
