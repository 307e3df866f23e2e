// One small variant of every architecture family against PyTorch (scripts/fixtures/torch_models.py): with the same
// deterministic weights, the fixture's BatchNorm statistics and input, eval-mode logits, cross-entropy, every
// parameter's squared-gradient sum, the first parameter's full gradient and one output channel of the deepest conv's
// gradient match within the case's tolerance (4× PyTorch's own float32-vs-float64 drift, at least 1e-4). The generator
// asserts that the input reaches the logits (spread ≥ 100× tolerance) and no gradient vanishes, so this checks the
// wiring of every layer: order of BN/ReLU, shortcuts, padding, pooling, depthwise convs.
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
  buffers: Record<string, number[]>;
  logits: number[][];
  loss: number;
  gradSumSq: Record<string, number>;
  firstGrad: { name: string; values: unknown };
  deepGrad: { name: string; row: number; values: unknown };
  tolerance: number;
}
const cases = fixture<Case[]>('model-forwards.json');

function sumOfSquares(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * a[i]!;
  return s;
}

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
    const buffers = model.namedBuffers();
    expect(buffers.map(([n]) => n).sort()).toEqual(Object.keys(c.buffers).sort());
    for (const [name, v] of buffers) tf.tidy(() => v.assign(tf.tensor1d(c.buffers[name]!)));
    model.eval();
    const tol = c.tolerance;
    const params = model.namedParameters();
    expect(params.map(([n]) => n).sort()).toEqual(Object.keys(c.gradSumSq).sort());
    const x = fromTorch(c.input as never, 'nchw');
    const y = tf.tensor1d(c.labels, 'int32');
    let logits!: tf.Tensor;
    const { value, grads } = tf.variableGrads(
      () => {
        logits = tf.keep(model.forward(x));
        return crossEntropy(logits, y);
      },
      params.map(([, v]) => v),
    );
    expect(relError(await logits.data(), c.logits.flat()), 'logits').toBeLessThan(tol);
    expect(Math.abs((await value.data())[0]! - c.loss) / c.loss, 'loss').toBeLessThan(tol);
    // Every gradient is compared, relative to itself or, near zero, to 1e-12 of the largest: the generator keeps every
    // Σgrad² ≥ 1e-10 of the largest, so that absolute part never adds more than 1% to a check here.
    const largest = Math.max(...Object.values(c.gradSumSq));
    for (const [name, v] of params) {
      // Summed in float64: a float32 tf.sum over preactresnet18's 2.4M-entry conv gradients is off by 3e-3.
      const sumSq = sumOfSquares(grads[v.name]!.dataSync());
      const expected = c.gradSumSq[name]!;
      expect(Math.abs(sumSq - expected), `Σgrad² of ${name}: ${sumSq} vs ${expected}`).toBeLessThanOrEqual(2 * tol * (expected + 1e-12 * largest));
    }
    const [firstName, firstVar] = params[0]!;
    expect(firstName).toBe(c.firstGrad.name);
    expect(
      relError(toTorchLayout(model, firstName, grads[firstVar.name]!), (c.firstGrad.values as number[][]).flat(3)),
      'first gradient',
    ).toBeLessThan(tol);
    const { name: deepName, row, values: deepValues } = c.deepGrad;
    const deepVar = params.find(([n]) => n === deepName)![1];
    const rowValues = (deepValues as number[][]).flat(2);
    const deep = toTorchLayout(model, deepName, grads[deepVar.name]!).subarray(row * rowValues.length, (row + 1) * rowValues.length);
    expect(relError(deep, rowValues), `gradient of ${deepName}[${row}]`).toBeLessThan(tol);
    tf.dispose([x, y, logits, value, ...Object.values(grads)]);
    model.dispose();
  });
});
