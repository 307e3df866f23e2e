// Every registered schedule against the PyTorch scheduler and stepping loop it names (fixtures from
// scripts/fixtures/make_fixtures.py: the lr each batch trained at), plus the study's traced values (seed-recipe §5).
import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/fixtures.js';
import { createSchedule, listSchedules } from './index.js';

interface Fx {
  cases: { case: string; config: { name: string } & Record<string, unknown>; baseLr: number; epochs: number; iters: number; lrs: number[] }[];
}
const fx = fixture<Fx>('schedules.json');

describe.each(listSchedules())('schedule %s', (name) => {
  it("gives PyTorch's lr for every batch of every fixture case", () => {
    const cases = fx.cases.filter((c) => c.config.name === name);
    expect(cases.length, `no PyTorch fixture for schedule '${name}'`).toBeGreaterThan(0);
    for (const c of cases) {
      const s = createSchedule(c.config, { baseLr: c.baseLr, epochs: c.epochs });
      const ours: number[] = [];
      for (let e = 1; e <= c.epochs; e++) for (let i = 0; i < c.iters; i++) ours.push(s.lr(e, i, c.iters));
      expect(ours.length).toBe(c.lrs.length);
      for (const [k, expected] of c.lrs.entries()) {
        const where = `${c.case}: epoch ${Math.floor(k / c.iters) + 1}, batch ${k % c.iters}`;
        expect(Math.abs(ours[k]! - expected), where).toBeLessThanOrEqual(1e-9 * Math.max(1e-3, Math.abs(expected)));
      }
    }
  });

  it('stays within [0, base lr] for every step of a 30-epoch run', () => {
    const s = createSchedule({ name }, { baseLr: 0.1, epochs: 30 });
    for (let e = 1; e <= 30; e++) {
      for (let i = 0; i < 10; i++) {
        const v = s.lr(e, i, 10);
        expect(v, `${name} epoch ${e}`).toBeGreaterThanOrEqual(0);
        expect(v, `${name} epoch ${e}`).toBeLessThanOrEqual(0.1 + 1e-12);
      }
    }
  });
});

describe("the study's curves (seed-recipe §5)", () => {
  it('warmup_cosine study: lr 0 for the very first batch, 0.02..0.1 over 5 epochs, cosine t = e−5 of T = 200, ending at ≈1.64e-4', () => {
    const s = createSchedule({ name: 'warmup_cosine', granularity: 'study' }, { baseLr: 0.1, epochs: 200 });
    expect(s.lr(1, 0, 391)).toBe(0);
    expect([1, 2, 3, 4, 5].map((e) => +s.lr(e, 5, 391).toFixed(10))).toEqual([0.02, 0.04, 0.06, 0.08, 0.1]);
    expect(s.lr(2, 0, 391)).toBeCloseTo(0.02, 12);
    expect([s.lr(6, 0, 391), s.lr(6, 1, 391)]).toEqual([0.1, 0.1]);
    expect(s.lr(6, 2, 391)).toBeCloseTo(1e-5 + ((0.1 - 1e-5) * (1 + Math.cos(Math.PI / 200))) / 2, 12);
    expect(+s.lr(200, 390, 391).toPrecision(3)).toBe(1.64e-4);
  });

  it('multistep upstream: 0.1 → 0.02 → 0.004 → 0.0008 from epochs 60/120/160, epoch 1 warming up from 0', () => {
    const s = createSchedule({ name: 'multistep', warmupEpochs: 1 }, { baseLr: 0.1, epochs: 200 });
    expect(s.lr(1, 0, 391)).toBe(0);
    expect(s.lr(1, 390, 391)).toBeCloseTo((0.1 * 390) / 391, 9);
    expect([2, 59, 60, 119, 120, 159, 160, 200].map((e) => +s.lr(e, 0, 391).toPrecision(10))).toEqual([
      0.1, 0.1, 0.02, 0.02, 0.004, 0.004, 0.0008, 0.0008,
    ]);
  });
});
