// Plain-text output of the CLI's verbs: tables with columns padded to their widest cell, the few cell formats they
// share, and the JSON form `--json` prints instead.

/** The API's answer as printed by `--json`. */
export const asJson = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;

/** A header line and one line per row, columns separated by two spaces; a column marked `right` is right-aligned. */
export function formatTable(columns: readonly (string | { title: string; right?: boolean })[], rows: readonly (readonly string[])[]): string {
  const cols = columns.map((c) => (typeof c === 'string' ? { title: c, right: false } : { right: false, ...c }));
  const widths = cols.map((c, i) => Math.max(c.title.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cols
      .map((c, i) => {
        const cell = cells[i] ?? '';
        return c.right ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!);
      })
      .join('  ')
      .trimEnd();
  return `${[line(cols.map((c) => c.title)), ...rows.map(line)].join('\n')}\n`;
}

/** A duration since `iso` as "12s ago", "5m ago", "3h ago", "2d ago". */
export function ago(iso: string, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86_400)}d ago`;
}

/** A timestamp as local "YYYY-MM-DD HH:MM". */
export function localTime(iso: string): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** "rows 1-20 of 57; --offset 20 for more" when a page holds fewer than all; '' otherwise. */
export function pageNote(p: { items: unknown[]; total: number; offset: number }): string {
  if (p.offset === 0 && p.items.length >= p.total) return '';
  const last = p.offset + p.items.length;
  return `rows ${p.items.length ? p.offset + 1 : 0}-${last} of ${p.total}${last < p.total ? `; --offset ${last} for more` : ''}\n`;
}
