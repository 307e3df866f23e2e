// Renders a pivot table as Markdown, CSV (one line per row, mean/std/n per column), LaTeX (booktabs, the best cell of
// each column in bold) or HTML. Accuracies print as percentages; with a baseline each cell also shows Δ and its CI.
import { csvCell } from './format.js';
import type { PivotCell, PivotTable } from './pivot.js';

export interface MetricStyle {
  title: string;
  percent: boolean;
  better?: 'higher' | 'lower' | null;
}

const columnTitle = (labels: Record<string, string>) =>
  Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');

function numbers(style: MetricStyle) {
  const num = (x: number) => (style.percent ? (100 * x).toFixed(2) : x.toPrecision(4));
  const signed = (x: number) => `${x >= 0 ? '+' : '−'}${num(Math.abs(x))}`;
  const value = (c: PivotCell | null) => (!c || c.mean === null ? '—' : c.std === null ? num(c.mean) : `${num(c.mean)} ± ${num(c.std)}`);
  const n = (c: PivotCell | null) => (!c ? '' : c.n === c.expected ? `${c.n}` : `${c.n}/${c.expected}`);
  const delta = (c: PivotCell | null) =>
    !c || c.baseline
      ? ''
      : c.delta
        ? `Δ ${signed(c.delta.estimate)} [${signed(c.delta.low)}, ${signed(c.delta.high)}]${c.delta.excludesZero ? '*' : ''}`
        : '';
  return { num, value, n, delta };
}

/** The best cell of each column by mean (per the metric's direction), as row indices; -1 where none. */
function bestPerColumn(t: PivotTable, style: MetricStyle): number[] {
  const better = style.better === undefined ? 'higher' : style.better;
  return t.columns.map((_, j) => {
    let best = -1;
    t.rows.forEach((r, i) => {
      const m = r.cells[j]?.mean;
      if (m === null || m === undefined || better === null) return;
      const cur = best >= 0 ? t.rows[best]!.cells[j]!.mean! : undefined;
      if (cur === undefined || (better === 'higher' ? m > cur : m < cur)) best = i;
    });
    return best;
  });
}

const methodLine = (t: PivotTable) => {
  const methods = new Set(t.rows.flatMap((r) => r.cells.flatMap((c) => (c?.delta ? [c.delta.method] : []))));
  const how = [...methods].map((m) => (m === 'paired' ? 'paired by seed' : "Welch's unequal variances")).join(' or ');
  return `Δ: cell − the baseline row's cell, 95 % confidence interval (t, ${how || 'none computed: fewer than two seeds'}); * excludes 0.`;
};

export function pivotMarkdown(t: PivotTable, style: MetricStyle): string {
  const f = numbers(style);
  const head = [...t.rowAxes, ...t.columns.map((c) => columnTitle(c) || style.title)];
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map((_, i) => (i < t.rowAxes.length ? '---' : '---:')).join(' | ')} |`];
  for (const r of t.rows) {
    const cells = r.cells.map((c) => [`${f.value(c)} (n ${f.n(c)})`, f.delta(c)].filter(Boolean).join(' '));
    lines.push(`| ${[...t.rowAxes.map((a) => (r.labels[a] ?? '').replace(/\|/g, '\\|')), ...cells].join(' | ')} |`);
  }
  if (t.colAxes.length) lines.push('', `Cells: ${style.title}, mean ± std over seeds (n finished/expected).`);
  if (t.baseline) lines.push('', methodLine(t));
  return `${lines.join('\n')}\n`;
}

export function pivotCsv(t: PivotTable): string {
  const head = [...t.rowAxes];
  for (const c of t.columns) {
    const p = columnTitle(c) || t.metric;
    head.push(`${p} mean`, `${p} std`, `${p} n`, `${p} expected`);
    if (t.baseline) head.push(`${p} delta`, `${p} delta_low`, `${p} delta_high`, `${p} delta_method`);
  }
  const lines = t.rows.map((r) => [
    ...t.rowAxes.map((a) => r.labels[a] ?? ''),
    ...r.cells.flatMap((c) => [
      c?.mean ?? '',
      c?.std ?? '',
      c?.n ?? '',
      c?.expected ?? '',
      ...(t.baseline ? [c?.delta?.estimate ?? '', c?.delta?.low ?? '', c?.delta?.high ?? '', c?.delta?.method ?? ''] : []),
    ]),
  ]);
  return `${[head, ...lines].map((row) => row.map(csvCell).join(',')).join('\n')}\n`;
}

const texEscape = (s: string) =>
  s.replace(/[\\&%$#_{}~^]/g, (c) =>
    c === '\\' ? '\\textbackslash{}' : c === '~' ? '\\textasciitilde{}' : c === '^' ? '\\textasciicircum{}' : `\\${c}`,
  );

/** booktabs; the best cell of each column in bold (none for a metric without a direction); `$\pm$` between mean and std. */
export function pivotLatex(t: PivotTable, style: MetricStyle): string {
  const f = numbers(style);
  const best = bestPerColumn(t, style);
  const texValue = (c: PivotCell | null) => f.value(c).replace(' ± ', ' $\\pm$ ').replace('—', '--');
  const spec = `${'l'.repeat(t.rowAxes.length)}${'r'.repeat(t.columns.length)}`;
  const head = [...t.rowAxes, ...t.columns.map((c) => columnTitle(c) || style.title)].map(texEscape);
  const out = [`\\begin{tabular}{${spec}}`, '\\toprule', `${head.join(' & ')} \\\\`, '\\midrule'];
  t.rows.forEach((r, i) => {
    const cells = r.cells.map((c, j) => {
      const v = texValue(c);
      const d = f.delta(c).replace('Δ', '$\\Delta$').replace(/−/g, '$-$');
      const shown = d ? `${v} {\\scriptsize ${d.replace('*', '$^{*}$')}}` : v;
      return best[j] === i ? `\\textbf{${shown}}` : shown;
    });
    out.push(`${[...t.rowAxes.map((a) => texEscape(r.labels[a] ?? '')), ...cells].join(' & ')} \\\\`);
  });
  out.push('\\bottomrule', '\\end{tabular}');
  return `${out.join('\n')}\n`;
}

const htmlEscape = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export function pivotHtml(t: PivotTable, style: MetricStyle): string {
  const f = numbers(style);
  const best = bestPerColumn(t, style);
  const head = [...t.rowAxes, ...t.columns.map((c) => columnTitle(c) || style.title)].map((h) => `<th>${htmlEscape(h)}</th>`).join('');
  const body = t.rows
    .map((r, i) => {
      const labels = t.rowAxes.map((a) => `<th scope="row">${htmlEscape(r.labels[a] ?? '')}</th>`).join('');
      const cells = r.cells
        .map((c, j) => {
          const d = f.delta(c);
          const inner = `${htmlEscape(f.value(c))} <small>n ${htmlEscape(f.n(c))}</small>${d ? ` <small>${htmlEscape(d)}</small>` : ''}`;
          return `<td${best[j] === i ? ' class="best"' : ''}${c?.baseline ? ' data-baseline="true"' : ''}>${best[j] === i ? `<strong>${inner}</strong>` : inner}</td>`;
        })
        .join('');
      return `<tr>${labels}${cells}</tr>`;
    })
    .join('\n');
  return `<table class="ablation">\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>\n`;
}
