// Counts the kernels a function dispatches, by kernel name and by where in the engine they come from (forward,
// backward, BatchNorm, optimizer, loss). For the dispatch benchmark and the kernel-budget test: a count, never a time.
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { tf } from '../tf.js';

/** Where a kernel was dispatched from, judged by its call stack. */
export type KernelSource = 'forward' | 'backward' | 'batchnorm' | 'optimizer' | 'loss' | 'other';

export interface KernelCount {
  /** Kernels dispatched by the code being measured: on tfjs-node each is one eager TensorFlow op. */
  total: number;
  byName: Record<string, number>;
  bySource: Record<KernelSource, number>;
  /** Kernel names per source (with `sources`). */
  bySourceName: Partial<Record<KernelSource, Record<string, number>>>;
  /**
   * Kernels run inside another kernel's implementation (our wasm gradient kernels are built from tf ops). They cost JS
   * bookkeeping here but do not exist on tfjs-node, where the outer kernel is one TensorFlow op; not in `total`.
   */
  nested: number;
  nestedByName: Record<string, number>;
  /** Multiply-add FLOPs (2 per MAC) of the convolutions and matrix products among the dispatched kernels. */
  flops: number;
}

type Shape = readonly number[];
const prod = (s: Shape) => s.reduce((a, b) => a * b, 1);

/** FLOPs of one convolution or matrix-product kernel from its input and output shapes; 0 for every other kernel. */
function flopsOf(name: string, inputs: Record<string, { shape: Shape } | undefined>, attrs: Record<string, unknown>, out: Shape): number {
  switch (name) {
    case 'Conv2D': {
      const [kh, kw, ci] = inputs.filter!.shape;
      return 2 * prod(out) * kh! * kw! * ci!;
    }
    case 'Conv2DBackpropInput': {
      const [kh, kw, ci] = inputs.filter!.shape;
      return 2 * prod(inputs.dy!.shape) * kh! * kw! * ci!;
    }
    case 'Conv2DBackpropFilter': {
      const [kh, kw, ci] = attrs.filterShape as number[];
      return 2 * prod(inputs.dy!.shape) * kh! * kw! * ci!;
    }
    case 'DepthwiseConv2dNative':
      return 2 * prod(out) * inputs.filter!.shape[0]! * inputs.filter!.shape[1]!;
    case 'DepthwiseConv2dNativeBackpropInput':
    case 'DepthwiseConv2dNativeBackpropFilter': {
      const f = (inputs.filter?.shape ?? attrs.filterShape) as Shape;
      return 2 * prod(inputs.dy!.shape) * f[0]! * f[1]!;
    }
    case 'BatchMatMul': {
      const a = inputs.a!.shape;
      const k = attrs.transposeA ? a[a.length - 2]! : a[a.length - 1]!;
      return 2 * prod(out) * k;
    }
    default:
      return 0;
  }
}

/** By the innermost frame of the engine's own code; gradient kernels of tfjs ops run under backpropagateGradients. */
function classify(stack: string): KernelSource {
  const frames = stack.split('\n').slice(1);
  let backward = false;
  for (const f of frames) {
    if (f.includes('backpropagateGradients')) backward = true;
    const m = /packages[/\\]core[/\\]src[/\\](\w+)[/\\]([\w-]+)\.[tj]s/.exec(f);
    if (!m || m[1] === 'testing' || m[1] === 'backend') continue;
    const [, dir, file] = m;
    if (file === 'batch-norm') return 'batchnorm';
    if (dir === 'optim') return 'optimizer';
    if (dir === 'losses' && !backward) return 'loss';
    if (backward) return 'backward';
    if (dir === 'models' || dir === 'nn') return 'forward';
    return 'other';
  }
  return backward ? 'backward' : 'other';
}

/**
 * Runs `fn` with every kernel of the active backend wrapped to count its calls; restores the kernels afterwards.
 * With `sources`, each outermost kernel is attributed by its stack (slow: for benchmarks and tests, not training).
 */
export function countKernels<T>(fn: () => T, opts: { sources?: boolean } = {}): { result: T; count: KernelCount } {
  const backendName = tf.getBackend();
  const count: KernelCount = {
    total: 0,
    byName: {},
    bySource: { forward: 0, backward: 0, batchnorm: 0, optimizer: 0, loss: 0, other: 0 },
    nested: 0,
    bySourceName: {},
    nestedByName: {},
    flops: 0,
  };
  let depth = 0;
  const originals = tf.getKernelsForBackend(backendName) as KernelConfig[];
  const wrap = (k: KernelConfig): KernelConfig => ({
    ...k,
    kernelFunc: (args) => {
      if (depth > 0) {
        count.nested++;
        count.nestedByName[k.kernelName] = (count.nestedByName[k.kernelName] ?? 0) + 1;
      } else {
        count.total++;
        count.byName[k.kernelName] = (count.byName[k.kernelName] ?? 0) + 1;
        if (opts.sources) {
          const limit = Error.stackTraceLimit;
          Error.stackTraceLimit = 60;
          const stack = new Error().stack ?? '';
          Error.stackTraceLimit = limit;
          const source = classify(stack);
          count.bySource[source]++;
          count.bySourceName[source] ??= {};
          const names = count.bySourceName[source]!;
          names[k.kernelName] = (names[k.kernelName] ?? 0) + 1;
        }
      }
      depth++;
      try {
        const out = k.kernelFunc(args);
        if (depth === 1) {
          const first = (Array.isArray(out) ? out[0] : out) as { shape: Shape } | undefined;
          count.flops += flopsOf(k.kernelName, args.inputs as never, (args.attrs ?? {}) as never, first?.shape ?? []);
        }
        return out;
      } finally {
        depth--;
      }
    },
  });
  const swap = (configs: KernelConfig[]) => {
    for (const k of configs) {
      tf.unregisterKernel(k.kernelName, backendName);
      tf.registerKernel(k);
    }
  };
  swap(originals.map(wrap));
  try {
    return { result: fn(), count };
  } finally {
    swap(originals);
  }
}
