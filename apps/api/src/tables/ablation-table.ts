// The ablation table builder: a pure function from sweep rows to one row per distinct configuration, with the seeds
// of each aggregated as mean ± sample std and n (the n that actually finished, next to the n expected).
import { type Difference, differenceFromBaseline, mean, sampleStd } from './statistics.js';

export interface TableInputRow {
  labels: Record<string, string>;
  seed: number;
  status: string;
  /** The metric of a finished trial, else null. */
  value: number | null;
}

export interface TableRow {
  labels: Record<string, string>;
  /** Finished seeds with a value. */
  n: number;
  /** Seeds this configuration has in the sweep. */
  expected: number;
  mean: number | null;
  /** Sample standard deviation (n-1), null for n < 2. */
  std: number | null;
  values: number[];
  seeds: number[];
  failed: number;
  /** With a baseline: this row is it. */
  baseline?: true;
  /** With a baseline: this row − the baseline, with its 95 % CI (paired by seed or Welch); null below two seeds. */
  delta?: Difference | null;
}

export interface AblationTable {
  axes: string[];
  metric: string;
  rows: TableRow[];
  /** The labels of the baseline row, when one was asked for. */
  baseline?: Record<string, string>;
}

export class UnknownBaselineError extends Error {
  readonly code = 'TABLE_ERR_UNKNOWN_BASELINE';
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** `baseline`: labels that select exactly one row (a label per axis, or enough axes to single one out). */
export function buildAblationTable(rows: TableInputRow[], axes: string[], metric: string, baseline?: Record<string, string>): AblationTable {
  const groups = new Map<string, { labels: Record<string, string>; items: TableInputRow[] }>();
  for (const r of rows) {
    const key = JSON.stringify(axes.map((a) => r.labels[a] ?? ''));
    if (!groups.has(key)) groups.set(key, { labels: Object.fromEntries(axes.map((a) => [a, r.labels[a] ?? ''])), items: [] });
    groups.get(key)!.items.push(r);
  }
  const table: AblationTable = {
    axes,
    metric,
    rows: [...groups.values()].map(({ labels, items }) => {
      const finished = items.filter((i) => i.status === 'done' && i.value !== null);
      const values = finished.map((i) => i.value!);
      return {
        labels,
        n: values.length,
        expected: items.length,
        mean: values.length ? mean(values) : null,
        std: values.length > 1 ? sampleStd(values) : null,
        values,
        seeds: finished.map((i) => i.seed),
        failed: items.filter((i) => i.status === 'failed' || i.status === 'cancelled').length,
      };
    }),
  };
  return baseline ? withBaseline(table, baseline) : table;
}

function withBaseline(t: AblationTable, baseline: Record<string, string>): AblationTable {
  for (const k of Object.keys(baseline)) {
    if (!t.axes.includes(k)) throw new UnknownBaselineError(`baseline names '${k}', which is not an axis of this sweep (axes: ${t.axes.join(', ')})`);
  }
  const matches = t.rows.filter((r) => Object.entries(baseline).every(([k, v]) => r.labels[k] === v));
  const describe = Object.entries(baseline)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  if (matches.length !== 1) {
    throw new UnknownBaselineError(matches.length ? `baseline ${describe} matches ${matches.length} rows: name more axes` : `no row has ${describe}`);
  }
  const base = matches[0]!;
  return {
    ...t,
    baseline: base.labels,
    rows: t.rows.map((r) => (r === base ? { ...r, baseline: true as const, delta: null } : { ...r, delta: differenceFromBaseline(r, base) })),
  };
}
