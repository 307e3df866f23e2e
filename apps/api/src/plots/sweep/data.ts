// What the sweep plots read: the ablation table exactly as GET /sweeps/:id/table builds it (same metric, reduce
// and baseline parameters, same builder), and per-row epoch series (mean, min, max, std over seeds per epoch).
import { type Db, sweepRows } from '@ablate/db';
import { z } from 'zod';
import { ApiError } from '../../errors.js';
import { TableQuery } from '../../schemas/sweeps.js';
import { type AblationTable, buildAblationTable, UnknownBaselineError } from '../../tables/ablation-table.js';
import { loadTableValues } from '../../tables/load.js';
import { mean, sampleStd } from '../../tables/statistics.js';
import type { SweepInfo } from '../types.js';

export const TableParams = TableQuery.pick({ metric: true, reduce: true, k: true, baseline: true });
export type TableParams = z.output<typeof TableParams>;

export interface SweepTable {
  sweepId: string;
  table: AblationTable;
  /** How the metric reads: its title and whether it is an accuracy shown as a percentage. */
  title: string;
  percent: boolean;
  /** How each trial's epochs became one value ('final', 'best epoch', 'mean of the last k epochs'). */
  reduction: string;
}

/** The table route's computation, without its formats: the rows of GET /sweeps/:id/table?metric=&reduce=&k=&baseline=. */
export async function loadSweepTable(db: Db, sweep: SweepInfo, q: TableParams): Promise<SweepTable> {
  const { input, title, percent, reduction } = await loadTableValues(db, sweep.id, q);
  return { sweepId: sweep.id, table: withBaseline(() => buildAblationTable(input, sweep.axes, q.metric, q.baseline)), title, percent, reduction };
}

/** Epoch metrics a curve can follow, with how each reads. */
export const EPOCH_METRICS = {
  testTop1: { title: 'test top-1', percent: true, column: 'testTop1' },
  testTop5: { title: 'test top-5', percent: true, column: 'testTop5' },
  testLoss: { title: 'test loss', percent: false, column: 'testLoss' },
  trainLoss: { title: 'train loss', percent: false, column: 'trainLoss' },
  trainAcc: { title: 'train accuracy', percent: true, column: 'trainAcc' },
} as const;
export type EpochMetricName = keyof typeof EPOCH_METRICS;

export const CurvesParams = z
  .object({
    /** Per-epoch metric to follow (default: test top-1). */
    metric: z.enum(Object.keys(EPOCH_METRICS) as [EpochMetricName, ...EpochMetricName[]]).default('testTop1'),
    /** The band around each row's mean: the seeds' min..max (default) or ± one sample std. */
    band: z.enum(['minmax', 'std']).default('minmax'),
    baseline: TableQuery.shape.baseline,
  })
  .strict();
export type CurvesParams = z.output<typeof CurvesParams>;

export interface EpochPoint {
  epoch: number;
  mean: number;
  min: number;
  max: number;
  /** Sample std; null with one seed. */
  std: number | null;
  /** Seeds with this epoch recorded. */
  n: number;
}

export interface RowSeries {
  labels: Record<string, string>;
  baseline: boolean;
  /** Trials of the row with epochs drawn (done or running). */
  trials: number;
  points: EpochPoint[];
}

export interface SweepCurves {
  sweepId: string;
  axes: string[];
  rows: RowSeries[];
}

/** Each table row's epochs, from its done and running trials (failed and cancelled ones are left out). */
export async function loadSweepCurves(db: Db, sweep: SweepInfo, q: CurvesParams): Promise<SweepCurves> {
  const rows = await sweepRows(db, sweep.id);
  // The table's grouping and row order; its values are not used here.
  const table = withBaseline(() =>
    buildAblationTable(
      rows.map((r) => ({ labels: r.labels, seed: r.seed, status: r.status, value: null })),
      sweep.axes,
      q.metric,
      q.baseline,
    ),
  );
  const keyOf = (labels: Record<string, string>) => JSON.stringify(sweep.axes.map((a) => labels[a] ?? ''));
  const drawn = rows.filter((r) => r.status === 'done' || r.status === 'running');
  const rowOfTrial = new Map(drawn.map((r) => [r.trialId, keyOf(r.labels)]));
  const trialsOfRow = new Map<string, number>();
  for (const key of rowOfTrial.values()) trialsOfRow.set(key, (trialsOfRow.get(key) ?? 0) + 1);
  const column = EPOCH_METRICS[q.metric].column;
  const epochs = drawn.length
    ? await db.epochMetric.findMany({
        where: { trialId: { in: [...rowOfTrial.keys()] } },
        select: { trialId: true, epoch: true, [column]: true },
        orderBy: { epoch: 'asc' },
      })
    : [];
  const byRow = new Map<string, Map<number, number[]>>();
  for (const e of epochs as unknown as ({ trialId: string; epoch: number } & Record<string, number>)[]) {
    const key = rowOfTrial.get(e.trialId)!;
    if (!byRow.has(key)) byRow.set(key, new Map());
    const perEpoch = byRow.get(key)!;
    if (!perEpoch.has(e.epoch)) perEpoch.set(e.epoch, []);
    perEpoch.get(e.epoch)!.push(e[column]!);
  }
  return {
    sweepId: sweep.id,
    axes: sweep.axes,
    rows: table.rows.map((r) => {
      const key = keyOf(r.labels);
      const perEpoch = byRow.get(key) ?? new Map<number, number[]>();
      return {
        labels: r.labels,
        baseline: r.baseline === true,
        trials: trialsOfRow.get(key) ?? 0,
        points: [...perEpoch.entries()].map(([epoch, vs]) => ({
          epoch,
          mean: mean(vs),
          min: Math.min(...vs),
          max: Math.max(...vs),
          std: vs.length > 1 ? sampleStd(vs) : null,
          n: vs.length,
        })),
      };
    }),
  };
}

/** A row's name in a plot: its labels in axis order ('all trials' for a sweep without axes). */
export function rowLabel(labels: Record<string, string>, axes: string[]): string {
  return axes.length ? axes.map((a) => labels[a] ?? '').join(' · ') : 'all trials';
}

function withBaseline<T>(build: () => T): T {
  try {
    return build();
  } catch (err) {
    if (err instanceof UnknownBaselineError)
      throw new ApiError('TABLE_ERR_UNKNOWN_BASELINE', err.message, [{ path: 'query.baseline', message: err.message }]);
    throw err;
  }
}
