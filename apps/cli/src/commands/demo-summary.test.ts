// The demo's summary line: best and worst rows, their gap, and an honest verdict against the seeds' spread, on tables
// built by the API's own table builder (so the shape read here is the one the API serves).
import { describe, expect, it } from 'vitest';
import { buildAblationTable, type AblationTable, type TableInputRow } from '../../../api/src/tables/ablation-table.js';
import { TABLE_METRICS, type TableMetricName } from '../../../api/src/tables/metrics.js';
import { summarizeTable } from './demo-summary.js';

/** The JSON the table route serves: the built table plus its metric's title and whether it reads as a percentage. */
function served(t: AblationTable) {
  const { title, percent } = TABLE_METRICS[t.metric as TableMetricName];
  return { ...t, title, percent };
}

/** One finished trial per value: `{ width: [values per seed] }` → table rows on the axis `model.width`. */
function table(cells: Record<string, (number | null)[]>, metric = 'testTop1', axis = 'model.width') {
  const rows: TableInputRow[] = Object.entries(cells).flatMap(([label, values]) =>
    values.map((value, seed) => ({ labels: { [axis]: label }, seed, status: value === null ? 'failed' : 'done', value })),
  );
  return served(buildAblationTable(rows, [axis], metric));
}

describe('summarizeTable', () => {
  it('says the gap is larger than the spread when the mean ± std ranges do not overlap', () => {
    // means 0.65, 0.47 (gap 18 points); stds 0.02 and 0.05 (sum 7 points).
    const line = summarizeTable(table({ 4: [0.42, 0.47, 0.52], 16: [0.63, 0.65, 0.67] }));
    expect(line).toBe(
      "What it shows: best model.width=16 at 65.00 %, worst model.width=4 at 47.00 %: a 18.00-point gap, larger than the two rows' seed spreads combined (std 2.00 + 5.00 points, 3 and 3 seeds).",
    );
  });

  it('says the gap is not larger than the spread when the ranges overlap or just touch', () => {
    // gap 2 points, stds 3 and 1 points.
    const within = summarizeTable(table({ a: [0.5, 0.56, 0.53], b: [0.5, 0.52, 0.51] }, 'testTop1', 'lr'));
    expect(within).toContain(
      "best lr=a at 53.00 %, worst lr=b at 51.00 %: a 2.00-point gap, not larger than the two rows' seed spreads combined (std 3.00 + 1.00 points, 3 and 3 seeds)",
    );
    expect(within).toContain('do not separate');
    expect(within).not.toContain(', larger');
    // means 0.75 and 0.5, stds 0.125 each, all exact in binary: gap = sum of stds, and touching is not separated.
    const touching = summarizeTable(table({ a: [0.625, 0.75, 0.875], b: [0.375, 0.5, 0.625] }));
    expect(touching).toContain("a 25.00-point gap, not larger than the two rows' seed spreads combined (std 12.50 + 12.50 points");
  });

  it('does not claim anything about the spread with one seed per row', () => {
    const line = summarizeTable(table({ mlp: [0.3], cnn: [0.8] }, 'testTop1', 'model'));
    expect(line).toBe(
      "What it shows: best model=cnn at 80.00 %, worst model=mlp at 30.00 %: a 50.00-point gap; with one seed in each row, the seeds' spread is unknown, so this may be chance.",
    );
    expect(summarizeTable(table({ mlp: [0.3], cnn: [0.8, 0.82] }, 'testTop1', 'model'))).toContain('with one seed in one of them');
  });

  it('picks the extremes among many rows and several axes, skipping rows with no finished seed', () => {
    const rows: TableInputRow[] = [
      ['tiny_cnn', 'none', [0.7, 0.72]],
      ['tiny_cnn', 'crop_flip', [0.9, 0.92]],
      ['mlp', 'none', [0.2, 0.22]],
      ['mlp', 'crop_flip', [null, null]],
    ].flatMap(([model, augmentation, values]) =>
      (values as (number | null)[]).map((value, seed) => ({
        labels: { model: model as string, augmentation: augmentation as string },
        seed,
        status: value === null ? 'failed' : 'done',
        value,
      })),
    );
    const line = summarizeTable(served(buildAblationTable(rows, ['model', 'augmentation'], 'testTop1')));
    expect(line).toMatch(
      /^What it shows: best model=tiny_cnn, augmentation=crop_flip at 91\.00 %, worst model=mlp, augmentation=none at 21\.00 %: a 70\.00-point gap, larger than/,
    );
  });

  it('names two different rows when they tie', () => {
    expect(summarizeTable(table({ a: [0.5], b: [0.5] }))).toContain(
      'best model.width=a at 50.00 %, worst model.width=b at 50.00 %: a 0.00-point gap',
    );
  });

  it('has nothing to compare with fewer than two finished rows', () => {
    expect(summarizeTable(table({ a: [0.5, 0.6], b: [null] }))).toBe('What it shows: one configuration finished, so there is nothing to compare.');
    expect(summarizeTable(table({ a: [null] }))).toBe('What it shows: no configuration finished, so there is nothing to compare.');
  });

  it('prints metrics that are not accuracies as plain numbers, highest and lowest', () => {
    const line = summarizeTable(table({ ce: [0.9, 1.1], ls: [1.5, 1.7] }, 'testLoss', 'loss'));
    expect(line).toBe(
      "What it shows: highest testLoss loss=ls at 1.600, lowest testLoss loss=ce at 1.000: a 0.600 gap, larger than the two rows' seed spreads combined (std 0.141 + 0.141, 2 and 2 seeds).",
    );
  });
});
