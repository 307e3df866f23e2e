// The training step: two-pass optimizers (SAM/ASAM) update BatchNorm running statistics on the first pass only and
// take firstStep at w then step with the gradient at the perturbed weights; no tensors leak for any stepKind.
import { optimizers } from '@ablate/spec';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BatchTensor } from '../augment/index.js';
import { initBackend } from '../backend/select.js';
import { createLoss } from '../losses/index.js';
import { createModel } from '../models/index.js';
import { createOptimizer } from '../optim/index.js';
import { Rng } from '../rng.js';
import { expectNoLeakedTensors } from '../testing/expect-no-leaked-tensors.js';
import { tf } from '../tf.js';
import { trainStep } from './step.js';

const batch: BatchTensor = (() => {
  const rng = new Rng(5);
  const x = Float32Array.from({ length: 4 * 8 * 8 * 3 }, () => rng.normal());
  return { x, y: Int32Array.from([0, 1, 2, 1]), size: 4, height: 8, width: 8, channels: 3 } as BatchTensor;
})();
const model = (seed = 1) => createModel({ name: 'tiny_cnn', width: 4 }, { numClasses: 3, inputShape: [8, 8, 3], rng: new Rng(seed) });
const snapshot = async (vars: [string, tf.Variable][]) =>
  Object.fromEntries(await Promise.all(vars.map(async ([n, v]) => [n, Array.from(await v.data())] as const)));

beforeAll(async () => {
  await initBackend('wasm');
});

describe('trainStep', () => {
  it('two-pass (SAM): BatchNorm statistics move on the first pass only; the update is firstStep at w, step at w+e(w)', async () => {
    const loss = createLoss('ce');
    const config = { name: 'sam', rho: 0.5, base: { name: 'sgd', lr: 0.1, momentum: 0.9 } };
    // The engine's step.
    const a = model();
    trainStep(a, createOptimizer(config, a.namedParameters()), loss, a.namedParameters(), batch).dispose();
    // By hand: one forward in training mode updates the running stats; the weights follow SAM's two passes with
    // statistics frozen for the second.
    const b = model();
    const opt = createOptimizer(config, b.namedParameters());
    const x = tf.tensor4d(batch.x, [4, 8, 8, 3]);
    const y = tf.tensor1d(batch.y, 'int32');
    const grads = () => {
      const vars = b.namedParameters();
      const { grads: g } = tf.variableGrads(
        () => loss(b.forward(x), y),
        vars.map(([, v]) => v),
      );
      return Object.fromEntries(vars.map(([n, v]) => [n, g[v.name]!]));
    };
    tf.tidy(() => opt.firstStep!(grads()));
    const statsAfterFirst = await snapshot(b.namedBuffers());
    b.freezeRunningStats(true);
    tf.tidy(() => opt.step(grads()));
    b.freezeRunningStats(false);
    expect(await snapshot(b.namedBuffers())).toEqual(statsAfterFirst);
    expect(await snapshot(a.namedBuffers())).toEqual(statsAfterFirst);
    const [pa, pb] = [await snapshot(a.namedParameters()), await snapshot(b.namedParameters())];
    for (const k of Object.keys(pa)) expect(pa[k], k).toEqual(pb[k]);
    // And the model is left unfrozen.
    expect(a.modules().every((m) => !m.runningStatsFrozen)).toBe(true);
    tf.dispose([x, y]);
  });

  it.each(optimizers.names())('leaks no tensors per step with %s', async (name) => {
    const m = model();
    const opt = createOptimizer({ name }, m.namedParameters());
    const loss = createLoss('ce');
    trainStep(m, opt, loss, m.namedParameters(), batch).dispose(); // creates the optimizer's slots
    await expectNoLeakedTensors(() => trainStep(m, opt, loss, m.namedParameters(), batch).dispose());
    opt.dispose();
    m.dispose();
  });
});
