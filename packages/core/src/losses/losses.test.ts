// Every registered loss: value and gradient w.r.t. the logits equal PyTorch's (fixtures, including the MixUp/CutMix
// mixing criterion over it), no leaked tensors; per-class weights are checked against the dataset.
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, relError } from '../../test/fixtures.js';
import { initBackend } from '../backend/select.js';
import { expectNoLeakedTensors } from '../testing/expect-no-leaked-tensors.js';
import { tf } from '../tf.js';
import { classBalancedWeights, createLoss, listLosses, mixedLoss } from './index.js';

interface Fx {
  logits: number[][];
  labels: number[];
  classes: number;
  cases: {
    case: string;
    config: { name: string } & Record<string, unknown>;
    value: number;
    grad: number[][];
    classCounts?: number[];
    mix?: { y2: number[]; lam: number };
  }[];
}
const fx = fixture<Fx>('losses.json');

beforeAll(async () => {
  await initBackend('wasm');
});

describe.each(listLosses())('loss %s', (name) => {
  it('equals PyTorch in value and gradient on every fixture case', async () => {
    const cases = fx.cases.filter((c) => c.config.name === name);
    expect(cases.length, `no PyTorch fixture for loss '${name}'`).toBeGreaterThan(0);
    const logits = tf.tensor2d(fx.logits);
    const labels = tf.tensor1d(fx.labels, 'int32');
    for (const c of cases) {
      const loss = createLoss(c.config, { classes: fx.classes, classCounts: c.classCounts });
      const y2 = c.mix && tf.tensor1d(c.mix.y2, 'int32');
      const f = (l: tf.Tensor) => (y2 ? mixedLoss(loss, l, labels, y2, c.mix!.lam) : loss(l, labels));
      const { value, grad } = tf.valueAndGrad(f)(logits);
      expect(Math.abs((await value.data())[0]! - c.value), c.case).toBeLessThan(1e-5);
      expect(relError(await grad.data(), c.grad.flat()), c.case).toBeLessThan(1e-5);
      tf.dispose([value, grad, y2!].filter(Boolean));
    }
    const any = cases[0]!;
    await expectNoLeakedTensors(() => tf.dispose(createLoss(any.config, { classes: fx.classes, classCounts: any.classCounts })(logits, labels)));
    tf.dispose([logits, labels]);
  });
});

describe('loss configuration', () => {
  it('focal: a per-class α must have one weight per class, and says so naming the field', () => {
    expect(() => createLoss({ name: 'focal', alpha: [0.25, 0.75] }, { classes: 5 })).toThrow(
      /loss\.alpha: has 2 weights but the dataset has 5 classes/,
    );
  });

  it('class_balanced: weights sum to the number of classes, rarer classes weigh more, absent classes 0', () => {
    const w = classBalancedWeights([500, 50, 5, 0], 0.999);
    expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(4, 12);
    expect(w[2]!).toBeGreaterThan(w[1]!);
    expect(w[1]!).toBeGreaterThan(w[0]!);
    expect(w[3]).toBe(0);
    // β → 0 is no re-weighting at all (every present class weight 1 before normalising).
    expect(classBalancedWeights([500, 50, 5], 0)).toEqual([1, 1, 1]);
    expect(() => createLoss('class_balanced', { classes: 3 })).toThrow(/class counts/);
  });
});
