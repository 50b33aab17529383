import type * as tf from '@tensorflow/tfjs';
import { withScope, type KernelArgs } from './context';

/**
 * `UnsortedSegmentSum`, which the wasm backend lacks: `out[s, ...] = sum of x[i, ...] over i with
 * segmentIds[i] = s`, ids outside `[0, numSegments)` dropped (as the cpu backend does). It is the
 * gradient of a gather, so an embedding layer cannot train on wasm without it. One pass over the rows
 * of `x`, each row added into its segment's row.
 *
 * @example
 * ```ts
 * tf.grad((e: tf.Tensor2D) => tf.gather(e, ids).sum())(embeddings); // runs UnsortedSegmentSum
 * ```
 */
export function unsortedSegmentSum({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const numSegments = (attrs as { numSegments: number }).numSegments;
  const idRank = segmentIds.shape.length;
  const inner = x.shape.slice(idRank).reduce((a, b) => a * b, 1);
  const rows = segmentIds.shape.reduce((a, b) => a * b, 1);
  return withScope(backend, (s) => {
    const out = s.alloc([numSegments, ...x.shape.slice(idRank)], true);
    const src = s.view(x);
    const dst = s.view(out);
    const ids = s.backend.typedArrayFromHeap(segmentIds) as Int32Array | Float32Array;
    for (let r = 0; r < rows; r++) {
      const id = ids[r]!;
      if (!(id >= 0 && id < numSegments)) continue;
      const a = r * inner;
      const b = id * inner;
      for (let k = 0; k < inner; k++) dst[b + k]! += src[a + k]!;
    }
    return out;
  });
}
