// Training kernels for the wasm backend, registered once when it is selected: the ones it lacks
// (Conv2DBackpropFilter, the depthwise gradients) and the ones it has only as slow scalar loops (Conv2DBackpropInput:
// 10× slower than the forward convolution), replaced by formulations XNNPACK runs; SplitV, whose stock kernel
// copies the whole input once per piece; and FusedBatchNorm's pure scaling (BatchNorm's backward).
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { tf } from '../../tf.js';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input.js';
import { depthwiseBackpropFilterConfig, depthwiseBackpropInputConfig } from './depthwise-backprop.js';
import { bindFusedBatchNorm, fusedBatchNormConfig } from './fused-batch-norm.js';
import { splitVConfig } from './split-v.js';
import { stockKernels as stock } from './stock.js';

export const wasmKernels = [
  conv2dBackpropInputConfig,
  conv2dBackpropFilterConfig,
  depthwiseBackpropInputConfig,
  depthwiseBackpropFilterConfig,
  splitVConfig,
  fusedBatchNormConfig,
];

let registered = false;
export function registerWasmKernels(): void {
  if (registered) return;
  registered = true;
  bindFusedBatchNorm();
  for (const k of wasmKernels) {
    const existing = tf.getKernel(k.kernelName, 'wasm');
    if (existing) {
      stock.set(k.kernelName, existing as KernelConfig);
      tf.unregisterKernel(k.kernelName, 'wasm');
    }
    tf.registerKernel(k);
  }
}

/** Benchmarks only: switch a replaced kernel between the stock wasm one and ours. */
export function useWasmKernel(kernelName: string, which: 'ablate' | 'stock'): void {
  const ours = wasmKernels.find((k) => k.kernelName === kernelName);
  const theirs = stock.get(kernelName);
  if (!ours || !theirs) throw new Error(`no stock wasm kernel '${kernelName}' was replaced`);
  tf.unregisterKernel(kernelName, 'wasm');
  const k = which === 'ablate' ? ours : theirs;
  tf.registerKernel(k);
  // A stock kernel binds its wasm function in setupFunc, which the backend ran only for kernels present at its start.
  k.setupFunc?.(tf.findBackend('wasm')!);
}
