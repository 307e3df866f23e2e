// The study layout of a sweep's table (GET /sweeps/:id/table?layout=study): the rows and columns its paper prints,
// each printed row the mean ± std over the seeds of the sweep cells it names, with n of expected and the paper's number.
import type { SweepRow } from '@ablate/db';
import type { StudyLayout } from '@ablate/spec';
import { csvCell } from './format.js';
import { TABLE_METRICS, type TableMetric, type TableMetricName } from './metrics.js';
import { mean, meanInterval, sampleStd } from './statistics.js';

export interface StudyTableRow {
  cells: string[];
  metric: TableMetricName;
  /** Over the finished seeds: null when none has finished. */
  mean: number | null;
  std: number | null;
  /** 95 % confidence interval of the mean (Student t), when n ≥ 2. */
  ci95: [number, number] | null;
  n: number;
  /** Trials the row stands for (every seed of every matching cell): n < expected shows missing seeds. */
  expected: number;
  reported: number | null;
}

export interface StudyTable {
  title: string | null;
  columns: string[];
  value: string;
  reportedAs: string;
  rows: StudyTableRow[];
}

export class StudyMetricError extends Error {
  constructor(readonly metric: string) {
    super(`unknown metric '${metric}' in the sweep's table layout; known: ${Object.keys(TABLE_METRICS).join(', ')}`);
  }
}

/** `metric` (from the request) replaces the layout's metric on rows that don't name their own. */
export function buildStudyTable(rows: readonly SweepRow[], layout: StudyLayout, metric?: TableMetricName): StudyTable {
  const metricOf = (name: string): TableMetricName => {
    if (!Object.hasOwn(TABLE_METRICS, name)) throw new StudyMetricError(name);
    return name as TableMetricName;
  };
  return {
    title: layout.title ?? null,
    columns: layout.columns,
    value: layout.value,
    reportedAs: layout.reportedAs,
    rows: layout.rows.map((r) => {
      const m = metricOf(r.metric ?? metric ?? layout.metric);
      const cells = rows.filter((t) => Object.entries(r.where).every(([axis, label]) => t.labels[axis] === label));
      const values = cells.flatMap((t) => {
        const v = t.status === 'done' && t.finalMetrics ? (TABLE_METRICS[m] as TableMetric).value(t.finalMetrics) : undefined;
        return typeof v === 'number' && Number.isFinite(v) ? [v] : [];
      });
      const ci = meanInterval(values);
      return {
        cells: r.cells,
        metric: m,
        mean: values.length ? mean(values) : null,
        std: values.length >= 2 ? sampleStd(values) : null,
        ci95: ci ? [ci.low, ci.high] : null,
        n: values.length,
        expected: cells.length,
        reported: r.reported ?? null,
      };
    }),
  };
}

/** The value as the study prints it: a fraction with 4 decimals, ± std when there are two seeds or more. */
export function studyValue(r: StudyTableRow): string {
  if (r.mean === null) return '—';
  return r.std === null ? r.mean.toFixed(4) : `${r.mean.toFixed(4)} ± ${r.std.toFixed(4)}`;
}

export function studyMarkdown(t: StudyTable): string {
  const head = [...t.columns, t.value, 'n', t.reportedAs];
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`];
  for (const r of t.rows) {
    const cells = [
      ...r.cells.map((c) => c.replaceAll('|', '\\|')),
      studyValue(r),
      `${r.n}/${r.expected}`,
      r.reported === null ? '' : String(r.reported),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return `${t.title ? `${t.title}\n\n` : ''}${lines.join('\n')}\n`;
}

export function studyCsv(t: StudyTable): string {
  const head = [...t.columns, 'metric', 'mean', 'std', 'ci95_low', 'ci95_high', 'n', 'expected', t.reportedAs];
  const body = t.rows.map((r) =>
    [...r.cells, r.metric, r.mean ?? '', r.std ?? '', r.ci95?.[0] ?? '', r.ci95?.[1] ?? '', r.n, r.expected, r.reported ?? '']
      .map((v) => csvCell(v))
      .join(','),
  );
  return `${[head.map((h) => csvCell(h)).join(','), ...body].join('\n')}\n`;
}
