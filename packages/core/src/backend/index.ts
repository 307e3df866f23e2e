export * from './select.js';
export { registerWasmKernels, wasmKernels } from './wasm-kernels/index.js';
