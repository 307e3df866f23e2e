// What a sweep's table is built from: one value per trial (its final metric, or its epochs reduced in Postgres) with
// its labels, seed and status. Read by GET /sweeps/:id/table and the sweep plots alike.
import { type Db, EPOCH_COLUMNS, type EpochColumn, epochReductions, type SweepRow, sweepRows } from '@ablate/db';
import { ApiError } from '../errors.js';
import type { TableInputRow } from './ablation-table.js';
import { metricValue, TABLE_METRICS, type TableMetric, type TableMetricName } from './metrics.js';

export interface TableValuesQuery {
  metric: TableMetricName;
  reduce: 'final' | 'best' | 'lastK';
  k: number;
}

export interface TableValues {
  rows: SweepRow[];
  input: TableInputRow[];
  /** How the metric reads: its title and whether it is an accuracy shown as a percentage. */
  title: string;
  percent: boolean;
  /** How each trial's epochs became one value ('final', 'best epoch', 'mean of the last k epochs'). */
  reduction: string;
}

export async function loadTableValues(db: Db, sweepId: string, q: TableValuesQuery): Promise<TableValues> {
  let reduction: Promise<Map<string, number>> | undefined;
  if (q.reduce !== 'final') {
    if (!(q.metric in EPOCH_COLUMNS)) {
      const message = `reduce=${q.reduce} needs a per-epoch metric (${Object.keys(EPOCH_COLUMNS).join(', ')}), not '${q.metric}'`;
      throw new ApiError('API_ERR_BAD_REQUEST', message, [{ path: 'querystring.reduce', message }]);
    }
    reduction = epochReductions(
      db,
      sweepId,
      q.metric as EpochColumn,
      q.reduce === 'best'
        ? { reduce: 'best', lowerIsBetter: (TABLE_METRICS[q.metric] as TableMetric).better === 'lower' }
        : { reduce: 'lastK', k: q.k },
    );
  }
  // The rows and the reduction are two queries on two connections, run at once.
  const [rows, reduced] = await Promise.all([sweepRows(db, sweepId), reduction]);
  // A trial counts once it is done; its value is the final metric, or its epochs reduced as asked.
  const input = rows.map((r) => ({
    labels: r.labels,
    seed: r.seed,
    status: r.status,
    value: reduced ? (r.status === 'done' ? (reduced.get(r.trialId) ?? null) : null) : metricValue(r, q.metric),
  }));
  const { title, percent } = TABLE_METRICS[q.metric];
  return {
    rows,
    input,
    title,
    percent,
    reduction: q.reduce === 'final' ? 'final' : q.reduce === 'best' ? 'best epoch' : `mean of the last ${q.k} epochs`,
  };
}
