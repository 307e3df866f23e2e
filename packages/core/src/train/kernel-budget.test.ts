// Kernels per training step, a count (never a time): every registered model (one SGD step) and every registered
// optimizer (one step of resnet20) must dispatch no more kernels than recorded in kernel-budget.json. A change that
// adds kernels fails here; one that removes them is recorded with ABLATE_RECORD_KERNEL_BUDGET=1.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/select.js';
import { crossEntropy } from '../losses/cross-entropy.js';
import { createModel, listModels, modelRegistry } from '../models/index.js';
import { createOptimizer, listOptimizers } from '../optim/index.js';
import { Rng } from '../rng.js';
import { countKernels } from '../testing/kernel-count.js';
import { tf } from '../tf.js';
import { trainStep } from './step.js';

const FILE = join(import.meta.dirname, 'kernel-budget.json');
const budget = JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, number>;
const record = process.env.ABLATE_RECORD_KERNEL_BUDGET === '1';
const measured: Record<string, number> = {};

const SGD = { name: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 5e-4 };

function kernelsPerStep(model: string, optimizer: string | ({ name: string } & Record<string, unknown>)): number {
  const size = Math.max(8, modelRegistry.get(model).entry.minInputSize);
  const net = createModel({ name: model }, { numClasses: 10, inputShape: [size, size, 3], rng: new Rng(0) });
  const params = net.namedParameters();
  const opt = createOptimizer(optimizer, params);
  net.train();
  const b = {
    x: Float32Array.from({ length: 2 * size * size * 3 }, (_, i) => (i % 13) / 13),
    y: Int32Array.from([1, 7]),
    size: 2,
    height: size,
    width: size,
    channels: 3,
  } as never;
  try {
    tf.dispose(trainStep(net, opt, crossEntropy, params, b)); // creates the optimizer state
    return countKernels(() => tf.dispose(trainStep(net, opt, crossEntropy, params, b))).count.total;
  } finally {
    opt.dispose();
    net.dispose();
  }
}

function check(key: string, count: number): void {
  measured[key] = count;
  if (record) return;
  expect(budget[key], `no kernel budget for '${key}': record it with ABLATE_RECORD_KERNEL_BUDGET=1`).toBeDefined();
  expect(count, `${key}: ${count} kernels per step, budget ${budget[key]}`).toBeLessThanOrEqual(budget[key]!);
}

describe('kernels per training step', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });
  afterAll(() => {
    if (record) writeFileSync(FILE, `${JSON.stringify({ ...budget, ...measured }, Object.keys({ ...budget, ...measured }).sort(), 2)}\n`);
  });

  it.each(listModels())('model %s (SGD) stays within its budget', (model) => {
    check(`model:${model}`, kernelsPerStep(model, SGD));
  });

  it.each(listOptimizers())('optimizer %s with its defaults (resnet20) stays within its budget', (name) => {
    check(`optimizer:${name}`, kernelsPerStep('resnet20', name));
  });
});
