// Renders an ablation table as Markdown (for papers and READMEs) or CSV (for pandas/spreadsheets).
import type { AblationTable } from './ablation-table.js';

const pct = (x: number | null, digits = 2) => (x === null ? '—' : (100 * x).toFixed(digits));

/** "mean ± std" (accuracies as percentages), with n/expected. */
export function toMarkdown(t: AblationTable, metricTitle = 'top-1 (%)', percent = true): string {
  const fmt = (x: number | null) => (percent ? pct(x) : x === null ? '—' : x.toPrecision(4));
  const head = [...t.axes, metricTitle, 'n'];
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map((_, i) => (i < t.axes.length ? '---' : '---:')).join(' | ')} |`];
  for (const r of t.rows) {
    const cell = r.mean === null ? '—' : r.std === null ? fmt(r.mean) : `${fmt(r.mean)} ± ${fmt(r.std)}`;
    const n = r.n === r.expected ? String(r.n) : `${r.n}/${r.expected}`;
    lines.push(`| ${[...t.axes.map((a) => escapeMd(r.labels[a] ?? '')), cell, n].join(' | ')} |`);
  }
  return `${lines.join('\n')}\n`;
}

export function toCsv(t: AblationTable): string {
  const head = [...t.axes, 'n', 'expected', 'failed', `${t.metric}_mean`, `${t.metric}_std`, `${t.metric}_values`];
  const rows = t.rows.map((r) => [...t.axes.map((a) => r.labels[a] ?? ''), r.n, r.expected, r.failed, r.mean ?? '', r.std ?? '', r.values.join(';')]);
  return `${[head, ...rows].map((row) => row.map(csvCell).join(',')).join('\n')}\n`;
}

function csvCell(v: string | number): string {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function escapeMd(s: string): string {
  return s.replace(/\|/g, '\\|');
}
