// Helpers for the ROC and PR plots: stored curves to plot rows, and how many classes get their own legend entry.

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
