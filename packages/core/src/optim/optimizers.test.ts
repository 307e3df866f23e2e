// Every registered optimizer: equal to torch.optim for 5 steps on a fixed problem (fixtures from
// scripts/fixtures/make_fixtures.py, 1e-5 relative), lowers the loss, and leaks no tensors per step.
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, relError } from '../../test/fixtures.js';
import { initBackend } from '../backend/select.js';
import { expectNoLeakedTensors } from '../testing/expect-no-leaked-tensors.js';
import { tf } from '../tf.js';
import { createOptimizer, listOptimizers } from './index.js';

interface Fx {
  problem: { W0: number[][]; b0: number[]; x: number[][]; y: number[][] };
  cases: { case: string; config: { name: string } & Record<string, unknown>; steps: { W: number[][]; b: number[] }[] }[];
}
const fx = fixture<Fx>('optimizer-steps.json');

/** mean((x@W+b-y)^2) + 0.1·Σsin(W), the fixture's loss. */
function problem() {
  const W = tf.variable(tf.tensor2d(fx.problem.W0));
  const b = tf.variable(tf.tensor1d(fx.problem.b0));
  const x = tf.tensor2d(fx.problem.x);
  const y = tf.tensor2d(fx.problem.y);
  const loss = () => tf.add(tf.mean(tf.square(tf.sub(tf.add(tf.matMul(x, W), b), y))), tf.mul(tf.sum(tf.sin(W)), 0.1)) as tf.Scalar;
  return { W, b, loss, dispose: () => tf.dispose([W, b, x, y]) };
}

function step(opt: ReturnType<typeof createOptimizer>, p: ReturnType<typeof problem>) {
  tf.tidy(() => {
    const { grads } = tf.variableGrads(p.loss, [p.W, p.b]);
    opt.step({ W: grads[p.W.name]!, b: grads[p.b.name]! });
  });
}

describe.each(listOptimizers())('optimizer %s', (name) => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('equals torch.optim step by step on every fixture case', async () => {
    const cases = fx.cases.filter((c) => c.config.name === name);
    expect(cases.length, `no PyTorch fixture for optimizer '${name}'`).toBeGreaterThan(0);
    for (const c of cases) {
      const p = problem();
      const opt = createOptimizer(c.config, [['W', p.W], ['b', p.b]]);
      for (const [i, expected] of c.steps.entries()) {
        step(opt, p);
        expect(relError(await p.W.data(), expected.W.flat()), `${c.case} step ${i + 1} W`).toBeLessThan(1e-5);
        expect(relError(await p.b.data(), expected.b), `${c.case} step ${i + 1} b`).toBeLessThan(1e-5);
      }
      opt.dispose();
      p.dispose();
    }
  });

  it('lowers the loss and leaks no tensors once its state exists', async () => {
    const p = problem();
    const opt = createOptimizer({ name, lr: 0.01 }, [['W', p.W], ['b', p.b]]);
    const before = p.loss().dataSync()[0]!;
    await expectNoLeakedTensors(() => step(opt, p));
    for (let i = 0; i < 20; i++) step(opt, p);
    expect(p.loss().dataSync()[0]!).toBeLessThan(before);
    opt.dispose();
    p.dispose();
  });
});
