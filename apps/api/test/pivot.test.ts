// The pivot and its formats are pure: an ablation table in, rows × columns out, with Δ per cell against the baseline
// row's cell in the same column; LaTeX in booktabs with the best cell of each column in bold.
import { describe, expect, it } from 'vitest';
import { buildAblationTable } from '../src/tables/ablation-table.js';
import { pivot } from '../src/tables/pivot.js';
import { pivotCsv, pivotHtml, pivotLatex, pivotMarkdown } from '../src/tables/pivot-format.js';

const cell = (model: string, aug: string, seed: number, value: number | null) => ({
  labels: { model, aug },
  seed,
  status: value === null ? 'queued' : 'done',
  value,
});
// resnet18 and wrn: aug none/flip, seeds 0-2; wrn/flip is missing seed 2.
const input = [
  ...[0, 1, 2].flatMap((s) => [cell('r18', 'none', s, 0.6 + s / 100), cell('r18', 'flip', s, 0.65 + s / 100)]),
  ...[0, 1, 2].flatMap((s) => [cell('wrn', 'none', s, 0.7 + s / 100), cell('wrn', 'flip', s, s === 2 ? null : 0.76 + s / 100)]),
];
const accuracy = { title: 'top-1 (%)', percent: true };
const t = buildAblationTable(input, ['model', 'aug'], 'testTop1');

describe('pivot', () => {
  const p = pivot(t, ['model'], ['aug'], { model: 'r18' });

  it('puts row axes down and column axes across, each cell one configuration', () => {
    expect(p.columns).toEqual([{ aug: 'none' }, { aug: 'flip' }]);
    expect(p.rows.map((r) => r.labels)).toEqual([{ model: 'r18' }, { model: 'wrn' }]);
    const wrnFlip = p.rows[1]!.cells[1]!;
    expect([wrnFlip.n, wrnFlip.expected]).toEqual([2, 3]);
    expect(wrnFlip.mean).toBeCloseTo(0.765, 12);
    expect(p.rows[0]!.cells[0]!.mean).toBeCloseTo(0.61, 12);
  });

  it("compares each cell with the baseline row's cell in its column: paired when the seeds match, Welch when they do not", () => {
    expect(p.rows[0]!.cells.map((c) => [c!.baseline, c!.delta])).toEqual([
      [true, null],
      [true, null],
    ]);
    const [none, flip] = p.rows[1]!.cells;
    // wrn − r18 per seed is 0.10 exactly in the `none` column: paired, a point interval.
    expect(none!.delta).toMatchObject({ method: 'paired', df: 2, excludesZero: true });
    expect(none!.delta!.estimate).toBeCloseTo(0.1, 12);
    // wrn/flip has seeds {0,1}, r18/flip {0,1,2}: Welch.
    expect(flip!.delta!.method).toBe('welch');
    expect(flip!.delta!.estimate).toBeCloseTo(0.765 - 0.66, 12);
  });

  it('refuses axes that do not fit the sweep', () => {
    expect(() => pivot(t, ['model'], ['loss'])).toThrow(/'loss' is not an axis/);
    expect(() => pivot(t, ['model'], [])).toThrow(/'aug' is neither/);
    expect(() => pivot(t, ['model', 'aug'], ['aug'])).toThrow(/both a row and a column/);
    expect(() => pivot(t, ['model'], ['aug'], { aug: 'none' })).toThrow(/not a row axis/);
  });
});

describe('pivot formats', () => {
  const p = pivot(t, ['model'], ['aug']);

  it('Markdown: mean ± std (n finished/expected) per cell', () => {
    expect(pivotMarkdown(p, accuracy).split('\n').slice(0, 4)).toEqual([
      '| model | aug=none | aug=flip |',
      '| --- | ---: | ---: |',
      '| r18 | 61.00 ± 1.00 (n 3) | 66.00 ± 1.00 (n 3) |',
      '| wrn | 71.00 ± 1.00 (n 3) | 76.50 ± 0.71 (n 2/3) |',
    ]);
  });

  it('LaTeX: booktabs, the best cell of each column in bold (lower is better for a loss)', () => {
    expect(pivotLatex(p, accuracy)).toBe(
      [
        '\\begin{tabular}{lrr}',
        '\\toprule',
        'model & aug=none & aug=flip \\\\',
        '\\midrule',
        'r18 & 61.00 $\\pm$ 1.00 & 66.00 $\\pm$ 1.00 \\\\',
        'wrn & \\textbf{71.00 $\\pm$ 1.00} & \\textbf{76.50 $\\pm$ 0.71} \\\\',
        '\\bottomrule',
        '\\end{tabular}',
        '',
      ].join('\n'),
    );
    const loss = pivotLatex(p, { title: 'test loss', percent: false, better: 'lower' });
    expect(loss).toContain('\\textbf{0.6100 $\\pm$ 0.01000}');
    expect(loss).not.toContain('\\textbf{0.7100');
    // Labels are escaped.
    const odd = pivot(buildAblationTable([cell('a_b&c', 'x%', 0, 0.5)], ['model', 'aug'], 'testTop1'), ['model'], ['aug']);
    expect(pivotLatex(odd, accuracy)).toContain('a\\_b\\&c & \\textbf{50.00}');
  });

  it('HTML and CSV carry the same cells', () => {
    const html = pivotHtml(p, accuracy);
    expect(html).toContain('<thead><tr><th>model</th><th>aug=none</th><th>aug=flip</th></tr></thead>');
    expect(html).toContain('<td class="best"><strong>76.50 ± 0.71 <small>n 2/3</small></strong></td>');
    expect(pivotHtml(pivot(buildAblationTable([cell('<x>', 'a', 0, 0.5)], ['model', 'aug'], 'testTop1'), ['model'], ['aug']), accuracy)).toContain(
      '<th scope="row">&lt;x&gt;</th>',
    );
    const csv = pivotCsv(p).split('\n');
    expect(csv[0]).toBe('model,aug=none mean,aug=none std,aug=none n,aug=none expected,aug=flip mean,aug=flip std,aug=flip n,aug=flip expected');
    expect(csv[2]!.split(',').slice(5).map(Number)).toEqual([expect.closeTo(0.765, 12), expect.closeTo(0.00707, 5), 2, 3]);
  });
});
