// The stock wasm kernels our kernels replaced: kept for a benchmark's before/after and for the inputs ours leave to
// them (another axis, another dtype).
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { tf } from '../../tf.js';

export const stockKernels = new Map<string, KernelConfig>();
const bound = new Set<string>();

/** The stock kernel function of `kernelName`, its wasm function bound; throws if ours did not replace one. */
export function stockKernel(kernelName: string): KernelFunc {
  const k = stockKernels.get(kernelName);
  if (!k) throw new Error(`no stock wasm kernel '${kernelName}' was replaced`);
  // A stock kernel binds its wasm function in setupFunc, which the backend ran only for kernels registered at its start.
  if (!bound.has(kernelName)) {
    k.setupFunc?.(tf.findBackend('wasm')!);
    bound.add(kernelName);
  }
  return k.kernelFunc;
}
