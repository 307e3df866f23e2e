// The table statistics against SciPy (apps/api/test/fixtures/statistics.json, written by
// scripts/fixtures/make_stats_fixtures.py): t quantiles at integer and fractional degrees of freedom, paired and Welch
// intervals of a difference from a baseline, and t intervals of a mean.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { differenceFromBaseline, meanInterval, sampleStd, tCdf, tQuantile } from '../src/tables/statistics.js';

const fx = JSON.parse(readFileSync(new URL('./fixtures/statistics.json', import.meta.url), 'utf8')) as {
  quantiles: { p: number; df: number; t: number }[];
  differences: {
    method: 'paired' | 'welch';
    baseline: { seeds: number[]; values: number[] };
    row: { seeds: number[]; values: number[] };
    delta: number;
    low: number;
    high: number;
    df: number;
  }[];
  means: { values: number[]; mean: number; std: number; low: number; high: number }[];
};

const close = (a: number, b: number, rel: number) => Math.abs(a - b) <= rel * Math.max(1, Math.abs(b));

describe("Student's t", () => {
  it(`matches scipy.stats.t.ppf at ${fx.quantiles.length} (p, df) pairs, fractional df included, and inverts its CDF`, () => {
    for (const q of fx.quantiles) {
      const t = tQuantile(q.p, q.df);
      expect(close(t, q.t, 1e-9), `p=${q.p} df=${q.df}: ${t} vs ${q.t}`).toBe(true);
      expect(tCdf(t, q.df)).toBeCloseTo(q.p, 12);
      expect(tQuantile(1 - q.p, q.df)).toBeCloseTo(-t, 9);
    }
  });
});

describe('intervals', () => {
  it('of a difference from a baseline: paired by seed when the seeds are the same, Welch otherwise, as SciPy computes them', () => {
    expect(new Set(fx.differences.map((d) => d.method))).toEqual(new Set(['paired', 'welch']));
    for (const [k, c] of fx.differences.entries()) {
      const d = differenceFromBaseline(c.row, c.baseline)!;
      expect(d.method, `case ${k}`).toBe(c.method);
      for (const key of ['estimate', 'low', 'high', 'df'] as const) {
        const want = key === 'estimate' ? c.delta : c[key];
        expect(close(d[key], want, 1e-9), `case ${k} ${key}: ${d[key]} vs ${want}`).toBe(true);
      }
      expect(d.excludesZero).toBe(c.low > 0 || c.high < 0);
    }
  });

  it('of a mean, with the sample standard deviation', () => {
    for (const m of fx.means) {
      const i = meanInterval(m.values)!;
      expect(close(i.estimate, m.mean, 1e-12)).toBe(true);
      expect(close(sampleStd(m.values), m.std, 1e-12)).toBe(true);
      expect(close(i.low, m.low, 1e-9) && close(i.high, m.high, 1e-9)).toBe(true);
    }
  });

  it('is undefined below two seeds, and a point for two constant samples', () => {
    expect(differenceFromBaseline({ seeds: [0], values: [0.5] }, { seeds: [0], values: [0.4] })).toBeNull();
    expect(meanInterval([0.5])).toBeNull();
    expect(differenceFromBaseline({ seeds: [1, 2], values: [0.5, 0.5] }, { seeds: [3, 4], values: [0.4, 0.4] })).toMatchObject({
      method: 'welch',
      low: expect.closeTo(0.1, 12),
      high: expect.closeTo(0.1, 12),
      excludesZero: true,
    });
  });
});
