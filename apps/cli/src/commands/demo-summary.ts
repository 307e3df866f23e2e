// The one line the demo prints under its table: the highest and lowest rows, the gap between them, and whether that gap
// is larger than their seeds' spread. Pure (table numbers in, a sentence out), so every verdict is unit-tested.

import type { TableJson } from '../client.js';

export function summarizeTable(t: TableJson): string {
  const rows = t.rows.filter((r): r is TableJson['rows'][number] & { mean: number } => r.mean !== null);
  if (rows.length < 2)
    return `What it shows: ${rows.length ? 'one configuration finished' : 'no configuration finished'}, so there is nothing to compare.`;
  const { percent } = t;
  const [hiWord, loWord] = percent ? ['best', 'worst'] : [`highest ${t.metric}`, `lowest ${t.metric}`];
  const fmt = (x: number) => (percent ? `${(100 * x).toFixed(2)} %` : x.toPrecision(4));
  // Gaps and stds: points for accuracies, 3 significant digits otherwise.
  const diff = (x: number) => (percent ? (100 * x).toFixed(2) : x.toPrecision(3));
  const hi = rows.reduce((a, b) => (b.mean > a.mean ? b : a));
  // Over the other rows, so a tie still names two rows.
  const lo = rows.filter((r) => r !== hi).reduce((a, b) => (b.mean < a.mean ? b : a));
  const name = (r: TableJson['rows'][number]) => t.axes.map((a) => `${a}=${r.labels[a] ?? ''}`).join(', ');
  const gap = hi.mean - lo.mean;
  const head = `What it shows: ${hiWord} ${name(hi)} at ${fmt(hi.mean)}, ${loWord} ${name(lo)} at ${fmt(lo.mean)}: a ${diff(gap)}${percent ? '-point' : ''} gap`;
  if (hi.std === null || lo.std === null) {
    return `${head}; with one seed in ${hi.std === null && lo.std === null ? 'each row' : 'one of them'}, the seeds' spread is unknown, so this may be chance.`;
  }
  // Larger than both stds together: the two rows' mean ± std ranges do not overlap.
  const spread = `seed spreads combined (std ${diff(hi.std)} + ${diff(lo.std)}${percent ? ' points' : ''}, ${hi.n} and ${lo.n} seeds)`;
  return gap > hi.std + lo.std
    ? `${head}, larger than the two rows' ${spread}.`
    : `${head}, not larger than the two rows' ${spread}, so these seeds do not separate them.`;
}
