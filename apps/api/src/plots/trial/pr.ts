// Plot 'pr': precision-recall curves of the final evaluation, one per class, micro- and macro-averaged, AP in the
// legend. The worker stores the micro PR curve; a class's PR curve follows from its stored ROC points and support
// (precision = tpr·P / (tpr·P + fpr·N), exact at those points), and the macro curve is the mean over classes of
// the interpolated precision (the best precision at recall ≥ r) on a grid of recalls.
import { COLORS, config } from '../theme.js';
import type { TrialPlot } from '../types.js';
import { type EvaluationArtifact, missing, type StoredCurve, trialClassNames } from './data.js';
import { averagesLayer, curveRows, fmt, LEGEND_MAX_CLASSES, perClassLayer } from './series.js';

const RECALL_GRID = Array.from({ length: 101 }, (_, k) => k / 100);

export const prPlot: TrialPlot = {
  scope: 'trial',
  name: 'pr',
  description:
    'Precision-recall curves per class (from the stored ROC points and class support), micro-averaged (stored) and macro-averaged (mean interpolated precision), AP in the legend.',
  reads: ['evaluation', 'curves'],
  spec(d) {
    const e = d.evaluation;
    const c = d.curves;
    if (!e || !c) throw missing(d, 'pr', !c ? 'the precision-recall curves' : 'the evaluation report');
    const names = trialClassNames(d, e);
    const few = e.classes <= LEGEND_MAX_CLASSES;
    const micro = `micro-average (AP ${fmt(e.apMicro)})`;
    const macro = `macro-average (AP ${fmt(e.apMacro)})`;
    const classes = c.roc.map((r, k) =>
      r ? { k, series: few ? `${names[k]} (AP ${fmt(e.averagePrecision[k])})` : `class ${names[k]}`, points: prFromRoc(r, e, k) } : null,
    );
    const defined = classes.filter((x): x is NonNullable<typeof x> => x !== null && x.points.length > 0);
    // Per-class rows name their curve in `cls` and the averages in `series`: two fields, two legends.
    const perClass = defined.flatMap(({ series, points }) => points.map((p, i) => ({ cls: series, i, x: p.recall, y: p.precision })));
    const macroRows = defined.length
      ? RECALL_GRID.map((r, i) => ({
          series: macro,
          i,
          x: r,
          y: defined.reduce((s, dc) => s + interpolatedPrecision(dc.points, r), 0) / defined.length,
        }))
      : [];
    const averages = [...curveRows(micro, c.prMicro.x, c.prMicro.y), ...macroRows];
    const shown = defined.map((x) => x.series);
    const chance = 1 / Math.max(1, e.classes);
    return {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      config,
      title: {
        text: `Precision-recall curves: ${d.label}`,
        subtitle: [
          `one-vs-rest on ${e.n} test images; per-class curves from the stored ROC points and class support`,
          `macro curve: mean interpolated precision over classes; dotted: micro chance level 1/${e.classes}${few ? '' : `; ${shown.length} per-class curves in grey`}`,
        ],
      },
      width: 400,
      height: 400,
      encoding: {
        x: { field: 'x', type: 'quantitative', title: 'recall', scale: { domain: [0, 1] } },
        y: { field: 'y', type: 'quantitative', title: 'precision', scale: { domain: [0, 1] } },
      },
      layer: [
        {
          name: 'chance',
          data: {
            values: [
              { x: 0, y: chance },
              { x: 1, y: chance },
            ],
          },
          mark: { type: 'line', color: COLORS.chance, strokeDash: [2, 3], strokeWidth: 1 },
        },
        perClassLayer(perClass, shown, few),
        averagesLayer(averages, micro, macro, 'bottom-left'),
      ],
    };
  },
};

interface PrPoint {
  recall: number;
  precision: number;
}

/** Class k's PR points from its ROC points: recall = tpr, precision = tp / (tp + fp); (recall 0, precision 1) first, as sklearn ends its curve. */
export function prFromRoc(r: StoredCurve, e: EvaluationArtifact, k: number): PrPoint[] {
  const P = e.support[k] ?? 0;
  const N = e.n - P;
  const out: PrPoint[] = [{ recall: 0, precision: 1 }];
  for (let i = 0; i < r.x.length; i++) {
    const fpr = r.x[i];
    const tpr = r.y[i];
    if (typeof fpr !== 'number' || typeof tpr !== 'number') continue;
    const tp = tpr * P;
    const fp = fpr * N;
    if (tp + fp > 0) out.push({ recall: tpr, precision: tp / (tp + fp) });
  }
  return out;
}

/** The best precision at recall ≥ r (0 when no point reaches r). */
export function interpolatedPrecision(points: PrPoint[], r: number): number {
  let best = 0;
  for (const p of points) if (p.recall >= r - 1e-12 && p.precision > best) best = p.precision;
  return best;
}
