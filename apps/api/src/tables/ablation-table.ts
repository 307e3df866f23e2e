// The ablation table builder: a pure function from sweep rows to one row per distinct configuration, with the seeds
// of each aggregated as mean ± sample std and n (the n that actually finished, next to the n expected).
import { mean, sampleStd } from './statistics.js';

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
}

export interface AblationTable {
  axes: string[];
  metric: string;
  rows: TableRow[];
}

export function buildAblationTable(rows: TableInputRow[], axes: string[], metric: string): AblationTable {
  const groups = new Map<string, { labels: Record<string, string>; items: TableInputRow[] }>();
  for (const r of rows) {
    const key = JSON.stringify(axes.map((a) => r.labels[a] ?? ''));
    if (!groups.has(key)) groups.set(key, { labels: Object.fromEntries(axes.map((a) => [a, r.labels[a] ?? ''])), items: [] });
    groups.get(key)!.items.push(r);
  }
  return {
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
}
