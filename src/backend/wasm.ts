import * as path from 'path';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerGradients } from './gradients';
import { registerWasmKernels } from './kernels';

let pathsSet = false;

/**
 * The folder holding the wasm binaries of `@tensorflow/tfjs-backend-wasm`, resolved through Node's module
 * resolution so that it works from an installed package as well as from this repository.
 *
 * @example
 * ```ts
 * setWasmPaths(wasmBinaryDir()); // what prepareWasm() does
 * ```
 */
export function wasmBinaryDir(): string {
  return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + path.sep;
}

/**
 * Makes the wasm backend usable for training: points it at its binaries (once, before it initialises),
 * registers the kernels of {@link registerWasmKernels} and the leaner gradients of {@link registerGradients}.
 * Idempotent; does not switch backends.
 *
 * In Node the non-threaded SIMD binary is used: the threaded one needs web workers, which
 * `WASM_HAS_MULTITHREAD_SUPPORT` reports as absent, and tfjs runs its XNNPACK convolutions single-threaded anyway.
 *
 * @example
 * ```ts
 * prepareWasm();
 * await tf.setBackend('wasm');
 * ```
 */
export function prepareWasm(): void {
  // (Not `tf.findBackend('wasm')` to ask whether it is initialised: that call starts initialising it.)
  if (!pathsSet) {
    try {
      setWasmPaths(wasmBinaryDir());
    } catch {
      // Its initialisation failed before; setBackend('wasm') will report that.
    }
  }
  pathsSet = true;
  registerWasmKernels();
  registerGradients();
}

// Importing @tensorflow/tfjs-backend-wasm registers wasm as tfjs's preferred backend: whoever uses tfjs
// before selectBackend() gets it, so it must find its binaries and train from the start.
prepareWasm();
