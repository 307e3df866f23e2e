// Renders an ablation table as Markdown (for papers and READMEs) or CSV (for pandas/spreadsheets).
import type { AblationTable } from './ablation-table.js';

const pct = (x: number | null, digits = 2) => (x === null ? '—' : (100 * x).toFixed(digits));

/**
 * "mean ± std" (accuracies as percentages), with n/expected; with a baseline, a column "Δ (95 % CI)" whose intervals
 * that exclude 0 are marked *, and a line under the table saying how the intervals were computed.
 */
export function toMarkdown(t: AblationTable, metricTitle = 'top-1 (%)', percent = true): string {
  const fmt = (x: number | null) => (percent ? pct(x) : x === null ? '—' : x.toPrecision(4));
  const signed = (x: number) => (percent ? `${x >= 0 ? '+' : '−'}${pct(Math.abs(x))}` : `${x >= 0 ? '+' : '−'}${Math.abs(x).toPrecision(3)}`);
  const head = [...t.axes, metricTitle, 'n', ...(t.baseline ? ['Δ vs baseline (95 % CI)'] : [])];
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map((_, i) => (i < t.axes.length ? '---' : '---:')).join(' | ')} |`];
  for (const r of t.rows) {
    const cell = r.mean === null ? '—' : r.std === null ? fmt(r.mean) : `${fmt(r.mean)} ± ${fmt(r.std)}`;
    const n = r.n === r.expected ? String(r.n) : `${r.n}/${r.expected}`;
    const delta = r.baseline
      ? 'baseline'
      : r.delta
        ? `${signed(r.delta.estimate)} [${signed(r.delta.low)}, ${signed(r.delta.high)}]${r.delta.excludesZero ? ' *' : ''}`
        : '—';
    lines.push(`| ${[...t.axes.map((a) => escapeMd(r.labels[a] ?? '')), cell, n, ...(t.baseline ? [delta] : [])].join(' | ')} |`);
  }
  if (t.baseline) {
    const methods = new Set(t.rows.flatMap((r) => (r.delta ? [r.delta.method] : [])));
    const how = [...methods].map((m) => (m === 'paired' ? 'paired by seed' : "Welch's unequal variances")).join(' or ');
    lines.push('', `Δ: row − baseline, 95 % confidence interval (t, ${how || 'none computed: fewer than two seeds'}); * the interval excludes 0.`);
  }
  return `${lines.join('\n')}\n`;
}

export function toCsv(t: AblationTable): string {
  const head = [...t.axes, 'n', 'expected', 'failed', `${t.metric}_mean`, `${t.metric}_std`, `${t.metric}_values`];
  if (t.baseline) head.push('baseline', 'delta', 'delta_low', 'delta_high', 'delta_method');
  const rows = t.rows.map((r) => [
    ...t.axes.map((a) => r.labels[a] ?? ''),
    r.n,
    r.expected,
    r.failed,
    r.mean ?? '',
    r.std ?? '',
    r.values.join(';'),
    ...(t.baseline ? [r.baseline ? 1 : 0, r.delta?.estimate ?? '', r.delta?.low ?? '', r.delta?.high ?? '', r.delta?.method ?? ''] : []),
  ]);
  return `${[head, ...rows].map((row) => row.map(csvCell).join(',')).join('\n')}\n`;
}

/** One CSV field: quoted when it holds a comma, quote or newline. */
export function csvCell(v: string | number): string {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function escapeMd(s: string): string {
  return s.replace(/\|/g, '\\|');
}
