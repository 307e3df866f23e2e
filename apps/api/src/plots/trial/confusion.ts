// Plot 'confusion': the final evaluation's confusion matrix as a heatmap, true class down, predicted across, each
// cell shaded by its share of the true class and labelled with its count while the matrix is small enough to read.
import { config } from '../theme.js';
import type { TrialPlot } from '../types.js';
import { missing, trialClassNames } from './data.js';

/** Counts are printed in the cells up to this many classes. */
export const COUNT_LABELS_MAX_CLASSES = 20;

export const confusionPlot: TrialPlot = {
  scope: 'trial',
  name: 'confusion',
  description:
    'Confusion matrix of the final evaluation: rows true class, columns predicted, shaded by share of the true class, counts in cells up to 20 classes.',
  reads: ['evaluation'],
  spec(d) {
    const e = d.evaluation;
    if (!e) throw missing(d, 'confusion', 'the evaluation report');
    const C = e.classes;
    const names = trialClassNames(d, e);
    const values: { t: string; p: string; count: number; share: number }[] = [];
    let correct = 0;
    for (let t = 0; t < C; t++) {
      const support = e.support[t] ?? 0;
      correct += e.confusion[t * C + t] ?? 0;
      for (let p = 0; p < C; p++) {
        const count = e.confusion[t * C + p] ?? 0;
        values.push({ t: names[t]!, p: names[p]!, count, share: support > 0 ? count / support : 0 });
      }
    }
    // Cells fill about 560 px, 6 to 60 px each; labels shrink with them.
    const cell = Math.max(6, Math.min(60, Math.floor(560 / C)));
    const labelSize = Math.max(5, Math.min(11, cell - 1));
    const small = C <= COUNT_LABELS_MAX_CLASSES;
    const axis = { labelOverlap: false, labelFontSize: labelSize, labelLimit: 140, ticks: small, labelPadding: 3 };
    const encoding = {
      x: { field: 'p', type: 'nominal' as const, sort: names, title: 'predicted class', axis: { ...axis, labelAngle: -45 } },
      y: { field: 't', type: 'nominal' as const, sort: names, title: 'true class', axis },
    };
    return {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      config,
      title: {
        text: `Confusion matrix: ${d.label}`,
        subtitle: `${e.n} test images, ${C} classes, accuracy ${((correct / Math.max(1, e.n)) * 100).toFixed(1)} %; shade: share of the true class`,
      },
      width: cell * C,
      height: cell * C,
      data: { values },
      encoding,
      layer: [
        {
          name: 'cells',
          // 10,000 cells at 100 classes: no per-cell aria text, which would double the SVG.
          mark: { type: 'rect', aria: small },
          encoding: {
            color: {
              field: 'share',
              type: 'quantitative',
              title: 'share of true class',
              // White at 0, so a single stray count stands out against empty cells.
              scale: { domain: [0, 0.25, 0.5, 0.75, 1], range: ['#ffffff', '#c6dbef', '#6baed6', '#2171b5', '#08306b'], interpolate: 'rgb' },
              legend: { format: '.0%' },
            },
          },
        },
        ...(small
          ? [
              {
                name: 'counts',
                mark: { type: 'text' as const, fontSize: Math.min(11, Math.max(7, cell / 3)) },
                encoding: {
                  text: { field: 'count', type: 'quantitative' as const },
                  color: { condition: { test: 'datum.share > 0.5', value: 'white' }, value: '#222222' },
                },
              },
            ]
          : []),
      ],
    };
  },
};
