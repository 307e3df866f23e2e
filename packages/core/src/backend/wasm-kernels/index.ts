// Training kernels the stock wasm backend lacks; registered once when the wasm backend is selected.
import { tf } from '../../tf.js';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input.js';
import { depthwiseBackpropFilterConfig, depthwiseBackpropInputConfig } from './depthwise-backprop.js';

export const wasmKernels = [conv2dBackpropInputConfig, conv2dBackpropFilterConfig, depthwiseBackpropInputConfig, depthwiseBackpropFilterConfig];

let registered = false;
export function registerWasmKernels(): void {
  if (registered) return;
  registered = true;
  for (const k of wasmKernels) {
    if (!tf.getKernel(k.kernelName, 'wasm')) tf.registerKernel(k);
  }
}
