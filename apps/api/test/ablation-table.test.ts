// The table builder is pure: rows in, aggregated rows out (no database).
import { describe, expect, it } from 'vitest';
import { buildAblationTable } from '../src/tables/ablation-table.js';
import { sampleStd } from '../src/tables/statistics.js';
import { toCsv, toMarkdown } from '../src/tables/format.js';

const row = (model: string, opt: string, seed: number, value: number | null, status = value === null ? 'queued' : 'done') => ({
  labels: { model, optimizer: opt },
  seed,
  status,
  value,
});

const rows = [
  row('r18', 'sgd', 0, 0.7),
  row('r18', 'sgd', 1, 0.72),
  row('r18', 'sgd', 2, 0.74),
  row('r18', 'adam', 0, 0.6),
  row('r18', 'adam', 1, null, 'failed'),
  row('r18', 'adam', 2, null),
  row('r50', 'sgd', 0, 0.8),
  row('r50', 'sgd', 1, 0.8),
  row('r50', 'sgd', 2, 0.8),
];

describe('buildAblationTable', () => {
  const t = buildAblationTable(rows, ['model', 'optimizer'], 'testTop1');

  it('makes one row per configuration in grid order, with mean, sample std and the n that finished', () => {
    expect(t.rows.map((r) => r.labels)).toEqual([
      { model: 'r18', optimizer: 'sgd' },
      { model: 'r18', optimizer: 'adam' },
      { model: 'r50', optimizer: 'sgd' },
    ]);
    const [a, b, c] = t.rows;
    // mean(0.70, 0.72, 0.74) = 0.72; sample std = sqrt(((-.02)² + 0 + .02²)/2) = 0.02
    expect(a!.mean).toBeCloseTo(0.72, 12);
    expect(a!.std).toBeCloseTo(0.02, 12);
    expect([a!.n, a!.expected, a!.failed]).toEqual([3, 3, 0]);
    expect([b!.n, b!.expected, b!.failed, b!.mean, b!.std]).toEqual([1, 3, 1, 0.6, null]);
    expect(c!.std).toBeCloseTo(0, 12);
    expect(sampleStd([1, 2, 3, 4])).toBeCloseTo(1.2909944487, 9);
  });

  it('renders Markdown with percentages and n/expected where seeds are missing', () => {
    expect(toMarkdown(t)).toBe(
      [
        '| model | optimizer | top-1 (%) | n |',
        '| --- | --- | ---: | ---: |',
        '| r18 | sgd | 72.00 ± 2.00 | 3 |',
        '| r18 | adam | 60.00 | 1/3 |',
        '| r50 | sgd | 80.00 ± 0.00 | 3 |',
        '',
      ].join('\n'),
    );
  });

  it('renders CSV with raw fractions and quotes cells that need it', () => {
    const csv = toCsv(buildAblationTable([row('a,b', 'x"y', 0, 0.5)], ['model', 'optimizer'], 'testTop1'));
    expect(csv).toBe('model,optimizer,n,expected,failed,testTop1_mean,testTop1_std,testTop1_values\n"a,b","x""y",1,1,0,0.5,,0.5\n');
  });

  it('compares every row with a baseline: Δ and its 95 % CI, paired by seed when the seeds match', () => {
    const b = buildAblationTable(rows, ['model', 'optimizer'], 'testTop1', { model: 'r18', optimizer: 'sgd' });
    expect(b.baseline).toEqual({ model: 'r18', optimizer: 'sgd' });
    const [base, adam, r50] = b.rows;
    expect([base!.baseline, base!.delta]).toEqual([true, null]);
    // r18/adam finished one seed: no interval.
    expect(adam!.delta).toBeNull();
    // r50 − r18 per seed: 0.10, 0.08, 0.06 → mean 0.08, sd 0.02, df 2, t(0.975, 2) = 4.302652729911275 (SciPy).
    const half = (4.302652729911275 * 0.02) / Math.sqrt(3);
    expect(r50!.delta).toMatchObject({ method: 'paired', df: 2, excludesZero: true });
    expect(r50!.delta!.estimate).toBeCloseTo(0.08, 12);
    expect(r50!.delta!.low).toBeCloseTo(0.08 - half, 10);
    expect(r50!.delta!.high).toBeCloseTo(0.08 + half, 10);
    expect(toMarkdown(b).split('\n')).toEqual([
      '| model | optimizer | top-1 (%) | n | Δ vs baseline (95 % CI) |',
      '| --- | --- | ---: | ---: | ---: |',
      '| r18 | sgd | 72.00 ± 2.00 | 3 | baseline |',
      '| r18 | adam | 60.00 | 1/3 | — |',
      `| r50 | sgd | 80.00 ± 0.00 | 3 | +8.00 [+${(100 * (0.08 - half)).toFixed(2)}, +${(100 * (0.08 + half)).toFixed(2)}] * |`,
      '',
      'Δ: row − baseline, 95 % confidence interval (t, paired by seed); * the interval excludes 0.',
      '',
    ]);
    expect(toCsv(b).split('\n')[0]).toBe(
      'model,optimizer,n,expected,failed,testTop1_mean,testTop1_std,testTop1_values,baseline,delta,delta_low,delta_high,delta_method',
    );
    const r50csv = toCsv(b).split('\n')[3]!.split(',');
    expect(r50csv.slice(0, 2).concat(r50csv.slice(-5, -4), r50csv.slice(-1))).toEqual(['r50', 'sgd', '0', 'paired']);
    expect(r50csv.slice(-4, -1).map(Number)).toEqual([expect.closeTo(0.08, 12), expect.closeTo(0.08 - half, 10), expect.closeTo(0.08 + half, 10)]);
  });

  it('refuses a baseline that names no axis, no row, or several rows', () => {
    expect(() => buildAblationTable(rows, ['model', 'optimizer'], 'testTop1', { loss: 'ce' })).toThrow(/'loss', which is not an axis/);
    expect(() => buildAblationTable(rows, ['model', 'optimizer'], 'testTop1', { model: 'r101' })).toThrow(/no row has model=r101/);
    expect(() => buildAblationTable(rows, ['model', 'optimizer'], 'testTop1', { model: 'r18' })).toThrow(/matches 2 rows: name more axes/);
    // One axis is enough when it singles a row out.
    expect(buildAblationTable(rows, ['model', 'optimizer'], 'testTop1', { model: 'r50' }).baseline).toEqual({ model: 'r50', optimizer: 'sgd' });
  });
});
