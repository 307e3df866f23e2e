// Helpers for the ROC and PR plots: stored curves to plot rows, and how many classes get their own legend entry.

import { COLORS } from '../theme.js';

/** Up to this many classes each get a coloured curve and a legend entry; above it they are drawn thin and grey. */
export const LEGEND_MAX_CLASSES = 10;

export interface CurveRow {
  series: string;
  /** Position of the point along its curve, so lines join points in stored order. */
  i: number;
  x: number;
  y: number;
}

/** Rows of one curve, skipping points JSON stored as null (NaN rates). */
export function curveRows(series: string, x: (number | null)[], y: (number | null)[]): CurveRow[] {
  const rows: CurveRow[] = [];
  for (let i = 0; i < x.length; i++) {
    const xi = x[i];
    const yi = y[i];
    if (typeof xi === 'number' && typeof yi === 'number' && Number.isFinite(xi) && Number.isFinite(yi)) rows.push({ series, i, x: xi, y: yi });
  }
  return rows;
}

export const fmt = (v: number | null | undefined, digits = 3) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : 'n/a');

/**
 * The per-class curves of a ROC or PR plot: coloured with a legend for a few classes, one grey for many. `mark` adds
 * mark options, `legend` the colour legend's.
 */
export function perClassLayer(perClass: object[], shown: string[], few: boolean, o: { mark?: object; legend?: object } = {}) {
  return {
    name: 'per_class',
    data: { values: perClass },
    mark: { type: 'line' as const, strokeWidth: few ? 1.5 : 0.7, strokeOpacity: few ? 0.85 : 0.5, ...o.mark },
    encoding: {
      order: { field: 'i', type: 'quantitative' as const },
      detail: { field: 'cls', type: 'nominal' as const },
      ...(few
        ? {
            color: {
              field: 'cls',
              type: 'nominal' as const,
              title: 'per class',
              scale: { domain: shown, scheme: 'tableau10' },
              ...(o.legend ? { legend: o.legend } : {}),
            },
          }
        : { color: { value: COLORS.perClass } }),
    },
  };
}

/** The micro (solid) and macro (dashed) averages of a ROC or PR plot, with their legend at `orient`. */
export function averagesLayer(averages: CurveRow[], micro: string, macro: string, orient: 'bottom-left' | 'bottom-right') {
  return {
    name: 'averages',
    data: { values: averages },
    mark: { type: 'line' as const, strokeWidth: 2.5, color: COLORS.micro },
    encoding: {
      order: { field: 'i', type: 'quantitative' as const },
      strokeDash: {
        field: 'series',
        type: 'nominal' as const,
        title: 'averages',
        scale: {
          domain: [micro, macro],
          range: [
            [1, 0],
            [7, 4],
          ],
        },
        legend: { orient, symbolStrokeColor: COLORS.micro, symbolStrokeWidth: 2.5, symbolSize: 400, fillColor: 'white', padding: 4 },
      },
    },
  };
}
