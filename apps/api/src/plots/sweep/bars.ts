// Plot 'bars': the ablation table as a bar chart, one bar per row (its mean over seeds) with error bars (± one
// sample std, or the mean's 95 % t interval), the baseline row in its own colour; the same metric, reduce and
// baseline parameters as GET /sweeps/:id/table, whose builder makes the rows.
import { z } from 'zod';
import { meanInterval } from '../../tables/statistics.js';
import { PlotDataMissingError } from '../errors.js';
import { COLORS, config } from '../theme.js';
import { defineSweepPlot } from '../types.js';
import { loadSweepTable, rowLabel, type SweepTable, TableParams } from './data.js';

export const BarsParams = TableParams.extend({
  /** Error bars: ± one sample std over seeds (default) or the 95 % confidence interval of the mean (t, n−1). */
  errorBars: z.enum(['std', 'ci95']).default('std'),
}).strict();
export type BarsParams = z.output<typeof BarsParams>;

export const barsPlot = defineSweepPlot<BarsParams, SweepTable>({
  scope: 'sweep',
  name: 'bars',
  description:
    'Ablation bar chart: one bar per table row, mean over seeds with error bars (± std, or 95 % CI with errorBars=ci95), the baseline row coloured; metric, reduce, k and baseline as for the table.',
  reads: ['table'],
  query: BarsParams,
  load: loadSweepTable,
  spec({ sweepId, table, title, percent, reduction }, q) {
    if (!table.rows.some((r) => r.mean !== null)) {
      throw new PlotDataMissingError(`the bars plot needs finished trials with ${q.metric}; no row of sweep ${sweepId} has one yet`);
    }
    const fmt = (v: number) => (percent ? `${(v * 100).toFixed(2)} %` : v.toPrecision(4));
    const fmtDelta = (v: number) => `${v >= 0 ? '+' : '−'}${percent ? `${Math.abs(v * 100).toFixed(2)} pp` : Math.abs(v).toPrecision(3)}`;
    const values = table.rows.map((r) => {
      const ci = q.errorBars === 'ci95' ? meanInterval(r.values) : null;
      const half = q.errorBars === 'std' ? r.std : ci ? ci.high - ci.estimate : null;
      const delta = r.delta ? `  Δ ${fmtDelta(r.delta.estimate)}${r.delta.excludesZero ? ' *' : ''}` : '';
      return {
        row: rowLabel(r.labels, table.axes),
        role: r.baseline ? 'baseline' : 'row',
        mean: r.mean,
        low: r.mean !== null && half !== null ? r.mean - half : null,
        high: r.mean !== null && half !== null ? r.mean + half : null,
        /** Where the value label starts: right of the bar and its error bar. */
        end: r.mean === null ? 0 : Math.max(r.mean, half !== null ? r.mean + half : r.mean, 0),
        text:
          r.mean === null
            ? `no finished seed (of ${r.expected})`
            : `${fmt(r.mean)}${half !== null ? ` ± ${fmt(half).replace(' %', '')}` : ''}  n=${r.n}${r.baseline ? '  baseline' : delta}`,
      };
    });
    const order = values.map((v) => v.row);
    const errorTitle = q.errorBars === 'std' ? 'error bars: ± 1 sample std over seeds' : 'error bars: 95 % CI of the mean (t, n−1)';
    const y = { field: 'row', type: 'nominal' as const, sort: order, title: table.axes.join(' · ') || null, axis: { labelLimit: 280 } };
    const xTitle = `${title}, mean over seeds (${errorTitle})`;
    const hasBaseline = values.some((v) => v.role === 'baseline');
    return {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      config,
      title: {
        text: `Ablation: ${title}`,
        subtitle: [
          `${table.rows.length} configuration${table.rows.length === 1 ? '' : 's'}; each trial's value: ${reduction}`,
          ...(hasBaseline ? ['baseline in red; Δ: row − baseline (paired by seed, else Welch); * its 95 % CI excludes 0'] : []),
        ],
      },
      width: 440,
      height: { step: 30 },
      data: { values },
      encoding: { y },
      layer: [
        {
          name: 'bars',
          mark: { type: 'bar', height: { band: 0.7 } },
          encoding: {
            x: { field: 'mean', type: 'quantitative', title: xTitle, scale: { zero: true }, axis: percent ? { format: '.0%' } : {} },
            color: {
              field: 'role',
              type: 'nominal',
              scale: { domain: ['baseline', 'row'], range: [COLORS.baseline, COLORS.bar] },
              legend: null,
            },
          },
        },
        {
          name: 'error_bars',
          transform: [{ filter: 'datum.low !== null' }],
          mark: { type: 'rule', color: '#222222', strokeWidth: 1.5 },
          encoding: { x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' } },
        },
        {
          name: 'values',
          mark: { type: 'text', align: 'left', dx: 6, fontSize: 10, color: '#333333' },
          encoding: {
            x: { field: 'end', type: 'quantitative' },
            text: { field: 'text', type: 'nominal' },
          },
        },
      ],
    };
  },
});
