import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { SIMD_WASM_BASE64 } from './simd-binary';

/** The functions simd.wat exports; every pointer is a byte offset into the tfjs wasm memory. */
interface SimdExports {
  maxPoolGrad2x2(x: number, g: number, dx: number, nb: number, h: number, w: number, c: number, oh: number, ow: number): void;
  im2colT(x: number, cols: number, nb: number, h: number, w: number, ci: number, oh: number, ow: number,
    kh: number, kw: number, sh: number, sw: number, pt: number, pl: number): void;
  transpose2d(src: number, dst: number, rows: number, cols: number): void;
  colSum(x: number, m: number, c: number, acc: number): void;
  colSqDev(x: number, mu: number, m: number, c: number, acc: number): void;
  colDyDev(dy: number, x: number, mu: number, m: number, c: number, accS: number, accD: number): void;
  channelAffine2(a: number, b: number, mu: number, ka: number, kb: number, k0: number, out: number, m: number, c: number): void;
  adamUpdate(x: number, m: number, v: number, g: number, x2: number, m2: number, v2: number, n: number,
    b1: number, ob1: number, b2: number, ob2: number, step: number, c2: number, eps: number): void;
  col2im(z: number, dx: number, nb: number, h: number, w: number, ci: number, oh: number, ow: number,
    kh: number, kw: number, sh: number, sw: number, pt: number, pl: number): void;
  maxRows(x: number, out: number, outer: number, reduced: number, inner: number): void;
  maxGradRows(x: number, y: number, g: number, dx: number, outer: number, reduced: number, inner: number): void;
  gatherRows(table: number, ids: number, out: number, n: number, rowBytes: number): void;
}

/** What tfjs-backend-wasm keeps of each tensor (not in its public types). */
interface WasmInternals {
  wasm: { asm?: { memory?: unknown }; wasmExports?: { memory?: unknown }; wasmMemory?: unknown };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
}

/** The parts of the WebAssembly JS API used here (the project compiles without the DOM library, which declares it). */
interface WasmMemory { readonly buffer: ArrayBuffer }
declare const WebAssembly: {
  Memory: new (descriptor: { initial: number }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
};

let compiled: object | null = null;
const instances = new WeakMap<WasmMemory, SimdExports>();

/**
 * The SIMD loops of simd.wat, instantiated on the memory of the tfjs wasm backend `backend` (once per
 * memory), with the tensors' heap offsets as pointers. Throws when the backend does not expose its memory
 * (a tfjs-backend-wasm whose internals changed).
 *
 * @example
 * ```ts
 * const simd = simdKernels(backend);
 * simd.maxPoolGrad2x2(x, dy, dx); // x, dx: [64, 28, 28, 32]; dy: [64, 14, 14, 32]
 * ```
 */
export function simdKernels(backend: BackendWasm): SimdKernels {
  const internals = backend as unknown as WasmInternals;
  // Where emscripten keeps the module's memory: `asm` in the build tfjs-backend-wasm 4.x ships, the others in later emscriptens.
  const memory = [internals.wasm.asm?.memory, internals.wasm.wasmExports?.memory, internals.wasm.wasmMemory].find((m) => m instanceof WebAssembly.Memory);
  if (!(memory instanceof WebAssembly.Memory)) {
    throw new Error('autokeras-ts: this @tensorflow/tfjs-backend-wasm does not expose its WebAssembly memory, which the training kernels need (tested with 4.22)');
  }
  let exports = instances.get(memory);
  if (!exports) {
    compiled ??= new WebAssembly.Module(Buffer.from(SIMD_WASM_BASE64, 'base64'));
    exports = new WebAssembly.Instance(compiled, { env: { memory } }).exports as unknown as SimdExports;
    instances.set(memory, exports);
  }
  return new SimdKernels(exports, (t) => {
    const entry = internals.dataIdMap.get(t.dataId);
    if (!entry) throw new Error('tensor is not on the wasm backend');
    return entry.memoryOffset;
  });
}

/**
 * Tensor-level wrappers of the simd.wat loops. Shapes are NHWC; outputs must be allocated (and zeroed
 * where the loop says so) by the caller.
 *
 * @example
 * ```ts
 * simdKernels(backend).im2colT(x, cols, convInfo.batchSize, convInfo); // cols: [KH*KW*ci, N*OH*OW]
 * ```
 */
export class SimdKernels {
  constructor(private readonly fns: SimdExports, private readonly offset: (t: tf.TensorInfo) => number) {}

  /** dx of a 2x2, stride-2 `valid` max pooling of x [nb, h, w, c] with output gradient dy [nb, oh, ow, c]. */
  maxPoolGrad2x2(x: tf.TensorInfo, dy: tf.TensorInfo, dx: tf.TensorInfo): void {
    const [nb, h, w, c] = x.shape as [number, number, number, number];
    const [, oh, ow] = dy.shape as [number, number, number, number];
    this.fns.maxPoolGrad2x2(this.offset(x), this.offset(dy), this.offset(dx), nb, h, w, c, oh, ow);
  }

  /**
   * The transposed patch matrix of x [nb, h, w, ci] for the convolution `info` describes (its batch size
   * may be larger: x's own leading dimension counts): cols [KH*KW*ci, nb*OH*OW]; `xOffset` (bytes) selects a batch chunk.
   */
  im2colT(x: tf.TensorInfo, cols: tf.TensorInfo, nb: number, info: tf.backend_util.Conv2DInfo, xOffset = 0): void {
    this.fns.im2colT(this.offset(x) + xOffset, this.offset(cols), nb, info.inHeight, info.inWidth, info.inChannels,
      info.outHeight, info.outWidth, info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth, info.padInfo.top, info.padInfo.left);
  }

  /** dst [cols, rows] = src [rows, cols] transposed (the last two dimensions of each; the leading ones must be 1). */
  transpose2d(src: tf.TensorInfo, dst: tf.TensorInfo): void {
    const [rows, cols] = src.shape.slice(-2) as [number, number];
    this.fns.transpose2d(this.offset(src), this.offset(dst), rows, cols);
  }

  /** Adds the patch gradients z [nb*OH*OW, KH*KW*ci] back into dx [nb, h, w, ci] (zeroed by the caller). */
  col2im(z: tf.TensorInfo, dx: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): void {
    this.fns.col2im(this.offset(z), this.offset(dx), info.batchSize, info.inHeight, info.inWidth, info.inChannels,
      info.outHeight, info.outWidth, info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth, info.padInfo.top, info.padInfo.left);
  }

  /**
   * Per-channel sums over the rows of x [m, c], in f64: `acc` holds c doubles (2c
   * float32 slots), zeroed by the caller. With `mu`: sums of (x - mu)^2 instead.
   */
  colSum(x: tf.TensorInfo, acc: tf.TensorInfo, mu?: tf.TensorInfo): void {
    const c = x.shape[x.shape.length - 1]!;
    const m = tf.util.sizeFromShape(x.shape) / c;
    if (mu) this.fns.colSqDev(this.offset(x), this.offset(mu), m, c, this.offset(acc));
    else this.fns.colSum(this.offset(x), m, c, this.offset(acc));
  }

  /** Per-channel sums of dy and of dy * (x - mu) over rows [m, c], in f64 (`accS`, `accD`: c doubles each, zeroed). */
  colDyDev(dy: tf.TensorInfo, x: tf.TensorInfo, mu: tf.TensorInfo, accS: tf.TensorInfo, accD: tf.TensorInfo): void {
    const c = x.shape[x.shape.length - 1]!;
    this.fns.colDyDev(this.offset(dy), this.offset(x), this.offset(mu), tf.util.sizeFromShape(x.shape) / c, c, this.offset(accS), this.offset(accD));
  }

  /**
   * One Adam step of `x` (moments `m`, `v`, gradient `g`) into `x2`, `m2`, `v2` (same size): `step` is the
   * learning rate over 1 - beta1^t, `c2` is 1 - beta2^t.
   */
  adamUpdate(t: { x: tf.TensorInfo; m: tf.TensorInfo; v: tf.TensorInfo; g: tf.TensorInfo; x2: tf.TensorInfo; m2: tf.TensorInfo; v2: tf.TensorInfo },
    a: { beta1: number; beta2: number; step: number; c2: number; epsilon: number }): void {
    const o = this.offset;
    this.fns.adamUpdate(o(t.x), o(t.m), o(t.v), o(t.g), o(t.x2), o(t.m2), o(t.v2), tf.util.sizeFromShape(t.x.shape),
      a.beta1, 1 - a.beta1, a.beta2, 1 - a.beta2, a.step, a.c2, a.epsilon);
  }

  /** out = ka * a + kb * (b - mu) + k0 over rows [m, c], the coefficients per channel ([c] each). */
  channelAffine2(a: tf.TensorInfo, b: tf.TensorInfo, mu: tf.TensorInfo, ka: tf.TensorInfo, kb: tf.TensorInfo, k0: tf.TensorInfo, out: tf.TensorInfo): void {
    const c = a.shape[a.shape.length - 1]!;
    this.fns.channelAffine2(this.offset(a), this.offset(b), this.offset(mu), this.offset(ka), this.offset(kb), this.offset(k0), this.offset(out), tf.util.sizeFromShape(a.shape) / c, c);
  }

  /** out [outer, inner] = the maximum of x [outer, reduced, inner] over its middle axis (`reduced` >= 1), NaN propagating. */
  maxRows(x: tf.TensorInfo, out: tf.TensorInfo, outer: number, reduced: number, inner: number): void {
    this.fns.maxRows(this.offset(x), this.offset(out), outer, reduced, inner);
  }

  /** dx [outer, reduced, inner] = g [outer, inner] where x equals y [outer, inner] (its maximum over the middle axis), else 0. */
  maxGradRows(x: tf.TensorInfo, y: tf.TensorInfo, g: tf.TensorInfo, dx: tf.TensorInfo, outer: number, reduced: number, inner: number): void {
    this.fns.maxGradRows(this.offset(x), this.offset(y), this.offset(g), this.offset(dx), outer, reduced, inner);
  }

  /** out [n, ...] = the rows `ids` (int32 [n], each in the table) of table [rows, ...], float32 rows of `inner` values. */
  gatherRows(table: tf.TensorInfo, ids: tf.TensorInfo, out: tf.TensorInfo, n: number, inner: number): void {
    this.fns.gatherRows(this.offset(table), this.offset(ids), this.offset(out), n, inner * 4);
  }
}
