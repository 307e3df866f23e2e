// FusedBatchNorm for the wasm backend as PyTorch's CPU kernel computes it: per-channel α = s/√(σ²+ε) and
// β = o - μ·α in JavaScript, then y = x·α + β as two of the backend's SIMD (XNNPACK) binary kernels called directly.
// The stock kernel is a scalar loop with a double division per element, 1.4× slower than those two passes, and the
// lean BatchNorm runs three per layer. Per-channel statistics only (vectors the size of the last axis, or absent);
// anything else goes to the stock kernel.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { tf } from '../../tf.js';
import { stockKernel } from './stock.js';

interface WasmBackend {
  makeOutput(shape: number[], dtype: string): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array;
  disposeData(dataId: object): boolean;
}

/** The backend's Multiply and Add, bound when our kernels are registered (called directly: not engine dispatches). */
let multiply: KernelFunc;
let add: KernelFunc;
export function bindFusedBatchNorm(): void {
  multiply = tf.getKernel('Multiply', 'wasm')!.kernelFunc;
  add = tf.getKernel('Add', 'wasm')!.kernelFunc;
}

export const fusedBatchNormConfig: KernelConfig = {
  kernelName: 'FusedBatchNorm',
  backendName: 'wasm',
  kernelFunc: (args) => {
    const { x, mean, variance, offset, scale } = args.inputs as Record<string, TensorInfo | undefined>;
    const channels = x!.shape[x!.shape.length - 1] ?? 1;
    const perChannel = [mean, variance, offset, scale].every((t) => !t || (t.shape.length === 1 && t.shape[0] === channels));
    if (x!.dtype !== 'float32' || !perChannel || x!.shape.length === 0) return stockKernel('FusedBatchNorm')(args);
    const backend = args.backend as unknown as WasmBackend;
    const alpha = backend.makeOutput([channels], 'float32');
    const beta = backend.makeOutput([channels], 'float32');
    const a = backend.typedArrayFromHeap(alpha);
    const b = backend.typedArrayFromHeap(beta);
    const m = backend.typedArrayFromHeap(mean!);
    const v = backend.typedArrayFromHeap(variance!);
    const s = scale && backend.typedArrayFromHeap(scale);
    const o = offset && backend.typedArrayFromHeap(offset);
    const eps = args.attrs!.varianceEpsilon as number;
    for (let c = 0; c < channels; c++) {
      a[c] = (s ? s[c]! : 1) / Math.sqrt(v[c]! + eps);
      b[c] = (o ? o[c]! : 0) - m[c]! * a[c]!;
    }
    const scaled = multiply({ inputs: { a: x!, b: alpha }, backend: args.backend, attrs: {} }) as TensorInfo;
    const out = add({ inputs: { a: scaled, b: beta }, backend: args.backend, attrs: {} }) as TensorInfo;
    for (const t of [alpha, beta, scaled]) backend.disposeData(t.dataId);
    return out;
  },
};
