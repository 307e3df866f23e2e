// Plot 'curves' (sweep): a per-epoch metric (default test top-1) of every table row overlaid, the mean over its
// seeds as a line and the seeds' min..max (or ± one std) as a band around it.
import { PlotDataMissingError } from '../errors.js';
import { config } from '../theme.js';
import { defineSweepPlot } from '../types.js';
import { CurvesParams, EPOCH_METRICS, loadSweepCurves, rowLabel, type SweepCurves } from './data.js';

export const sweepCurvesPlot = defineSweepPlot<CurvesParams, SweepCurves>({
  scope: 'sweep',
  name: 'curves',
  description:
    "A per-epoch metric (metric=testTop1 by default) of every table row overlaid: mean over seeds as a line, the seeds' min..max (band=minmax) or ± std (band=std) as a band; the baseline row drawn thicker.",
  reads: ['epochs'],
  query: CurvesParams,
  load: loadSweepCurves,
  spec(data, q) {
    const m = EPOCH_METRICS[q.metric];
    const values = data.rows.flatMap((r) =>
      r.points.map((p) => {
        const [low, high] = q.band === 'minmax' ? [p.min, p.max] : p.std === null ? [p.mean, p.mean] : [p.mean - p.std, p.mean + p.std];
        return { row: rowLabel(r.labels, data.axes), role: r.baseline ? 'baseline' : 'row', epoch: p.epoch, mean: p.mean, low, high, n: p.n };
      }),
    );
    if (!values.length)
      throw new PlotDataMissingError(
        `the curves plot needs epoch metrics; no done or running trial of sweep ${data.sweepId} has recorded an epoch yet`,
      );
    const rows = data.rows.map((r) => rowLabel(r.labels, data.axes));
    const bandTitle = q.band === 'minmax' ? "band: the seeds' min..max" : 'band: ± 1 sample std over seeds';
    const baseline = data.rows.find((r) => r.baseline);
    const x = { field: 'epoch', type: 'quantitative' as const, title: 'epoch', axis: { tickMinStep: 1, format: 'd' } };
    const color = {
      field: 'row',
      type: 'nominal' as const,
      title: data.axes.join(' · ') || null,
      scale: { domain: rows, scheme: rows.length <= 10 ? 'tableau10' : 'tableau20' },
      legend: { symbolType: 'stroke', symbolStrokeWidth: 3 },
    };
    return {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      config,
      title: {
        text: `${m.title} per epoch`,
        subtitle: [
          `${rows.length} configuration${rows.length === 1 ? '' : 's'}: mean over seeds (line), ${bandTitle}; done and running trials`,
          ...(baseline ? [`thick line: the baseline ${rowLabel(baseline.labels, data.axes)}`] : []),
        ],
      },
      width: 520,
      height: 300,
      data: { values },
      encoding: { x, color },
      layer: [
        {
          name: 'band',
          mark: { type: 'area', fillOpacity: 0.18, line: false },
          encoding: {
            y: {
              field: 'low',
              type: 'quantitative',
              title: `${m.title}, mean over seeds`,
              scale: { zero: false },
              axis: m.percent ? { format: '.0%' } : {},
            },
            y2: { field: 'high' },
          },
        },
        {
          name: 'mean_line',
          mark: { type: 'line', point: values.length <= 200 },
          encoding: {
            y: { field: 'mean', type: 'quantitative' },
            strokeWidth: { field: 'role', type: 'nominal', scale: { domain: ['baseline', 'row'], range: [3.5, 1.8] }, legend: null },
          },
        },
      ],
    };
  },
});
