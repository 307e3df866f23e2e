// Every registered model: parameter count equal to PyTorch's for the same definition (fixture), output shape,
// one training step on wasm without NaNs and without leaking tensors, evaluation holding one block's activations at a time.
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../../test/fixtures.js';
import { initBackend } from '../backend/select.js';
import { crossEntropy } from '../losses/cross-entropy.js';
import { Rng } from '../rng.js';
import { expectNoLeakedTensors } from '../testing/expect-no-leaked-tensors.js';
import { tensorMemory } from '../testing/tensor-memory.js';
import { tf } from '../tf.js';
import { createModel, listModels, modelRegistry } from './index.js';

interface CountCase {
  name: string;
  options: Record<string, unknown>;
  numClasses: number;
  inputShape: [number, number, number];
  parameters: number;
}
const counts = fixture<CountCase[]>('param-counts.json');

describe.each(listModels())('model %s', (name) => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it("has PyTorch's parameter count for every fixture case", () => {
    const cases = counts.filter((c) => c.name === name);
    expect(cases.length, `no parameter-count fixture for '${name}': add it to scripts/fixtures/make_fixtures.py`).toBeGreaterThan(0);
    for (const c of cases) {
      const m = createModel({ name, ...c.options }, { numClasses: c.numClasses, inputShape: c.inputShape, rng: new Rng(0) });
      expect(m.parameterCount(), JSON.stringify(c.options)).toBe(c.parameters);
      m.dispose();
    }
  });

  it('trains one step: logits [N, classes], finite loss, gradients for every parameter, no leaked tensors', async () => {
    // The smallest input each architecture takes keeps the 50M-parameter ones to seconds.
    const size = Math.max(8, modelRegistry.get(name).entry.minInputSize);
    const model = createModel({ name }, { numClasses: 7, inputShape: [size, size, 3], rng: new Rng(1) });
    const params = model.namedParameters();
    const x = tf.randomNormal([2, size, size, 3], 0, 1, 'float32', 1);
    const y = tf.tensor1d([0, 6], 'int32');
    const step = () =>
      tf.tidy(() => {
        const logits = model.forward(x);
        expect(logits.shape).toEqual([2, 7]);
        const { value, grads } = tf.variableGrads(
          () => crossEntropy(model.forward(x), y),
          params.map(([, v]) => v),
        );
        expect(Object.keys(grads)).toHaveLength(params.length);
        expect(Number.isFinite(value.dataSync()[0])).toBe(true);
        for (const [, v] of params) v.assign(tf.sub(v, tf.mul(grads[v.name]!, 0.01)));
        return value.dataSync()[0];
      });
    await expectNoLeakedTensors(step);
    model.dispose();
    tf.dispose([x, y]);
  });

  it('evaluates without keeping every activation alive: peak memory a fraction of what the forward allocates, same logits', () => {
    // Evaluation batches of 500 (×2 views with TTA) through deep nets otherwise outgrow wasm's 4 GiB heap.
    const size = Math.max(8, modelRegistry.get(name).entry.minInputSize);
    const model = createModel({ name }, { numClasses: 7, inputShape: [size, size, 3], rng: new Rng(1) }).eval();
    const x = tf.randomNormal([4, size, size, 3], 0, 1, 'float32', 2);
    const { peak, allocated } = tensorMemory(() => tf.tidy(() => model.forward(x)));
    const taped = tf.tidy(() => {
      let logits: number[] = [];
      tf.variableGrads(() => {
        const out = model.forward(x);
        logits = Array.from(out.dataSync());
        return tf.sum(out) as tf.Scalar;
      });
      return logits;
    });
    expect(tf.tidy(() => Array.from(model.forward(x).dataSync()))).toEqual(taped);
    // A net whose whole forward allocates under 64 KiB (the 2-layer mlp) has nothing worth freeing early.
    if (allocated > 64 * 1024) expect(peak, `peak ${peak} B of ${allocated} B allocated`).toBeLessThan(0.5 * allocated);
    model.dispose();
    x.dispose();
  });
});
