// Backend selection and the wasm kernels the engine adds.
export * from './select.js';
export { registerWasmKernels, useWasmKernel, wasmKernels } from './wasm-kernels/index.js';
export { aliasOf, leanDispatch, setLeanDispatch } from './lean-dispatch.js';
