// Learning-rate schedules against the study's traced values (seed-recipe §5).
import { describe, expect, it } from 'vitest';
import { createSchedule, listSchedules } from './index.js';

describe('schedules', () => {
  it('warmup_cosine follows the study: 0.02..0.1 over 5 warmup epochs, then cosine with t = e-5 over T=200', () => {
    const s = createSchedule({ name: 'warmup_cosine', warmupEpochs: 5, minLr: 1e-5 }, { baseLr: 0.1, epochs: 200 });
    const lr = (e: number) => s.lr(e, 0, 391);
    expect([1, 2, 3, 4, 5].map(lr).map((v) => +v.toFixed(10))).toEqual([0.02, 0.04, 0.06, 0.08, 0.1]);
    // lr(6) = 1e-5 + (0.1-1e-5)·(1+cos(π/200))/2
    expect(lr(6)).toBeCloseTo(1e-5 + ((0.1 - 1e-5) * (1 + Math.cos(Math.PI / 200))) / 2, 12);
    // The final epoch ends at t=195 of 200: ≈1.64e-4, not eta_min (seed-recipe §5).
    expect(lr(200)).toBeCloseTo(1e-5 + ((0.1 - 1e-5) * (1 + Math.cos((Math.PI * 195) / 200))) / 2, 12);
    expect(+lr(200).toPrecision(3)).toBe(1.64e-4);
    expect(lr(200)).toBeGreaterThan(1e-5);
  });

  it('multistep decays by γ at each milestone (upstream: 0.1 → 0.02 → 0.004 → 0.0008)', () => {
    const s = createSchedule({ name: 'multistep' }, { baseLr: 0.1, epochs: 200 });
    const lr = (e: number) => +s.lr(e, 0, 391).toPrecision(10);
    expect([1, 59, 60, 119, 120, 159, 160, 200].map(lr)).toEqual([0.1, 0.1, 0.02, 0.02, 0.004, 0.004, 0.0008, 0.0008]);
  });

  it('every registered schedule gives a positive lr no larger than the base lr for every epoch', () => {
    for (const name of listSchedules()) {
      const s = createSchedule({ name }, { baseLr: 0.1, epochs: 30 });
      for (let e = 1; e <= 30; e++) {
        const v = s.lr(e, 0, 10);
        expect(v, `${name} epoch ${e}`).toBeGreaterThan(0);
        expect(v, `${name} epoch ${e}`).toBeLessThanOrEqual(0.1 + 1e-12);
      }
    }
  });
});
