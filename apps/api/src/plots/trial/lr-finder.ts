// Plot 'lr_finder': the LR range test (Smith 2017), loss against lr on a log axis, raw and EMA-smoothed, with the
// suggested lr marked by a rule and its value.
import { COLORS, config } from '../theme.js';
import type { TrialPlot } from '../types.js';
import { missing } from './data.js';

export const lrFinderPlot: TrialPlot = {
  scope: 'trial',
  name: 'lr_finder',
  description: 'LR range test: training loss (raw and EMA-smoothed) against lr on a log axis, the suggested lr marked by a rule and its value.',
  reads: ['lr_finder'],
  spec(d) {
    const f = d.lrFinder;
    if (!f?.points.length) throw missing(d, 'lr_finder', 'an LR range test trace');
    const finite = (v: number | null): v is number => typeof v === 'number' && Number.isFinite(v);
    const values = f.points.flatMap((p) => [
      ...(finite(p.loss) ? [{ lr: p.lr, series: 'loss', loss: p.loss }] : []),
      ...(finite(p.smoothed) ? [{ lr: p.lr, series: 'smoothed (EMA)', loss: p.smoothed }] : []),
    ]);
    // The y range follows the smoothed loss up to the divergence threshold, so the blow-up at the end stays readable.
    const smoothed = f.points.map((p) => p.smoothed).filter(finite);
    const lo = Math.min(...smoothed, ...values.map((v) => v.loss));
    const cap = finite(f.minSmoothedLoss) ? f.minSmoothedLoss * f.options.divergeFactor : Math.max(...smoothed);
    const hi = Math.min(Math.max(...smoothed), cap);
    const pad = (hi - lo) * 0.05 || Math.abs(hi) * 0.05 || 1;
    const suggested = finite(f.suggestedLr) ? f.suggestedLr : null;
    const lrText = (lr: number) => (lr >= 0.01 && lr < 1000 ? lr.toPrecision(2) : lr.toExponential(1));
    const x = {
      field: 'lr',
      type: 'quantitative' as const,
      scale: { type: 'log' as const },
      title: 'learning rate (log scale)',
      axis: { format: '.0e' },
    };
    const y = { field: 'loss', type: 'quantitative' as const, title: 'training loss', scale: { domain: [lo - pad, hi + pad], zero: false } };
    const color = {
      field: 'series',
      type: 'nominal' as const,
      title: null,
      scale: { domain: ['loss', 'smoothed (EMA)'], range: ['#a9bcd6', COLORS.train] },
      legend: { orient: 'right' as const },
    };
    return {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      config,
      title: {
        text: `LR range test: ${d.label}`,
        subtitle: [
          `${f.iterations} steps, lr ${f.options.startLr.toExponential(0)} → ${f.options.endLr.toExponential(0)}${f.diverged ? ', stopped at divergence' : ''}; EMA β ${f.options.smoothing}`,
          `suggested lr: ${f.rule}`,
        ],
      },
      width: 520,
      height: 300,
      layer: [
        {
          name: 'trace',
          data: { values },
          transform: [{ filter: "datum.series === 'loss'" }],
          mark: { type: 'line', clip: true, strokeWidth: 1 },
          encoding: { x, y, color },
        },
        {
          name: 'smoothed',
          data: { values },
          transform: [{ filter: "datum.series !== 'loss'" }],
          mark: { type: 'line', clip: true, strokeWidth: 2.5 },
          encoding: { x, y, color },
        },
        ...(suggested === null
          ? []
          : [
              {
                name: 'suggested_rule',
                data: { values: [{ lr: suggested, label: `suggested lr ${lrText(suggested)}` }] },
                mark: { type: 'rule' as const, color: COLORS.rule, strokeDash: [6, 3], strokeWidth: 2 },
                encoding: { x: { field: 'lr', type: 'quantitative' as const } },
              },
              {
                name: 'suggested_label',
                data: { values: [{ lr: suggested, label: `suggested lr ${lrText(suggested)}` }] },
                mark: {
                  type: 'text' as const,
                  align: 'left' as const,
                  dx: 5,
                  y: 8,
                  baseline: 'top' as const,
                  color: COLORS.rule,
                  fontWeight: 'bold' as const,
                },
                encoding: { x: { field: 'lr', type: 'quantitative' as const }, text: { field: 'label', type: 'nominal' as const } },
              },
            ]),
      ],
    };
  },
};
