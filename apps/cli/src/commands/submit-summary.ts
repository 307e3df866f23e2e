// What `ablate submit` prints (without --json): the sweep it created, or for --dry-run the rows it would train and how
// zip, exclude and include shaped them.
import type { SubmitResult } from '../client.js';
import { formatTable } from '../text-table.js';

interface DryRun {
  trials: number;
  axes: { key: string; labels: string[] }[];
  shape?: { gridRows: number; zip: string[][]; excluded: { rule: number; rows: number }[]; includedRows: number };
  cells: { labels: Record<string, string>; seed: number; trialId: string }[];
}

export function describeSubmit(r: unknown, dryRun: boolean): string {
  if (!dryRun) {
    const s = r as SubmitResult;
    return `submitted sweep ${s.id} '${s.name}': ${s.trials} trials (${s.created} new, ${s.reused} reused, ${s.queued} queued)\n`;
  }
  const d = r as DryRun;
  const rows = new Map<string, { labels: Record<string, string>; seeds: number[] }>();
  for (const c of d.cells) {
    const key = JSON.stringify(c.labels);
    const row = rows.get(key) ?? { labels: c.labels, seeds: [] };
    row.seeds.push(c.seed);
    rows.set(key, row);
  }
  const keys = d.axes.map((a) => a.key);
  const table = formatTable(
    [...keys, 'seeds'],
    [...rows.values()].map((r) => [...keys.map((k) => r.labels[k] ?? ''), r.seeds.join(',')]),
  );
  const shape = d.shape;
  const how = shape
    ? [
        `grid: ${shape.gridRows} rows${shape.zip.length ? ` (zipped: ${shape.zip.map((g) => g.join('+')).join('; ')})` : ''}`,
        ...shape.excluded.map((e) => `exclude[${e.rule}] dropped ${e.rows} row${e.rows === 1 ? '' : 's'}`),
        ...(shape.includedRows ? [`include added ${shape.includedRows} row${shape.includedRows === 1 ? '' : 's'}`] : []),
      ].join(' · ')
    : '';
  return `dry run: ${d.trials} trials in ${rows.size} rows; nothing stored\n${how ? `${how}\n` : ''}\n${table}`;
}
