// tiny_cnn equals PyTorch's definition on the same weights: train/eval logits, loss, gradients, running statistics
// (even input size: PyTorch pads 1/1 at stride 2 where TF's 'same' pads 0/1, so the padding is exercised).
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, fromTorch, relError } from '../../test/fixtures.js';
import { initBackend } from '../backend/select.js';
import { crossEntropy } from '../losses/cross-entropy.js';
import { Rng } from '../rng.js';
import { tf } from '../tf.js';
import { createModel } from './index.js';

interface Fx {
  model: { name: string; width: number };
  numClasses: number;
  input: number[][][][];
  labels: number[];
  state: Record<string, number[]>;
  trainLogits: number[][];
  loss: number;
  grads: Record<string, number[]>;
  runningAfter: Record<string, number[]>;
  evalLogits: number[][];
}
const fx = fixture<Fx>('tiny-cnn-forward-backward.json');

function layoutOf(_name: string, rank: number): 'conv' | 'linear' | 'plain' {
  if (rank === 4) return 'conv';
  if (rank === 2) return 'linear';
  return 'plain';
}

describe('tiny_cnn against PyTorch', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('matches logits, loss, gradients and running stats', async () => {
    const [, c, h, w] = [fx.input.length, fx.input[0]!.length, fx.input[0]![0]!.length, fx.input[0]![0]![0]!.length];
    const model = createModel(fx.model, { numClasses: fx.numClasses, inputShape: [h, w, c], rng: new Rng(0) });
    const vars = new Map([...model.namedParameters(), ...model.namedBuffers()]);
    for (const [name, value] of Object.entries(fx.state)) {
      const v = vars.get(name);
      expect(v, `no variable ${name}`).toBeDefined();
      const t = fromTorch(value as never, layoutOf(name, tf.tensor(value).rank));
      v!.assign(t);
      t.dispose();
    }
    const x = fromTorch(fx.input as never, 'nchw');
    const y = tf.tensor1d(fx.labels, 'int32');
    const params = model.namedParameters();
    let logits!: tf.Tensor;
    const { value, grads } = tf.variableGrads(
      () => {
        logits = tf.keep(model.forward(x));
        return crossEntropy(logits, y);
      },
      params.map(([, v]) => v),
    );
    expect(relError(await logits.data(), fx.trainLogits.flat())).toBeLessThan(1e-5);
    expect(Math.abs((await value.data())[0]! - fx.loss)).toBeLessThan(1e-5);
    for (const [name, v] of params) {
      const expected = fromTorch(fx.grads[name] as never, layoutOf(name, v.rank));
      expect(relError(await grads[v.name]!.data(), await expected.data()), name).toBeLessThan(1e-4);
      expected.dispose();
    }
    for (const [name, v] of model.namedBuffers()) {
      expect(relError(await v.data(), fx.runningAfter[name]!), name).toBeLessThan(1e-5);
    }
    model.eval();
    const evalLogits = model.call(x);
    expect(relError(await evalLogits.data(), fx.evalLogits.flat())).toBeLessThan(1e-5);
    model.dispose();
  });
});
