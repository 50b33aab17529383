export { selectBackend, currentBackend, BACKEND_NAMES, BACKEND_ENV_VAR } from './select';
export type { BackendName, SelectBackendOptions } from './select';
export { prepareWasm, wasmBinaryDir } from './wasm';
export { registerWasmKernels, wasmKernelNames, WASM_KERNELS } from './kernels';
export { registerGradients, GRADIENTS } from './gradients';
export type { KernelFn, KernelArgs } from './kernels';
