import type * as tf from '@tensorflow/tfjs';
import { withScope, type KernelArgs } from './context';
import { simdKernels } from './simd';

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
 * One Adam step for one variable in a single SIMD pass over its values (in float32, as tfjs's), where tfjs's
 * AdamOptimizer runs about ten kernels per variable (each a pass, most of them tiny: per-kernel overhead
 * dominated on wasm).
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
  const { value, m, v, grad } = inputs as Record<'value' | 'm' | 'v' | 'grad', tf.TensorInfo>;
  const a = attrs as unknown as AdamUpdateAttrs;
  return withScope(backend, (s) => {
    const [x2, m2, v2] = [value, m, v].map((t) => s.alloc(t.shape)) as [tf.TensorInfo, tf.TensorInfo, tf.TensorInfo];
    simdKernels(s.backend).adamUpdate({ x: value, m, v, g: grad, x2, m2, v2 },
      { beta1: a.beta1, beta2: a.beta2, step: a.learningRate / a.correction1, c2: a.correction2, epsilon: a.epsilon });
    return [x2, m2, v2];
  });
}
