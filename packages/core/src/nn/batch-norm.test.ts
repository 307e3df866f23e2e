// BatchNorm2d: hand-written gradient vs autodiff, PyTorch running statistics, no leaks.
import { beforeAll, describe, expect, it } from 'vitest';
import { relError } from '../../test/fixtures.js';
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

  it('hand-written backward equals autodiff of the textbook formula', async () => {
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
