import * as tf from '@tensorflow/tfjs';
import { stockKernels, withScope, type KernelArgs } from './context';
import { simdKernels } from './simd';

/**
 * `GatherV2` along axis 0 without batch dimensions (an embedding lookup: `out[i, ...] = x[indices[i], ...]`)
 * as one block copy (`memory.copy`, simd.wat's `gatherRows`) per index. The stock wasm kernel computes every output element's source index in a
 * generic strided loop (about 7 ms for 4096 rows of 64 values here, against well under 1 ms). Other axes,
 * batch dimensions and non-float32 tables keep the stock kernel. Indices outside `[0, x.shape[0])` throw,
 * as the stock kernel does.
 *
 * @example
 * ```ts
 * tf.gather(embeddings, ids); // embeddings [V, D], ids int32 [n] -> [n, D]
 * ```
 */
export function gatherV2({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { x, indices } = inputs as { x: tf.TensorInfo; indices: tf.TensorInfo };
  const { axis, batchDims } = attrs as { axis: number; batchDims?: number };
  const fast = tf.util.parseAxisParam(axis, x.shape)[0] === 0 && (batchDims ?? 0) === 0 && x.dtype === 'float32' && indices.dtype === 'int32' && x.shape.length >= 1;
  if (!fast) return stockKernels.get(tf.GatherV2)!({ inputs, backend, attrs });
  const rows = x.shape[0]!;
  const inner = tf.util.sizeFromShape(x.shape.slice(1));
  const n = tf.util.sizeFromShape(indices.shape);
  const ids = (backend as { typedArrayFromHeap(t: tf.TensorInfo): Int32Array }).typedArrayFromHeap(indices);
  for (let i = 0; i < n; i++) {
    const id = ids[i]!;
    if (!(id >= 0 && id < rows)) throw new Error(`GatherV2: the index value ${id} is not in [0, ${rows - 1}]`);
  }
  return withScope(backend, (s) => {
    const out = s.alloc([...indices.shape, ...x.shape.slice(1)]);
    if (n > 0 && inner > 0) simdKernels(s.backend).gatherRows(x, indices, out, n, inner);
    return out;
  });
}
