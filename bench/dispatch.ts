// Benchmark: kernels per training step, the quantity that bounds a tfjs-node-gpu step (each kernel is one eager
// TensorFlow op dispatched from JavaScript). Every registered model and the SGD, Adam and SAM families are counted with
// the per-op formulation (before) and the lean one (after) in the same run, with a breakdown by source and kernel, the
// JavaScript engine cost per kernel measured here, a modelled GPU step time, and wasm img/s side by side.
import {
  createModel,
  createOptimizer,
  crossEntropy,
  initBackend,
  leanDispatch,
  listModels,
  Rng,
  setLeanDispatch,
  tf,
  trainStep,
  type BackendChoice,
} from '@ablate/core';
import { countKernels, type KernelCount } from '@ablate/core/testing';
import type { BenchResult } from './run.js';

/** Native cost per eager op on the GPU path: PyTorch's CUDA host-side submit, A100 (flagos-ai/Torch-FL PR #27, "cuda_sub"). */
const NATIVE_US = 8;
/** Achieved GPU throughput for the step's convolutions and matrix products (≈20 % of an H100's dense TF32 peak). */
const GPU_TFLOPS = 100;
/** The study's batch (SOLVER.BATCH_SIZE); kernel counts do not depend on it, FLOPs scale with it. */
const STUDY_BATCH = 128;
const COUNT_BATCH = 2;

const OPTIMIZERS: Record<string, { name: string } & Record<string, unknown>> = {
  SGD: { name: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 5e-4 },
  Adam: { name: 'adam', lr: 1e-3, weightDecay: 5e-4 },
  SAM: { name: 'sam', rho: 0.05, base: { name: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 5e-4 } },
};

function batch(size: number) {
  return {
    x: Float32Array.from({ length: size * 32 * 32 * 3 }, (_, i) => ((i * 7919) % 255) / 255),
    y: Int32Array.from({ length: size }, (_, i) => (i * 37) % 100),
    size,
    height: 32,
    width: 32,
    channels: 3,
  };
}

/** Builds a model and optimizer, takes one step to create the optimizer state, then counts one step. */
function countStep(model: string, optimizer: { name: string } & Record<string, unknown>, lean: boolean, sources = false): KernelCount {
  setLeanDispatch(lean);
  const net = createModel({ name: model }, { numClasses: 100, inputShape: [32, 32, 3], rng: new Rng(0) });
  const params = net.namedParameters();
  const opt = createOptimizer(optimizer, params);
  net.train();
  const b = batch(COUNT_BATCH) as never;
  try {
    tf.dispose(trainStep(net, opt, crossEntropy, params, b));
    return countKernels(() => tf.dispose(trainStep(net, opt, crossEntropy, params, b)), { sources }).count;
  } finally {
    opt.dispose();
    net.dispose();
  }
}

/** µs of JavaScript engine work per kernel: a 1-element Add, so the kernel itself costs next to nothing. */
async function jsOverheadUs(backend: BackendChoice): Promise<number> {
  await initBackend(backend);
  const a = tf.scalar(1);
  const b = tf.scalar(2);
  const n = 20_000;
  const runs: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    tf.tidy(() => {
      for (let i = 0; i < n; i++) tf.add(a, b);
    });
    runs.push(((performance.now() - t0) * 1000) / n);
  }
  tf.dispose([a, b]);
  return runs.sort((x, y) => x - y)[2]!;
}

/** Median img/s of interleaved per-op and lean steps on two identical models (drift hits both alike). */
function imgPerSecond(model: string, steps: number, size = 64): { before: number; after: number } {
  const make = () => {
    const net = createModel({ name: model }, { numClasses: 100, inputShape: [32, 32, 3], rng: new Rng(0) });
    const params = net.namedParameters();
    net.train();
    return { net, params, opt: createOptimizer(OPTIMIZERS.SGD!, params) };
  };
  const runs = [make(), make()];
  const b = batch(size) as never;
  const times: number[][] = [[], []];
  for (let i = 0; i <= steps; i++) {
    for (const k of [0, 1]) {
      setLeanDispatch(k === 1);
      const r = runs[k]!;
      const t0 = performance.now();
      const s = trainStep(r.net, r.opt, crossEntropy, r.params, b);
      s.dataSync();
      s.dispose();
      if (i > 0) times[k]!.push(performance.now() - t0);
    }
  }
  for (const r of runs) {
    r.opt.dispose();
    r.net.dispose();
  }
  const rate = (t: number[]) => (size * 1000) / t.sort((x, y) => x - y)[t.length >> 1]!;
  return { before: rate(times[0]!), after: rate(times[1]!) };
}

const int = (v: number) => Math.round(v).toLocaleString('en-US');
const ms = (v: number) => (v >= 10 ? v.toFixed(0) : v.toFixed(1));
const times = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

export async function benchDispatch(opts: { models?: string[]; speedSteps: number }): Promise<BenchResult[]> {
  const wasLean = leanDispatch();
  const cpuUs = await jsOverheadUs('cpu');
  const wasmUs = await jsOverheadUs('wasm');
  const perKernelUs = wasmUs + NATIVE_US;
  const models = opts.models ?? listModels();

  const rows: string[][] = [];
  for (const model of models) {
    process.stderr.write(`dispatch bench: ${model}…\n`);
    const before = countStep(model, OPTIMIZERS.SGD!, false);
    const after = countStep(model, OPTIMIZERS.SGD!, true);
    const gflop = (after.flops / COUNT_BATCH) * STUDY_BATCH;
    const computeMs = gflop / (GPU_TFLOPS * 1e9);
    const stepMs = (c: KernelCount) => Math.max((c.total * perKernelUs) / 1000, computeMs);
    rows.push([
      model,
      int(before.total),
      int(after.total),
      times(before.total, after.total),
      `${int(before.total + before.nested)} → ${int(after.total + after.nested)}`,
      (gflop / 1e9).toFixed(1),
      ms(computeMs),
      `${ms(stepMs(before))} → ${ms(stepMs(after))}`,
      `${Math.round((100 * computeMs) / stepMs(before))} % → ${Math.round((100 * computeMs) / stepMs(after))} %`,
    ]);
  }

  const familyRows: string[][] = [];
  for (const model of ['resnet18', 'resnet50'].filter((m) => models.includes(m))) {
    for (const [family, config] of Object.entries(OPTIMIZERS)) {
      const before = countStep(model, config, false);
      const after = countStep(model, config, true);
      familyRows.push([model, family, int(before.total), int(after.total), times(before.total, after.total)]);
    }
  }

  const breakdown: BenchResult | undefined = models.includes('resnet50')
    ? (() => {
        const before = countStep('resnet50', OPTIMIZERS.SGD!, false, true);
        const after = countStep('resnet50', OPTIMIZERS.SGD!, true, true);
        const top = (c: KernelCount, source: string) =>
          Object.entries(c.bySourceName[source as keyof KernelCount['bySource']] ?? {})
            .sort((x, y) => y[1] - x[1])
            .slice(0, 5)
            .map(([k, n]) => `${k} ${n}`)
            .join(', ');
        return {
          title: 'Where resnet50’s kernels come from (one SGD step, per-op → lean)',
          columns: ['source', 'per-op', 'lean', 'per-op: most frequent', 'lean: most frequent'],
          rows: (Object.keys(before.bySource) as (keyof KernelCount['bySource'])[]).map((s) => [
            s,
            int(before.bySource[s]),
            int(after.bySource[s]),
            top(before, s),
            top(after, s),
          ]),
          notes: [
            `Nested kernels (run through the engine inside our wasm Conv2DBackprop* kernels; each of those is one TensorFlow op on tfjs-node, so they are not dispatched there): per-op ${int(before.nested)}, lean ${int(after.nested)} (${Object.entries(
              after.nestedByName,
            )
              .map(([k, n]) => `${k} ${n}`)
              .join(', ')}).`,
          ],
        };
      })()
    : undefined;

  const speed = ['resnet20', 'resnet18']
    .filter((m) => models.includes(m))
    .map((m) => {
      process.stderr.write(`dispatch bench: wasm img/s ${m}…\n`);
      const r = imgPerSecond(m, m === 'resnet20' ? opts.speedSteps * 3 : opts.speedSteps);
      return [m, r.before.toFixed(1), r.after.toFixed(1), times(r.after, r.before)];
    });
  setLeanDispatch(wasLean);

  return [
    {
      title: `Kernels per SGD training step (32×32, 100 classes; wasm; per-op → lean, same run)`,
      columns: [
        'model',
        'per-op',
        'lean',
        'fewer',
        'incl. nested wasm kernels',
        `GFLOP/step (batch ${STUDY_BATCH})`,
        `GPU compute ms @ ${GPU_TFLOPS} TFLOP/s`,
        'modelled GPU step ms',
        'GPU busy',
      ],
      rows,
      notes: [
        `Measured JavaScript engine cost per kernel (a 1-element Add): cpu backend ${cpuUs.toFixed(1)} µs, wasm backend ${wasmUs.toFixed(1)} µs.`,
        `Modelled GPU step = max(kernels × (${wasmUs.toFixed(1)} µs JavaScript + ${NATIVE_US} µs native dispatch), FLOPs / ${GPU_TFLOPS} TFLOP/s): host dispatch and GPU work overlap in asynchronous eager execution, so the longer bounds the step. ` +
          `The ${NATIVE_US} µs native cost per op is PyTorch's CUDA host-side submit time measured on an A100 (flagos-ai/Torch-FL PR #27, "cuda_sub" for add[512²]); TensorFlow's eager C API behind tfjs-node's N-API binding is not cheaper, so the model is optimistic about dispatch. ` +
          `${GPU_TFLOPS} TFLOP/s is an assumed achieved rate for cuDNN convolutions at CIFAR sizes (an H100's dense TF32 tensor-core peak is ≈495 TFLOP/s). FLOPs count convolutions and matrix products (forward and both gradients), 2 per multiply-add; elementwise work is left out.`,
        `Counted with batch ${COUNT_BATCH}: kernel counts do not depend on the batch. "per-op" is the formulation before issue 13 (setLeanDispatch(false)): per-parameter optimizer updates, BatchNorm in single ops, every saved tensor copied.`,
      ],
    },
    {
      title: 'Kernels per training step by optimizer family (per-op → lean)',
      columns: ['model', 'optimizer', 'per-op', 'lean', 'fewer'],
      rows: familyRows,
      notes: ['SAM is two forward/backward passes per step; SGD momentum 0.9 and Adam both with weight decay 5e-4.'],
    },
    ...(breakdown ? [breakdown] : []),
    {
      title: 'wasm training img/s, batch 64, SGD (per-op vs lean, interleaved steps, median)',
      columns: ['model', 'per-op img/s', 'lean img/s', 'lean / per-op'],
      rows: speed,
    },
  ];
}
