// One small variant of every architecture family against PyTorch (scripts/fixtures/torch_models.py): with the same
// deterministic weights and input, eval-mode logits, cross-entropy, each parameter's squared-gradient sum and the
// first parameter's full gradient match within the case's tolerance (4× PyTorch's own float32-vs-float64 drift, at
// least 1e-4). This checks the wiring: order of BN/ReLU, shortcuts, padding, pooling, depthwise convs.
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, fromTorch, relError } from '../../test/fixtures.js';
import { formulaInit, toTorchLayout } from '../../test/formula-weights.js';
import { initBackend } from '../backend/select.js';
import { crossEntropy } from '../losses/cross-entropy.js';
import { Rng } from '../rng.js';
import { tf } from '../tf.js';
import { createModel, listModels } from './index.js';

interface Case {
  name: string;
  options: Record<string, unknown>;
  numClasses: number;
  input: number[][][][];
  labels: number[];
  logits: number[][];
  loss: number;
  gradSumSq: Record<string, number>;
  firstGrad: { name: string; values: unknown };
  tolerance: number;
}
const cases = fixture<Case[]>('model-forwards.json');

describe('architectures against PyTorch', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('cover every family with a registered model', () => {
    const families = ['resnet18', 'resnet50', 'resnet20', 'wrn16_4', 'preactresnet18', 'densenet121', 'mobilenetv2', 'tiny_cnn'];
    expect(cases.map((c) => c.name)).toEqual(families);
    for (const f of families) expect(listModels()).toContain(f);
  });

  it.each(cases.map((c) => [`${c.name} ${JSON.stringify(c.options)}`, c] as const))('%s', async (_label, c) => {
    const model = createModel({ name: c.name, ...c.options }, { numClasses: c.numClasses, inputShape: [10, 10, 3], rng: new Rng(0) });
    formulaInit(model);
    model.eval();
    const tol = c.tolerance;
    const params = model.namedParameters();
    expect(params.map(([n]) => n).sort()).toEqual(Object.keys(c.gradSumSq).sort());
    const x = fromTorch(c.input as never, 'nchw');
    const y = tf.tensor1d(c.labels, 'int32');
    let logits!: tf.Tensor;
    const { value, grads } = tf.variableGrads(() => {
      logits = tf.keep(model.forward(x));
      return crossEntropy(logits, y);
    }, params.map(([, v]) => v));
    expect(relError(await logits.data(), c.logits.flat()), 'logits').toBeLessThan(tol);
    expect(Math.abs((await value.data())[0]! - c.loss) / c.loss, 'loss').toBeLessThan(tol);
    for (const [name, v] of params) {
      const g = grads[v.name]!;
      const sumSq = (await tf.sum(tf.square(g)).data())[0]!;
      const expected = c.gradSumSq[name]!;
      // Gradients that vanish in exact arithmetic (e.g. a conv bias right before BatchNorm) carry only rounding noise.
      if (expected < 1e-20) continue;
      expect(Math.abs(sumSq - expected) / expected, `Σgrad² of ${name}`).toBeLessThan(2 * tol);
    }
    const [firstName, firstVar] = params[0]!;
    expect(firstName).toBe(c.firstGrad.name);
    expect(relError(toTorchLayout(model, firstName, grads[firstVar.name]!), (c.firstGrad.values as number[][]).flat(3)), 'first gradient').toBeLessThan(tol);
    tf.dispose([x, y, logits, value, ...Object.values(grads)]);
    model.dispose();
  });
});
