import * as tf from '@tensorflow/tfjs';
import { BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD } from '../backend/kernels';
import { overrideTrainingCall } from './training-call';

/** What a tfjs-layers BatchNormalization keeps (not in its public typings; same names at runtime). */
interface BatchNormInternals {
  axis: number;
  momentum: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
  gamma: { read(): tf.Tensor };
  beta: { read(): tf.Tensor };
  movingMean: { read(): tf.Tensor; write(value: tf.Tensor): void };
  movingVariance: { read(): tf.Tensor; write(value: tf.Tensor): void };
}

/**
 * Batch normalisation of a training batch over every axis but the last, as one differentiable op on the
 * fused kernels (`AutokerasBatchNormTrain` and its gradient): y = gamma (x - mean) / sqrt(variance + eps) + beta
 * with the batch's mean and population variance, which it also returns (not differentiated: for the
 * moving averages). The caller disposes mean and variance. Needs the kernels on the active backend (wasm).
 *
 * @example
 * ```ts
 * const [y, mean, variance] = batchNormTraining(x, gamma, beta, 1e-3); // x: [n, h, w, c]; the others: [c]
 * ```
 */
export function batchNormTraining(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const attrs = { varianceEpsilon: epsilon };
  let stats: tf.Tensor[] = [];
  const op = tf.customGrad(((xi: tf.Tensor, g: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
    const [y, mean, variance] = tf.engine().runKernel(BATCH_NORM_TRAIN, { x: xi, gamma: g, beta: b }, attrs) as tf.Tensor[];
    // Kept past the op's own scope, for the caller.
    stats = [tf.keep(mean!), tf.keep(variance!)];
    save([xi, g, mean!, variance!]);
    return {
      value: y!,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sg, smean, svariance] = saved;
        return tf.engine().runKernel(BATCH_NORM_TRAIN_GRAD, { dy, x: sx!, mean: smean!, variance: svariance!, gamma: sg! }, attrs) as tf.Tensor[];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  const y = op(x, gamma, beta);
  return [y, stats[0]!, stats[1]!];
}

/**
 * Makes a tfjs-layers BatchNormalization layer normalise training batches with {@link batchNormTraining}
 * when it can (the kernels on the active backend, channels last, center and scale on, float32), with the
 * same moving-average update as tfjs-layers; otherwise, and in inference, the layer's own `call` runs
 * ({@link overrideTrainingCall}). The layer stays a plain BatchNormalization (class name, config,
 * weights), so exported models are unchanged.
 *
 * @example
 * ```ts
 * const bn = tf.layers.batchNormalization({ axis: -1 });
 * useFusedBatchNorm(bn);
 * ```
 */
export function useFusedBatchNorm(layer: tf.layers.Layer): void {
  const bn = layer as unknown as BatchNormInternals;
  overrideTrainingCall(layer, (x) => {
    const fused = tf.getKernel(BATCH_NORM_TRAIN, tf.getBackend()) !== undefined &&
      (bn.axis === -1 || bn.axis === x.rank - 1) && bn.center && bn.scale && x.dtype === 'float32' && x.rank >= 2;
    if (!fused) return null;
    return tf.tidy(() => {
      const [y, mean, variance] = batchNormTraining(x, bn.gamma.read(), bn.beta.read(), bn.epsilon);
      // tfjs-layers' update: moving -= (moving - batch) * (1 - momentum).
      for (const [moving, batch] of [[bn.movingMean, mean], [bn.movingVariance, variance]] as const) {
        const old = moving.read();
        moving.write(tf.sub(old, tf.mul(tf.sub(old, batch), 1 - bn.momentum)));
      }
      tf.dispose([mean, variance]);
      return y;
    });
  });
}
