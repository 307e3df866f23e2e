// Benchmark: training and inference images/s at batch 64 (SGD momentum, cross-entropy, 32×32 inputs) for resnet20 and
// resnet18 on every backend that loads here, beside PyTorch on the same model, batch and thread count in the same
// command (Debian python3-torch). The cpu backend is timed on fewer steps: it is two orders of magnitude slower.
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { createModel, createOptimizer, crossEntropy, initBackend, Rng, tf, useWasmKernel, type BackendChoice } from '@ablate/core';
import type { BenchResult } from './run.js';

const BATCH = 64;

async function measure(
  model: string,
  backend: BackendChoice,
  steps: number,
  batch = BATCH,
  train = true,
): Promise<{ train?: number; infer: number } | string> {
  try {
    await initBackend(backend);
  } catch (err) {
    return (err as Error).message.split('(')[0]!.trim();
  }
  const net = createModel({ name: model }, { numClasses: 10, inputShape: [32, 32, 3], rng: new Rng(0) });
  const params = net.namedParameters();
  const opt = createOptimizer({ name: 'sgd', lr: 0.01, momentum: 0.9 }, params);
  const x = tf.randomNormal([batch, 32, 32, 3], 0, 1, 'float32', 1);
  const y = tf.tensor1d(
    Array.from({ length: batch }, (_, i) => i % 10),
    'int32',
  );
  const step = () => {
    const loss = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(
        () => crossEntropy(net.forward(x), y),
        params.map(([, v]) => v),
      );
      opt.step(Object.fromEntries(params.map(([n, v]) => [n, grads[v.name]!])));
      return value;
    });
    loss.dataSync();
    loss.dispose();
  };
  const infer = () => {
    const out = tf.tidy(() => net.forward(x));
    out.dataSync();
    out.dispose();
  };
  const rate = (f: () => void) => {
    f();
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) f();
    return (batch * steps) / ((performance.now() - t0) / 1000);
  };
  net.train();
  const trainRate = train ? rate(step) : undefined;
  net.eval();
  const inf = rate(infer);
  opt.dispose();
  net.dispose();
  tf.dispose([x, y]);
  return { train: trainRate, infer: inf };
}

function torch(model: string, threads: number, steps: number): { train: number; infer: number; torch: string } | undefined {
  const r = spawnSync('/usr/bin/python3', [join(import.meta.dirname, 'training_torch.py'), model, String(BATCH), String(threads), String(steps)], {
    encoding: 'utf8',
  });
  return r.status === 0 ? JSON.parse(r.stdout.trim().split('\n').pop()!) : undefined;
}

export async function benchTraining(opts: { models: string[]; steps: number }): Promise<BenchResult> {
  const threads = availableParallelism();
  const rows: string[][] = [];
  const fmt = (v: number) => (v >= 100 ? Math.round(v).toString() : v.toFixed(1));
  for (const model of opts.models) {
    process.stderr.write(`training bench: ${model} on PyTorch…\n`);
    const ref = torch(model, threads, opts.steps);
    if (ref) rows.push([model, `PyTorch ${ref.torch} (${threads} threads)`, fmt(ref.train), fmt(ref.infer), '1.00×']);
    for (const backend of ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as BackendChoice[]) {
      if (backend === 'cpu' && model !== 'resnet20') continue;
      process.stderr.write(`training bench: ${model} on ${backend}…\n`);
      // The pure-JS cpu backend needs ~90 s for one training step of 8 images: inference only, batch 8, one pass.
      const cpu = backend === 'cpu';
      const r = await measure(model, backend, cpu ? 1 : opts.steps, cpu ? 8 : BATCH, !cpu);
      if (typeof r === 'string') rows.push([model, `tfjs ${backend}`, 'unavailable', '', '']);
      else
        rows.push([
          model,
          `tfjs ${backend}${cpu ? ' (batch 8)' : ''}`,
          r.train ? fmt(r.train) : 'not run',
          fmt(r.infer),
          ref && r.train ? `${(r.train / ref.train).toFixed(2)}×` : '—',
        ]);
      if (backend === 'wasm' && model === 'resnet20' && typeof r !== 'string') {
        // Before/after in the same run: wasm's own (scalar) Conv2DBackpropInput instead of ours.
        useWasmKernel('Conv2DBackpropInput', 'stock');
        const before = await measure(model, backend, opts.steps);
        useWasmKernel('Conv2DBackpropInput', 'ablate');
        if (typeof before !== 'string')
          rows.push([
            model,
            'tfjs wasm, stock Conv2DBackpropInput',
            fmt(before.train!),
            fmt(before.infer),
            ref ? `${(before.train! / ref.train).toFixed(2)}×` : '—',
          ]);
      }
    }
  }
  return {
    title: `Training and inference throughput, batch ${BATCH}, 32×32 RGB, SGD momentum`,
    columns: ['model', 'engine', 'train img/s', 'infer img/s', 'train vs PyTorch'],
    rows,
    notes: [
      'tfjs wasm: XNNPACK with SIMD, one thread; our Conv2DBackpropInput/Filter and depthwise gradient kernels, BatchNorm gradient via customGrad.',
      'tfjs cpu (pure JS): inference only on resnet20 at batch 8 — one training step of 8 images took 93 s here (0.09 img/s). tfjs-node backends are unavailable where libtensorflow cannot be downloaded.',
    ],
  };
}
