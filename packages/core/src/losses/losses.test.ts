// Every registered loss: value and gradient w.r.t. the logits equal PyTorch's (fixtures), no leaked tensors.
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, relError } from '../../test/fixtures.js';
import { initBackend } from '../backend/select.js';
import { expectNoLeakedTensors } from '../testing/expect-no-leaked-tensors.js';
import { tf } from '../tf.js';
import { createLoss, listLosses } from './index.js';

interface Fx {
  logits: number[][];
  labels: number[];
  cases: { case: string; config: { name: string } & Record<string, unknown>; value: number; grad: number[][] }[];
}
const fx = fixture<Fx>('losses.json');

describe.each(listLosses())('loss %s', (name) => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('equals PyTorch in value and gradient on every fixture case', async () => {
    const cases = fx.cases.filter((c) => c.config.name === name);
    expect(cases.length, `no PyTorch fixture for loss '${name}'`).toBeGreaterThan(0);
    const logits = tf.tensor2d(fx.logits);
    const labels = tf.tensor1d(fx.labels, 'int32');
    for (const c of cases) {
      const loss = createLoss(c.config);
      const { value, grad } = tf.valueAndGrad((l: tf.Tensor) => loss(l, labels))(logits);
      expect(Math.abs((await value.data())[0]! - c.value), c.case).toBeLessThan(1e-5);
      expect(relError(await grad.data(), c.grad.flat()), c.case).toBeLessThan(1e-5);
      tf.dispose([value, grad]);
    }
    await expectNoLeakedTensors(() => tf.dispose(createLoss(cases[0]!.config)(logits, labels)));
    tf.dispose([logits, labels]);
  });
});
