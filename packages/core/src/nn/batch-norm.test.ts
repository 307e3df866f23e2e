// BatchNorm2d: hand-written gradient (both formulations) vs autodiff, PyTorch running statistics, no leaks.
import { beforeAll, describe, expect, it } from 'vitest';
import { relError } from '../../test/fixtures.js';
import { setLeanDispatch } from '../backend/lean-dispatch.js';
import { initBackend } from '../backend/select.js';
import { Rng } from '../rng.js';
import { expectNoLeakedTensors } from '../testing/expect-no-leaked-tensors.js';
import { tf } from '../tf.js';
import { BatchNorm2d, batchNormTrain } from './batch-norm.js';

describe('BatchNorm2d', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  const rng = new Rng(3);
  const x = tf.tensor4d(
    Float32Array.from({ length: 4 * 5 * 5 * 3 }, () => rng.normal() * 2 + 1),
    [4, 5, 5, 3],
  );
  const gamma = tf.tensor1d([1.5, -0.5, 2]);
  const beta = tf.tensor1d([0.1, 0.2, -0.3]);
  const w = tf.tensor4d(
    Float32Array.from({ length: 4 * 5 * 5 * 3 }, () => rng.normal()),
    [4, 5, 5, 3],
  );

  it.each([
    ['lean', true],
    ['per-op', false],
  ])('hand-written backward (%s) equals autodiff of the textbook formula', async (_, lean) => {
    setLeanDispatch(lean);
    const reference = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
      const { mean, variance } = tf.moments(a, [0, 1, 2]);
      return tf.add(tf.mul(tf.div(tf.sub(a, mean), tf.sqrt(tf.add(variance, 1e-5))), g), b);
    };
    const loss = (f: (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.Tensor) => (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(f(a, g, b), w));
    const ours = tf.grads(loss((a, g, b) => batchNormTrain(a, g, b, 1e-5)))([x, gamma, beta]);
    const ref = tf.grads(loss(reference))([x, gamma, beta]);
    for (let i = 0; i < 3; i++) expect(relError(await ours[i]!.data(), await ref[i]!.data())).toBeLessThan(1e-5);
    expect(relError(await batchNormTrain(x, gamma, beta, 1e-5).data(), await reference(x, gamma, beta).data())).toBeLessThan(1e-5);
    setLeanDispatch(true);
  });

  it('has the same gradients in both formulations within 1e-6 on relu-like data (lean and per-op)', async () => {
    const rng2 = new Rng(1);
    const shape = [8, 8, 8, 16];
    const n = 8 * 8 * 8 * 16;
    const a = tf.tensor(
      Float32Array.from({ length: n }, () => Math.max(0, rng2.normal() * 3 + 1)),
      shape,
    );
    const up = tf.tensor(
      Float32Array.from({ length: n }, () => rng2.normal()),
      shape,
    );
    const g = tf.tensor1d(Float32Array.from({ length: 16 }, () => rng2.normal()));
    const b = tf.tensor1d(Float32Array.from({ length: 16 }, () => rng2.normal()));
    const grads = async (lean: boolean) => {
      setLeanDispatch(lean);
      const gr = tf.grads((p: tf.Tensor, q: tf.Tensor, r: tf.Tensor) => tf.sum(tf.mul(batchNormTrain(p, q, r, 1e-5), up)))([a, g, b]);
      const out = await Promise.all(gr.map((t) => t.data()));
      tf.dispose(gr);
      return out;
    };
    const lean = await grads(true);
    const perOp = await grads(false);
    setLeanDispatch(true);
    for (let i = 0; i < 3; i++) expect(relError(lean[i]!, perOp[i]!), ['dx', 'dγ', 'dβ'][i]).toBeLessThan(1e-6);
    tf.dispose([a, up, g, b]);
  });

  it('updates running stats like PyTorch (momentum 0.1, unbiased variance) and freezes them on request', async () => {
    const bn = new BatchNorm2d(3);
    tf.tidy(() => bn.forward(x));
    const { mean, variance } = tf.moments(x, [0, 1, 2]);
    const n = 4 * 5 * 5;
    const expectedMean = Array.from(await mean.data(), (m) => 0.1 * m);
    const expectedVar = Array.from(await variance.data(), (v) => 0.9 + 0.1 * v * (n / (n - 1)));
    expect(relError(await bn.runningMean.data(), expectedMean)).toBeLessThan(1e-5);
    expect(relError(await bn.runningVar.data(), expectedVar)).toBeLessThan(1e-5);
    bn.freezeRunningStats();
    tf.tidy(() => bn.forward(x));
    expect(relError(await bn.runningMean.data(), expectedMean)).toBeLessThan(1e-6);
    bn.dispose();
  });

  it('leaks no tensors in a training step', async () => {
    const bn = new BatchNorm2d(3);
    const vars = bn.namedParameters().map(([, v]) => v);
    await expectNoLeakedTensors(() =>
      tf.tidy(() => {
        const { grads } = tf.variableGrads(() => tf.sum(tf.mul(bn.forward(x), w)) as tf.Scalar, vars);
        return Object.values(grads).length;
      }),
    );
    bn.dispose();
  });
});
