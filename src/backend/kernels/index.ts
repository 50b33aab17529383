import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm'; // registers the stock wasm kernels we wrap
import { stockKernels, type KernelArgs, type KernelFn } from './context';
import { conv2DBackpropFilter, conv2DBackpropInput } from './conv2d_grad';
import { conv3DBackpropFilter, conv3DBackpropInput } from './conv3d_grad';
import { batchMatMul } from './matmul';
import { ADAM_UPDATE, adamUpdate } from './adam';
import { BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD, batchNormTrain, batchNormTrainGrad } from './batchnorm_train';
import { fusedBatchNorm } from './batchnorm';
import { cast, identity } from './identity';
import { maxPoolGrad } from './pool_grad';
import { mean, sum, tile } from './reduce';
import { unsortedSegmentSum } from './segment_sum';
import { gatherV2 } from './gather';
import { MAX_GRAD, max, maxGrad } from './max';

/**
 * The kernels autokeras-ts registers on the wasm backend: those it lacks for training (`Conv2DBackpropFilter`),
 * those whose stock version is wrong in tfjs 4.22 (the 3D convolution gradients, for `same` padding or
 * strides above 1), and those whose stock version is a generic scalar loop where a few XNNPACK calls or a
 * block copy do the same work faster (among them the text networks' `GatherV2` embedding lookup and `Max` global max pooling), the embedding gradient it lacks (`UnsortedSegmentSum`), and four of our own (`AutokerasAdamUpdate`, a fused Adam step; `AutokerasBatchNormTrain` and its gradient; `AutokerasMaxGrad`, the max reduction's gradient). Each matches the cpu backend to 1e-4 relative (test/backend).
 *
 * @example
 * ```ts
 * WASM_KERNELS.map((k) => k.kernelName); // ['Conv2DBackpropFilter', 'Conv2DBackpropInput', ...]
 * ```
 */
export const WASM_KERNELS: ReadonlyArray<{ kernelName: string; kernelFunc: (args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[] }> = [
  { kernelName: tf.Conv2DBackpropFilter, kernelFunc: conv2DBackpropFilter },
  { kernelName: tf.Conv2DBackpropInput, kernelFunc: conv2DBackpropInput },
  { kernelName: tf.Conv3DBackpropFilterV2, kernelFunc: conv3DBackpropFilter },
  { kernelName: tf.Conv3DBackpropInputV2, kernelFunc: conv3DBackpropInput },
  { kernelName: tf.BatchMatMul, kernelFunc: batchMatMul },
  { kernelName: tf.MaxPoolGrad, kernelFunc: maxPoolGrad },
  { kernelName: tf.Sum, kernelFunc: sum },
  { kernelName: tf.Mean, kernelFunc: mean },
  { kernelName: tf.Tile, kernelFunc: tile },
  { kernelName: tf.Identity, kernelFunc: identity },
  { kernelName: tf.Cast, kernelFunc: cast },
  { kernelName: tf.FusedBatchNorm, kernelFunc: fusedBatchNorm },
  { kernelName: ADAM_UPDATE, kernelFunc: adamUpdate },
  { kernelName: BATCH_NORM_TRAIN, kernelFunc: batchNormTrain },
  { kernelName: BATCH_NORM_TRAIN_GRAD, kernelFunc: batchNormTrainGrad },
  { kernelName: tf.UnsortedSegmentSum, kernelFunc: unsortedSegmentSum },
  { kernelName: tf.GatherV2, kernelFunc: gatherV2 },
  { kernelName: tf.Max, kernelFunc: max },
  { kernelName: MAX_GRAD, kernelFunc: maxGrad },
];

/**
 * Registers {@link WASM_KERNELS} for the `wasm` backend, replacing stock kernels of the same name (kept in
 * `stockKernels` for ours to call). Idempotent. Call it after `@tensorflow/tfjs-backend-wasm` is imported.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-wasm';
 * registerWasmKernels();
 * await tf.setBackend('wasm'); // conv nets now train on wasm
 * ```
 */
export function registerWasmKernels(): void {
  for (const { kernelName, kernelFunc } of WASM_KERNELS) {
    const current = tf.getKernel(kernelName, 'wasm');
    if (current?.kernelFunc === kernelFunc) continue;
    if (current) {
      if (!stockKernels.has(kernelName)) stockKernels.set(kernelName, current.kernelFunc as KernelFn);
      tf.unregisterKernel(kernelName, 'wasm');
    }
    // Keep the stock setup (it binds the C++ function the stock kernel calls) for when the backend re-initialises.
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc: kernelFunc as tf.KernelFunc, setupFunc: current?.setupFunc });
  }
}

/**
 * The names of the kernels {@link registerWasmKernels} registers.
 *
 * @example
 * ```ts
 * wasmKernelNames().includes('Conv2DBackpropFilter'); // true
 * ```
 */
export function wasmKernelNames(): string[] {
  return WASM_KERNELS.map((k) => k.kernelName);
}
export type { KernelFn, KernelArgs } from './context';
export { ADAM_UPDATE } from './adam';
export { BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD } from './batchnorm_train';
export { MAX_GRAD } from './max';
export type { AdamUpdateAttrs } from './adam';
