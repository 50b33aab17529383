import * as tf from '@tensorflow/tfjs';
import { withScope, type KernelArgs, type WasmScope } from './context';
import { simdKernels } from './simd';

/** Training-mode batch normalisation, forward: inputs x, gamma, beta; outputs [y, mean, variance]. */
export const BATCH_NORM_TRAIN = 'AutokerasBatchNormTrain';
/** Its gradient: inputs dy, x, mean, variance, gamma; outputs [dx, dgamma, dbeta]. */
export const BATCH_NORM_TRAIN_GRAD = 'AutokerasBatchNormTrainGrad';

/** Per-channel f64 sums computed by `fill` into fresh zeroed scratch, read back as numbers. */
function channelSums(s: WasmScope, c: number, count: number, fill: (accs: tf.TensorInfo[]) => void): Float64Array[] {
  const accs = Array.from({ length: count }, () => s.alloc([2 * c], true));
  fill(accs);
  return accs.map((a) => {
    const v = s.view(a);
    if (v.byteOffset % 8 !== 0) throw new Error('wasm heap allocation is not 8-byte aligned');
    return new Float64Array(v.buffer, v.byteOffset, c).slice();
  });
}

/** A [c] float32 tensor on the wasm heap holding `values`. */
function vector(s: WasmScope, values: ArrayLike<number>): tf.TensorInfo {
  const t = s.alloc([values.length]);
  s.view(t).set(values);
  return t;
}

/**
 * Batch normalisation of a training batch over every axis but the last (channels) in
 * three passes of the SIMD module: the mean, the variance (population, as `tf.moments`; both summed in
 * f64), then y = gamma * (x - mean) / sqrt(variance + eps) + beta. tfjs-layers computes the same with
 * `tf.moments` and `FusedBatchNorm`, about six full-size passes. Attribute `varianceEpsilon`.
 *
 * @example
 * ```ts
 * const [y, mean, variance] = tf.engine().runKernel(BATCH_NORM_TRAIN, { x, gamma, beta }, { varianceEpsilon: 1e-3 }) as tf.Tensor[];
 * ```
 */
export function batchNormTrain({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo[] {
  const { x, gamma, beta } = inputs as Record<'x' | 'gamma' | 'beta', tf.TensorInfo>;
  const eps = (attrs as { varianceEpsilon: number }).varianceEpsilon;
  return withScope(backend, (s) => {
    const simd = simdKernels(s.backend);
    const c = x.shape[x.shape.length - 1]!;
    const m = tf.util.sizeFromShape(x.shape) / c;
    const [sum] = channelSums(s, c, 1, ([acc]) => simd.colSum(x, acc!));
    const mean = vector(s, sum!.map((v) => v / m));
    const [sq] = channelSums(s, c, 1, ([acc]) => simd.colSum(x, acc!, mean));
    const variance = vector(s, sq!.map((v) => v / m));
    const g = s.view(gamma);
    const b = s.view(beta);
    const scale = Array.from(s.view(variance), (v, j) => g[j]! / Math.sqrt(v + eps));
    const [zero, kb, k0] = [new Array<number>(c).fill(0), scale, Array.from(b)].map((values) => vector(s, values));
    const y = s.alloc(x.shape);
    simd.channelAffine2(x, x, mean, zero!, kb!, k0!, y);
    return [y, mean, variance];
  });
}

/**
 * The gradient of {@link batchNormTrain} with respect to x, gamma and beta, the batch statistics'
 * dependence on x included: with r = 1/sqrt(variance + eps), S = sum(dy), D = sum(dy * (x - mean)) per channel
 * over the m rows, dbeta = S, dgamma = r D and dx = gamma r dy - gamma r^3 D / m (x - mean) - gamma r S / m.
 * Two passes (the sums, in f64, then dx); tfjs's gradients of moments plus FusedBatchNorm take about fifteen.
 *
 * @example
 * ```ts
 * const [dx, dgamma, dbeta] = tf.engine().runKernel(BATCH_NORM_TRAIN_GRAD, { dy, x, mean, variance, gamma }, { varianceEpsilon: 1e-3 }) as tf.Tensor[];
 * ```
 */
export function batchNormTrainGrad({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo[] {
  const { dy, x, mean, variance, gamma } = inputs as Record<'dy' | 'x' | 'mean' | 'variance' | 'gamma', tf.TensorInfo>;
  const eps = (attrs as { varianceEpsilon: number }).varianceEpsilon;
  return withScope(backend, (s) => {
    const simd = simdKernels(s.backend);
    const c = x.shape[x.shape.length - 1]!;
    const m = tf.util.sizeFromShape(x.shape) / c;
    const [sumDy, sumDyDev] = channelSums(s, c, 2, ([accS, accD]) => simd.colDyDev(dy, x, mean, accS!, accD!));
    const g = Array.from(s.view(gamma));
    const r = Array.from(s.view(variance), (v) => 1 / Math.sqrt(v + eps));
    const ka = vector(s, g.map((gj, j) => gj * r[j]!));
    const kb = vector(s, g.map((gj, j) => (-gj * r[j]! ** 3 * sumDyDev![j]!) / m));
    const k0 = vector(s, g.map((gj, j) => (-gj * r[j]! * sumDy![j]!) / m));
    const dgamma = vector(s, r.map((rj, j) => rj * sumDyDev![j]!));
    const dbeta = vector(s, sumDy!);
    const dx = s.alloc(x.shape);
    simd.channelAffine2(dy, x, mean, ka, kb, k0, dx);
    return [dx, dgamma, dbeta];
  });
}
