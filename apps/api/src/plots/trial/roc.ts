// Plot 'roc': ROC curves of the final evaluation, one per class, micro-averaged (all sample×class pairs) and the
// macro average (every class's tpr interpolated at the union of their fprs, then averaged), AUC in the legend.
import { COLORS, config } from '../theme.js';
import type { TrialPlot } from '../types.js';
import { missing, trialClassNames } from './data.js';
import { averagesLayer, curveRows, fmt, LEGEND_MAX_CLASSES, perClassLayer } from './series.js';

export const rocPlot: TrialPlot = {
  scope: 'trial',
  name: 'roc',
  description: 'ROC curves per class, micro- and macro-averaged, AUC in the legend (one-vs-rest on the softmax scores, as scikit-learn).',
  reads: ['evaluation', 'curves'],
  spec(d) {
    const e = d.evaluation;
    const c = d.curves;
    if (!e || !c) throw missing(d, 'roc', !c ? 'the ROC curves' : 'the evaluation report');
    const names = trialClassNames(d, e);
    const few = e.classes <= LEGEND_MAX_CLASSES;
    const micro = `micro-average (AUC ${fmt(e.rocAucMicro)})`;
    const macro = `macro-average (AUC ${fmt(c.rocMacro.auc)})`;
    const classSeries = c.roc.map((r, k) => (r ? (few ? `${names[k]} (AUC ${fmt(e.rocAuc[k])})` : `class ${names[k]}`) : null));
    // Per-class rows name their curve in `cls` and the averages in `series`: two fields, two legends.
    const perClass = c.roc.flatMap((r, k) => (r ? curveRows(classSeries[k]!, r.x, r.y) : [])).map(({ series, ...p }) => ({ cls: series, ...p }));
    const averages = [...curveRows(micro, c.rocMicro.x, c.rocMicro.y), ...curveRows(macro, c.rocMacro.x, c.rocMacro.y)];
    const undefinedClasses = c.roc.filter((r) => !r).length;
    const shown = classSeries.filter((s): s is string => s !== null);
    const x = { field: 'x', type: 'quantitative' as const, title: 'false positive rate', scale: { domain: [0, 1] } };
    const y = { field: 'y', type: 'quantitative' as const, title: 'true positive rate', scale: { domain: [0, 1] } };
    return {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      config,
      title: {
        text: `ROC curves: ${d.label}`,
        subtitle: [
          `one-vs-rest on ${e.n} test images; macro AUC over classes ${fmt(e.rocAucMacro)}`,
          ...(few ? [] : [`${shown.length} per-class curves in grey`]),
          ...(undefinedClasses ? [`${undefinedClasses} class(es) without positives or negatives: no curve`] : []),
        ],
      },
      width: 400,
      height: 400,
      encoding: { x, y },
      layer: [
        {
          name: 'chance',
          data: {
            values: [
              { x: 0, y: 0 },
              { x: 1, y: 1 },
            ],
          },
          mark: { type: 'line', color: COLORS.chance, strokeDash: [4, 4], strokeWidth: 1 },
        },
        perClassLayer(perClass, shown, few, { mark: { interpolate: 'linear' }, legend: { orient: 'right' } }),
        averagesLayer(averages, micro, macro, 'bottom-right'),
      ],
    };
  },
};
