// Every registered optimizer, in both formulations (multi-tensor and per parameter): equal to torch.optim for 5 steps on a fixed problem (fixtures from
// scripts/fixtures/make_fixtures.py, 1e-5 relative; SAM/ASAM against davda54/sam's two-pass step), lowers the loss,
// leaks no tensors per step, and resumes from its saved state bit for bit (every parameter and slot).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flattenOptimizerState, tensorDifferences } from '../../test/bit-exact.js';
import { fixture, relError } from '../../test/fixtures.js';
import { setLeanDispatch } from '../backend/lean-dispatch.js';
import { initBackend } from '../backend/select.js';
import { expectNoLeakedTensors } from '../testing/expect-no-leaked-tensors.js';
import { tf } from '../tf.js';
import { createOptimizer, listOptimizers } from './index.js';

interface Fx {
  problem: { W0: number[][]; b0: number[]; x: number[][]; y: number[][] };
  cases: { case: string; config: { name: string } & Record<string, unknown>; twoPass: boolean; steps: { W: number[][]; b: number[] }[] }[];
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

/** One optimizer step as the training loop takes it: two-pass optimizers get a second gradient at the moved weights. */
function step(opt: ReturnType<typeof createOptimizer>, p: ReturnType<typeof problem>) {
  const grads = () => {
    const { grads: g } = tf.variableGrads(p.loss, [p.W, p.b]);
    return { W: g[p.W.name]!, b: g[p.b.name]! };
  };
  tf.tidy(() => {
    if (opt.entry.stepKind === 'two-pass') opt.firstStep!(grads());
    opt.step(grads());
  });
}

/** Three steps of a fresh optimizer on `p`; its saved state (the optimizer is disposed) and the named parameters. */
async function stateAfterThreeSteps(config: Fx['cases'][number]['config'], p: ReturnType<typeof problem>) {
  const params: [string, tf.Variable][] = [
    ['W', p.W],
    ['b', p.b],
  ];
  const first = createOptimizer(config, params);
  for (let i = 0; i < 3; i++) step(first, p);
  const state = await first.getState();
  first.dispose();
  return { params, state };
}

// Both formulations: multi-tensor updates over flat groups (lean dispatch, the default) and one update per parameter.
describe.each(
  listOptimizers().flatMap((name) => [
    [name, 'multi-tensor'],
    [name, 'per-parameter'],
  ]),
)('optimizer %s, %s', (name, formulation) => {
  beforeAll(async () => {
    await initBackend('wasm');
    setLeanDispatch(formulation === 'multi-tensor');
  });
  afterAll(() => setLeanDispatch(true));

  it('equals torch.optim step by step on every fixture case', async () => {
    const cases = fx.cases.filter((c) => c.config.name === name);
    expect(cases.length, `no PyTorch fixture for optimizer '${name}'`).toBeGreaterThan(0);
    for (const c of cases) {
      const p = problem();
      const opt = createOptimizer(c.config, [
        ['W', p.W],
        ['b', p.b],
      ]);
      expect(opt.entry.stepKind === 'two-pass', `${c.case}: fixture and registry disagree on two passes`).toBe(c.twoPass);
      for (const [i, expected] of c.steps.entries()) {
        step(opt, p);
        expect(relError(await p.W.data(), expected.W.flat()), `${c.case} step ${i + 1} W`).toBeLessThan(1e-5);
        expect(relError(await p.b.data(), expected.b), `${c.case} step ${i + 1} b`).toBeLessThan(1e-5);
      }
      opt.dispose();
      p.dispose();
    }
  });

  it('continues exactly from a saved state (checkpoint resume): W, b and every slot as an unbroken run, bit for bit', async () => {
    /** W, b and every optimizer slot (copied), plus the step count of each optimizer level. */
    const snapshot = async (opt: ReturnType<typeof createOptimizer>, p: ReturnType<typeof problem>) => {
      const { steps, tensors } = flattenOptimizerState(await opt.getState());
      tensors.set('W', { shape: p.W.shape, values: (await p.W.data()) as Float32Array });
      tensors.set('b', { shape: p.b.shape, values: (await p.b.data()) as Float32Array });
      return { steps, tensors: new Map([...tensors].map(([k, t]) => [k, { shape: t.shape, values: t.values.slice() }])) };
    };
    for (const c of fx.cases.filter((k) => k.config.name === name)) {
      // The reference: the same steps never interrupted.
      const q = problem();
      const unbroken = createOptimizer(c.config, [
        ['W', q.W],
        ['b', q.b],
      ]);
      const expected: Awaited<ReturnType<typeof snapshot>>[] = [];
      for (let i = 0; i < c.steps.length; i++) {
        step(unbroken, q);
        expected.push(await snapshot(unbroken, q));
      }
      unbroken.dispose();
      q.dispose();

      const p = problem();
      const { params, state } = await stateAfterThreeSteps(c.config, p);
      const resumed = createOptimizer(c.config, params);
      resumed.setState(structuredClone(state));
      const restored = await snapshot(resumed, p);
      expect(restored.steps, `${c.case} restored step counts`).toEqual(expected[2]!.steps);
      expect(tensorDifferences(expected[2]!.tensors, restored.tensors).join('\n'), `${c.case} restored state`).toBe('');
      for (let i = 3; i < c.steps.length; i++) {
        step(resumed, p);
        const got = await snapshot(resumed, p);
        expect(got.steps, `${c.case} resumed step ${i + 1} step counts`).toEqual(expected[i]!.steps);
        expect(tensorDifferences(expected[i]!.tensors, got.tensors).join('\n'), `${c.case} resumed step ${i + 1}`).toBe('');
        expect(relError(await p.W.data(), c.steps[i]!.W.flat()), `${c.case} resumed step ${i + 1} W vs torch`).toBeLessThan(1e-5);
        expect(relError(await p.b.data(), c.steps[i]!.b), `${c.case} resumed step ${i + 1} b vs torch`).toBeLessThan(1e-5);
      }
      resumed.dispose();
      p.dispose();
    }
  });

  it('lowers the loss and leaks no tensors once its state exists', async () => {
    const p = problem();
    const opt = createOptimizer(fx.cases.find((c) => c.config.name === name)!.config, [
      ['W', p.W],
      ['b', p.b],
    ]);
    const before = p.loss().dataSync()[0]!;
    await expectNoLeakedTensors(() => step(opt, p));
    for (let i = 0; i < 20; i++) step(opt, p);
    expect(p.loss().dataSync()[0]!).toBeLessThan(before);
    opt.dispose();
    p.dispose();
  });
  it('saves the same per-parameter state in both formulations and resumes in the other one', async () => {
    const other = formulation !== 'multi-tensor';
    for (const c of fx.cases.filter((k) => k.config.name === name)) {
      const p = problem();
      const { params, state } = await stateAfterThreeSteps(c.config, p);
      setLeanDispatch(other);
      try {
        const resumed = createOptimizer(c.config, params);
        resumed.setState(structuredClone(state));
        // The state names every slot by parameter, whichever path wrote it: the other path reads it back unchanged.
        expect(tensorDifferences(flattenOptimizerState(state).tensors, flattenOptimizerState(await resumed.getState()).tensors).join('\n')).toBe('');
        for (let i = 3; i < c.steps.length; i++) {
          step(resumed, p);
          expect(relError(await p.W.data(), c.steps[i]!.W.flat()), `${c.case} step ${i + 1} W vs torch`).toBeLessThan(1e-5);
          expect(relError(await p.b.data(), c.steps[i]!.b), `${c.case} step ${i + 1} b vs torch`).toBeLessThan(1e-5);
        }
        resumed.dispose();
      } finally {
        setLeanDispatch(!other);
      }
      p.dispose();
    }
  });
});
