// Pivots an ablation table: some axes as rows, others as columns, each cell the seeds of one configuration (mean ± std,
// n of expected, and with a baseline row the Δ from the baseline's cell in the same column). Pure.
import type { AblationTable, TableRow } from './ablation-table.js';
import { differenceFromBaseline } from './statistics.js';

export interface PivotCell extends Omit<TableRow, 'labels'> {}

export interface PivotTable {
  metric: string;
  /** Axes whose labels make the rows, and those that make the columns. */
  rowAxes: string[];
  colAxes: string[];
  /** Each column's labels, in grid order. */
  columns: Record<string, string>[];
  rows: { labels: Record<string, string>; cells: (PivotCell | null)[] }[];
  baseline?: Record<string, string>;
}

export class PivotAxesError extends Error {
  readonly code = 'TABLE_ERR_BAD_AXES';
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * `t` must be built over every axis (rowAxes ∪ colAxes). `baseline` names a row by its row-axis labels; each cell is
 * compared with the baseline row's cell in its column.
 */
export function pivot(t: AblationTable, rowAxes: string[], colAxes: string[], baseline?: Record<string, string>): PivotTable {
  for (const a of [...rowAxes, ...colAxes]) {
    if (!t.axes.includes(a)) throw new PivotAxesError(`'${a}' is not an axis of this sweep (axes: ${t.axes.join(', ')})`);
  }
  const both = rowAxes.filter((a) => colAxes.includes(a));
  if (both.length) throw new PivotAxesError(`'${both[0]}' is both a row and a column axis`);
  const missing = t.axes.filter((a) => !rowAxes.includes(a) && !colAxes.includes(a));
  if (missing.length) throw new PivotAxesError(`every axis must be a row or a column; ${missing.map((m) => `'${m}'`).join(', ')} is neither`);
  const key = (labels: Record<string, string>, axes: string[]) => JSON.stringify(axes.map((a) => labels[a]));
  const pick = (labels: Record<string, string>, axes: string[]) => Object.fromEntries(axes.map((a) => [a, labels[a]!]));
  const columns = new Map<string, Record<string, string>>();
  const rows = new Map<string, { labels: Record<string, string>; cells: Map<string, PivotCell> }>();
  for (const r of t.rows) {
    const ck = key(r.labels, colAxes);
    if (!columns.has(ck)) columns.set(ck, pick(r.labels, colAxes));
    const rk = key(r.labels, rowAxes);
    if (!rows.has(rk)) rows.set(rk, { labels: pick(r.labels, rowAxes), cells: new Map() });
    const { labels: _l, baseline: _b, delta: _d, ...cell } = r;
    rows.get(rk)!.cells.set(ck, cell);
  }
  let base: { labels: Record<string, string>; cells: Map<string, PivotCell> } | undefined;
  if (baseline) {
    for (const k of Object.keys(baseline)) {
      if (!rowAxes.includes(k)) throw new PivotAxesError(`the baseline names '${k}', which is not a row axis (${rowAxes.join(', ')})`);
    }
    const matches = [...rows.values()].filter((r) => Object.entries(baseline).every(([k, v]) => r.labels[k] === v));
    if (matches.length !== 1) throw new PivotAxesError(`the baseline matches ${matches.length} rows; it must name exactly one`);
    base = matches[0];
  }
  const colKeys = [...columns.keys()];
  return {
    metric: t.metric,
    rowAxes,
    colAxes,
    columns: [...columns.values()],
    rows: [...rows.values()].map((r) => ({
      labels: r.labels,
      cells: colKeys.map((ck) => {
        const cell = r.cells.get(ck);
        if (!cell || !base) return cell ?? null;
        if (r === base) return { ...cell, baseline: true as const, delta: null };
        const b = base.cells.get(ck);
        return { ...cell, delta: b ? differenceFromBaseline(cell, b) : null };
      }),
    })),
    ...(base ? { baseline: base.labels } : {}),
  };
}
