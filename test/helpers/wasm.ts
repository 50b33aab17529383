import * as tf from '@tensorflow/tfjs';
import { prepareWasm } from '../../src/backend';

/** Registers hooks that run the enclosing describe block (or file) on the wasm backend, then go back to cpu. */
export function useWasmBackend(): void {
  beforeAll(async () => {
    prepareWasm();
    await tf.setBackend('wasm');
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });
}
