import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/**
 * The argument every tfjs kernel function receives.
 *
 * @example
 * ```ts
 * const f: KernelFn = ({ inputs, backend, attrs }: KernelArgs) => inputs.x!;
 * ```
 */
export interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}

/**
 * A tfjs kernel function that returns one tensor.
 *
 * @example
 * ```ts
 * const f: KernelFn = ({ inputs }) => inputs.x!;
 * ```
 */
export type KernelFn = (args: KernelArgs) => tf.TensorInfo;

/**
 * The wasm kernels we replace, as they were before we replaced them: our kernels call these (not the
 * registry, which now holds ours) when they need the stock behaviour.
 *
 * @example
 * ```ts
 * stockKernels.get('Sum')!({ inputs: { x }, backend, attrs: { axis: [1], keepDims: false } });
 * ```
 */
export const stockKernels = new Map<string, KernelFn>();

/**
 * Runs stock wasm kernels on behalf of one of our kernels and frees every intermediate it made.
 * Kernels run below the engine, so intermediates are raw TensorInfos that the engine does not track:
 * forgetting to free one would leak wasm heap memory, invisible to `tf.memory()`.
 *
 * @example
 * ```ts
 * const y = withScope(backend, (s) => s.transpose(s.reshape(x, [2, 3]), [1, 0]));
 * ```
 */
export class WasmScope {
  private readonly made: tf.TensorInfo[] = [];

  constructor(readonly backend: BackendWasm) {}

  /** Runs the stock kernel `name` on `inputs`; the result is freed by {@link dispose} unless kept. */
  run(name: string, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap = {}): tf.TensorInfo {
    const fn = stockKernels.get(name) ?? (tf.getKernel(name, 'wasm')?.kernelFunc as KernelFn | undefined);
    if (!fn) throw new Error(`wasm kernel ${name} is not registered`);
    return this.track(fn({ inputs, backend: this.backend, attrs }));
  }

  /** A new float32 tensor on the wasm heap (contents undefined unless `zero`), freed by {@link dispose} unless kept. */
  alloc(shape: number[], zero = false): tf.TensorInfo {
    const out = this.track(this.backend.makeOutput(shape, 'float32'));
    if (zero) this.view(out).fill(0);
    return out;
  }

  /** A Float32Array over the tensor's heap memory. Take views after the last allocation: a heap growth detaches them. */
  view(t: tf.TensorInfo): Float32Array {
    return this.backend.typedArrayFromHeap(t) as Float32Array;
  }

  /** `x` under another shape (same data, one more reference). */
  reshape(x: tf.TensorInfo, shape: number[]): tf.TensorInfo {
    return this.run('Reshape', { x }, { shape });
  }

  transpose(x: tf.TensorInfo, perm: number[]): tf.TensorInfo {
    return this.run('Transpose', { x }, { perm });
  }

  slice(x: tf.TensorInfo, begin: number[], size: number[]): tf.TensorInfo {
    return this.run('Slice', { x }, { begin, size });
  }

  /** Removes `t` from the intermediates, so that it survives {@link dispose} (the kernel's result). */
  keep(t: tf.TensorInfo): tf.TensorInfo {
    const i = this.made.lastIndexOf(t);
    if (i >= 0) this.made.splice(i, 1);
    return t;
  }

  /** Frees every intermediate not kept. */
  dispose(): void {
    for (const t of this.made) this.backend.disposeData(t.dataId);
    this.made.length = 0;
  }

  private track(t: tf.TensorInfo): tf.TensorInfo {
    this.made.push(t);
    return t;
  }
}

/**
 * Runs `body` in a {@link WasmScope}; returns its result (one tensor or several) and frees the rest, also
 * when `body` throws.
 *
 * @example
 * ```ts
 * return withScope(backend, (s) => s.run('Conv2D', { x, filter }, attrs));
 * ```
 */
export function withScope<T extends tf.TensorInfo | tf.TensorInfo[]>(backend: unknown, body: (s: WasmScope) => T): T {
  const scope = new WasmScope(backend as BackendWasm);
  try {
    const out = body(scope);
    for (const t of Array.isArray(out) ? out : [out]) scope.keep(t);
    return out;
  } finally {
    scope.dispose();
  }
}
