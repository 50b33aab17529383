import * as tf from '@tensorflow/tfjs';
import { stockKernels, type KernelArgs } from './context';

/**
 * `Identity` sharing the input's memory, as the cpu
 * backend does: tensors are immutable, the backend counts references. The stock wasm kernel copies, which
 * cost a full pass per batch-normalised activation.
 *
 * @example
 * ```ts
 * tf.clone(x); // on wasm: a new tensor on the same memory
 * ```
 */
export function identity({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { x } = inputs as { x: tf.TensorInfo };
  if (x.dtype === 'string') return stockKernels.get(tf.Identity)!({ inputs, backend, attrs });
  (backend as { incRef(id: object): void }).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/**
 * `Cast`: to the same dtype it is {@link identity} (shared memory); other casts run the stock kernel.
 *
 * @example
 * ```ts
 * tf.cast(x, 'float32'); // x float32: shares memory; to int32: the stock kernel
 * ```
 */
export function cast(args: KernelArgs): tf.TensorInfo {
  const { x } = args.inputs as { x: tf.TensorInfo };
  if ((args.attrs as { dtype: string }).dtype === x.dtype && x.dtype !== 'string') return identity(args);
  return stockKernels.get(tf.Cast)!(args);
}
