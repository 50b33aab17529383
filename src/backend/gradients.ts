import * as tf from '@tensorflow/tfjs';
import { MAX_GRAD, blockShape } from './kernels/max';

/**
 * The gradient configs we replace, as tfjs registered them (tests compare ours against these).
 *
 * @example
 * ```ts
 * registerGradients();
 * stockGradients.get('Mean')!.gradFunc(dy, [x], { axis: [0] }).x(); // tfjs's own mean gradient
 * ```
 */
export const stockGradients = new Map<string, tf.GradConfig>();

/**
 * Batch-normalisation gradient with two reductions instead of four and no tiling. tfjs-layers normalises a
 * training batch with `tf.moments` then `FusedBatchNorm(x, mean, variance, scale, offset)`; with
 * r = 1/sqrt(variance + eps), s = scale and the sums over every axis but the channels:
 *   dx = dy * s * r,  doffset = sum(dy),  dmean = -s * r * sum(dy),
 *   dscale = r * sum(dy * (x - mean)),  dvariance = -s * r^3 / 2 * sum(dy * (x - mean)).
 * The stock gradient computes each of the four sums from its own full-size product and tiles r to the
 * input's shape: about three times the memory traffic.
 */
const fusedBatchNormGrad: tf.GradConfig = {
  kernelName: tf.FusedBatchNorm,
  inputsToSave: ['x', 'mean', 'variance', 'scale'],
  gradFunc: (dy, saved, attrs) => {
    const g = dy as tf.Tensor;
    const [x, mean, variance, scale] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor | undefined];
    const eps = (attrs as { varianceEpsilon: number }).varianceEpsilon;
    const s = scale ?? tf.scalar(1);
    const r = tf.rsqrt(tf.add(variance, tf.scalar(eps)));
    const axes = tf.backend_util.getReductionAxes(mean.shape, x.shape);
    const reduce = (t: tf.Tensor) => tf.reshape(axes.length > 0 ? tf.sum(t, axes) : t, mean.shape);
    // Computed here, not in the closures: the tape runs each closure in its own tidy, so a sum one closure
    // made would be gone before the next could reuse it. (The backward pass needs all of them anyway.)
    const dySum = reduce(g);
    const dyXmuSum = reduce(tf.mul(g, tf.sub(x, mean)));
    return {
      x: () => tf.reshape(tf.mul(g, tf.mul(s, r)), x.shape),
      mean: () => tf.reshape(tf.neg(tf.mul(tf.mul(s, r), dySum)), mean.shape),
      variance: () => tf.reshape(tf.mul(tf.mul(tf.mul(s, tf.pow(r, tf.scalar(3))), tf.scalar(-0.5)), dyXmuSum), mean.shape),
      scale: () => tf.reshape(tf.mul(r, dyXmuSum), mean.shape),
      offset: () => tf.reshape(dySum, mean.shape),
    };
  },
};

/**
 * Mean gradient as one broadcast (`dy / n` tiled to the input's shape) instead of the stock
 * `dy * ones(x.shape) / n`, which fills and then reads two full-size temporaries.
 */
const meanGrad: tf.GradConfig = {
  kernelName: tf.Mean,
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved as [tf.Tensor];
    const axes = tf.util.parseAxisParam((attrs as { axis: number | number[] }).axis, x.shape);
    const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const n = axes.reduce((p, a) => p * x.shape[a]!, 1);
    return { x: () => tf.broadcastTo(tf.reshape(tf.div(dy as tf.Tensor, tf.scalar(n)), kept), x.shape) };
  },
};

/**
 * Gather gradient along axis 0 (an embedding lookup) as one `scatterND`, which sums the rows of `dy`
 * into the rows of the ids that produced them, instead of the stock `unsortedSegmentSum`: the cpu
 * backend runs that as one masked sum over the whole batch per vocabulary entry (about a second per
 * batch for a 200-word vocabulary) and the wasm backend had no kernel for it. Other axes and batch
 * dimensions keep the stock gradient.
 */
const gatherGrad: tf.GradConfig = {
  kernelName: tf.GatherV2,
  inputsToSave: ['x', 'indices'],
  gradFunc: (dy, saved, attrs) => {
    const [x, indices] = saved as [tf.Tensor, tf.Tensor];
    const a = attrs as { axis: number; batchDims?: number };
    const axis = tf.util.parseAxisParam(a.axis, x.shape)[0];
    if (axis !== 0 || (a.batchDims ?? 0) !== 0) return stockGradients.get(tf.GatherV2)!.gradFunc(dy, saved, attrs);
    return {
      x: () => {
        const ids = tf.reshape(tf.cast(indices, 'int32'), [indices.size, 1]);
        return tf.scatterND(ids, tf.reshape(dy as tf.Tensor, [indices.size, ...x.shape.slice(1)]), x.shape);
      },
      indices: () => indices,
    };
  },
};

/**
 * Max-reduction gradient (a global max pooling's) as one `AutokerasMaxGrad` kernel where the active backend
 * has it (wasm) and the reduced axes are contiguous: `dy` where x equals the maximum, every tie included, as
 * the stock `dy * cast(equal(x, y))`, whose broadcasting `Equal` is a generic loop on wasm. Elsewhere the
 * stock gradient.
 */
const maxGrad: tf.GradConfig = {
  kernelName: tf.Max,
  inputsToSave: ['x'],
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    const [x, y] = saved as [tf.Tensor, tf.Tensor];
    const axes = tf.util.parseAxisParam((attrs as { reductionIndices: number | number[] }).reductionIndices, x.shape);
    const fused = tf.getKernel(MAX_GRAD, tf.getBackend()) !== undefined && x.dtype === 'float32' && blockShape(x.shape, axes) !== null;
    if (!fused) return stockGradients.get(tf.Max)!.gradFunc(dy, saved, attrs);
    return { x: () => tf.engine().runKernel(MAX_GRAD, { dy: dy as tf.Tensor, x, y }, { axes }) as tf.Tensor };
  },
};

/**
 * The gradients {@link registerGradients} installs.
 *
 * @example
 * ```ts
 * GRADIENTS.map((g) => g.kernelName); // ['FusedBatchNorm', 'Mean', 'GatherV2', 'Max']
 * ```
 */
export const GRADIENTS: readonly tf.GradConfig[] = [fusedBatchNormGrad, meanGrad, gatherGrad, maxGrad];

/**
 * Replaces tfjs's gradients of {@link GRADIENTS} (for every backend: gradients are not per backend) by
 * mathematically identical ones that run fewer full-size passes. Idempotent.
 *
 * @example
 * ```ts
 * registerGradients();
 * tf.grad((x) => tf.mean(x))(tf.ones([2, 3])); // uses the broadcast mean gradient
 * ```
 */
export function registerGradients(): void {
  for (const config of GRADIENTS) {
    const current = tf.getGradient(config.kernelName);
    if (current === config) continue;
    if (current && !stockGradients.has(config.kernelName)) stockGradients.set(config.kernelName, current);
    tf.registerGradient(config);
  }
}
