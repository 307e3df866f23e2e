// SplitV for the wasm backend along the first axis: the stock kernel slices once per piece and each slice reads the
// whole input through readSync, which copies it out of the wasm heap, so a split into k pieces copies the input k
// times (a 59-way split of ResNet-20's 275,572 parameters took 16 ms). Here each piece is one copy from a heap view.
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { tf } from '../../tf.js';
import { stockKernel } from './stock.js';

/** The parts of BackendWasm this kernel uses. */
interface WasmHeap {
  makeOutput(shape: number[], dtype: string): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

export const splitVConfig: KernelConfig = {
  kernelName: 'SplitV',
  backendName: 'wasm',
  kernelFunc: (args) => {
    const { inputs, attrs, backend } = args;
    const x = inputs.x as TensorInfo;
    const axis = tf.util.parseAxisParam(attrs!.axis as number, x.shape)[0];
    if (axis !== 0 || x.dtype === 'string' || x.dtype === 'complex64') return stockKernel('SplitV')(args);
    const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, attrs!.numOrSizeSplits as number | number[], axis);
    const heap = backend as unknown as WasmHeap;
    const inner = x.shape.slice(1).reduce((a, b) => a * b, 1);
    let row = 0;
    return sizes.map((s) => {
      const out = heap.makeOutput([s, ...x.shape.slice(1)], x.dtype);
      // Views are taken after makeOutput: allocating may grow the heap and detach earlier views.
      heap.typedArrayFromHeap(out).set(heap.typedArrayFromHeap(x).subarray(row * inner, (row + s) * inner));
      row += s;
      return out;
    });
  },
};
