// Sweep queries: store a planned sweep with its (shared, content-addressed) trials, read its status and its rows.
import type { SweepCell } from '@ablate/spec';
import type { Prisma, Db } from '../client.js';
import type { TrialStatus } from '../generated/prisma/enums.js';

export interface NewSweep {
  id: string;
  name: string;
  /** The project it belongs to (default: "default"). */
  projectId?: string;
  spec: unknown;
  resolved: unknown;
  backend: string;
  priority: number;
  cells: SweepCell[];
}

export interface InsertedSweep {
  /** Trials this sweep created; the others already existed (from an earlier sweep) and are reused. */
  created: string[];
  /** Trials of the sweep in state queued now (new ones, and older ones not yet run): the reconciler delivers them. */
  queued: number;
}

/**
 * `queue`: where this sweep's new trials go (trialsQueueFor its backend requirement). Trials and cells go in as one
 * array-parameter statement each (unnest), so the largest legal sweep (10,000 trials) is a few statements, not tens of
 * thousands of bind parameters.
 */
export async function insertSweep(
  db: Db,
  s: NewSweep & { queue: string },
  also?: (tx: Db, inserted: InsertedSweep) => Promise<void>,
): Promise<InsertedSweep> {
  return db.$transaction(
    async (tx) => {
      await tx.sweep.create({
        data: {
          id: s.id,
          name: s.name,
          projectId: s.projectId ?? 'default',
          spec: s.spec as Prisma.InputJsonValue,
          resolved: s.resolved as Prisma.InputJsonValue,
          backend: s.backend,
          priority: s.priority,
          trialCount: s.cells.length,
        },
      });
      const created = await insertCells(tx as unknown as Db, s.id, s.cells, s.queue);
      const queued = await tx.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM "SweepTrial" st JOIN "Trial" t ON t.id = st."trialId"
      WHERE st."sweepId" = ${s.id} AND t.status = 'queued'`;
      const inserted = { created, queued: Number(queued[0]?.n ?? 0) };
      await also?.(tx as unknown as Db, inserted);
      return inserted;
    },
    { timeout: INSERT_SWEEP_TIMEOUT_MS },
  );
}

/**
 * Adds cells to a sweep: trials that do not exist yet are created (queued, in `queue`), and the sweep's membership rows
 * are inserted, or updated in place (index, rank) for cells it already has. Returns the ids of trials created.
 */
export async function insertCells(tx: Db, sweepId: string, cells: SweepCell[], queue: string): Promise<string[]> {
  // One JSON document per statement, unpacked by json_to_recordset: sent as one string, where array parameters would
  // be escaped element by element on the client (measured: the largest cost of a 10,000-trial POST after expansion).
  const trials = JSON.stringify(cells.map((c) => ({ id: c.trialId, g: c.groupKey, c: c.config, s: c.seed })));
  const created = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO "Trial" (id, "groupKey", config, seed, queue, "updatedAt")
    SELECT t.id, t.g, t.c, t.s, ${queue}, now() FROM json_to_recordset(${trials}::json) AS t(id text, g text, c jsonb, s int)
    ON CONFLICT (id) DO NOTHING
    RETURNING id`;
  const members = JSON.stringify(cells.map((c) => ({ t: c.trialId, i: c.index, r: c.rank, l: c.labels })));
  await tx.$executeRaw`
    INSERT INTO "SweepTrial" ("sweepId", "trialId", index, rank, labels)
    SELECT ${sweepId}, m.t, m.i, m.r, m.l FROM json_to_recordset(${members}::json) AS m(t text, i int, r int, l jsonb)
    ON CONFLICT ("sweepId", "trialId") DO UPDATE SET index = EXCLUDED.index, rank = EXCLUDED.rank`;
  return created.map((t) => t.id);
}

/** Prisma's default of 5 s is too short for a 10,000-trial sweep on a loaded 2-core machine (measured 4-8 s). */
const INSERT_SWEEP_TIMEOUT_MS = 60_000;

export type StatusCounts = Record<TrialStatus, number> & { total: number };

export async function sweepStatusCounts(db: Db, sweepId: string): Promise<StatusCounts> {
  const rows = await db.$queryRaw<{ status: TrialStatus; n: bigint }[]>`
    SELECT t.status, count(*) AS n FROM "SweepTrial" st JOIN "Trial" t ON t.id = st."trialId"
    WHERE st."sweepId" = ${sweepId} GROUP BY t.status`;
  const counts: StatusCounts = { queued: 0, running: 0, done: 0, failed: 0, cancelled: 0, total: 0 };
  for (const r of rows) {
    counts[r.status] = Number(r.n);
    counts.total += Number(r.n);
  }
  return counts;
}

/** One row per cell: its labels, seed and the trial's state and final metrics (the table builder's input). */
export interface SweepRow {
  trialId: string;
  index: number;
  labels: Record<string, string>;
  seed: number;
  status: TrialStatus;
  testTop1: number | null;
  finalMetrics: Record<string, number> | null;
}

export async function sweepRows(db: Db, sweepId: string): Promise<SweepRow[]> {
  // One join in Postgres (a 10,000-trial sweep in one round trip), not a relation load of two queries.
  return db.$queryRaw<SweepRow[]>`
    SELECT st."trialId", st.index, st.labels, t.seed, t.status::text AS status, t."testTop1", t."finalMetrics"
    FROM "SweepTrial" st JOIN "Trial" t ON t.id = st."trialId"
    WHERE st."sweepId" = ${sweepId} ORDER BY st.index`;
}

export type SweepState = 'queued' | 'running' | 'paused' | 'done' | 'failed' | 'cancelled';

/**
 * A sweep's status from its flags and its trials' counts: cancelled once cancelled; when no trial is left queued or
 * running, done if all succeeded, else failed; otherwise paused while paused, running once any trial started or
 * finished, else queued. The one rule used for the stored column and for what the API reports.
 */
export function statusFromCounts(c: StatusCounts, flags: { paused?: boolean; cancelled?: boolean } = {}): SweepState {
  if (flags.cancelled) return 'cancelled';
  if (c.queued + c.running === 0) return c.failed + c.cancelled > 0 ? 'failed' : 'done';
  if (flags.paused) return 'paused';
  return c.total - c.queued > 0 ? 'running' : 'queued';
}

/**
 * Recomputes the stored status of sweeps from their trials. Each sweep row is locked (in id order, so two refreshes
 * never deadlock) before its trials are counted: a refresh that runs after a trial's transition committed sees it,
 * so the last refresh of a sweep always stores the truth, however transitions interleave.
 */
export async function refreshSweepStatuses(db: Db, sweepIds: string[]): Promise<void> {
  for (const id of [...new Set(sweepIds)].sort()) {
    await db.$transaction(async (txc) => {
      const tx = txc as unknown as Db;
      const locked = await tx.$queryRaw<{ paused: boolean; cancelled: boolean }[]>`
        SELECT paused, status = 'cancelled' AS cancelled FROM "Sweep" WHERE id = ${id} FOR UPDATE`;
      if (!locked[0]) return;
      const status = statusFromCounts(await sweepStatusCounts(tx, id), locked[0]);
      const finished = status === 'done' || status === 'failed';
      await tx.$executeRaw`
        UPDATE "Sweep" SET status = ${status}::"SweepStatus", "updatedAt" = now(),
          "finishedAt" = CASE WHEN ${finished} THEN coalesce("finishedAt", now()) ELSE NULL END
        WHERE id = ${id} AND status <> 'cancelled' AND status <> ${status}::"SweepStatus"`;
    });
  }
}

/** Refreshes the sweeps that contain these trials (after the trials changed state). */
export async function refreshSweepsOfTrials(db: Db, trialIds: string[]): Promise<void> {
  const rows = await db.sweepTrial.findMany({ where: { trialId: { in: trialIds } }, select: { sweepId: true }, distinct: ['sweepId'] });
  await refreshSweepStatuses(
    db,
    rows.map((r) => r.sweepId),
  );
}

export async function refreshSweepsOfTrial(db: Db, trialId: string): Promise<void> {
  await refreshSweepsOfTrials(db, [trialId]);
}

/** Per-epoch metrics a table can reduce over epochs, and their columns. */
export const EPOCH_COLUMNS = { testTop1: 'testTop1', testTop5: 'testTop5', testLoss: 'testLoss' } as const;
export type EpochColumn = keyof typeof EPOCH_COLUMNS;

/**
 * One value per trial of a sweep from its epoch rows, computed in Postgres: `best` (max, or min when lower is better)
 * or `lastK` (the mean of its last k recorded epochs).
 */
export async function epochReductions(
  db: Db,
  sweepId: string,
  column: EpochColumn,
  r: { reduce: 'best'; lowerIsBetter: boolean } | { reduce: 'lastK'; k: number },
): Promise<Map<string, number>> {
  const col = `e."${EPOCH_COLUMNS[column]}"`;
  // Per trial, a correlated subquery on an index: best is one probe of (trialId, metric), lastK reads k rows of
  // (trialId, epoch) backwards. Neither touches another sweep's epochs.
  const value =
    r.reduce === 'best'
      ? `(SELECT ${r.lowerIsBetter ? 'min' : 'max'}(${col}) FROM "EpochMetric" e WHERE e."trialId" = st."trialId")`
      : `(SELECT avg(x.v) FROM (SELECT ${col} AS v FROM "EpochMetric" e WHERE e."trialId" = st."trialId" ORDER BY e.epoch DESC LIMIT ${Math.max(1, Math.floor(r.k))}) x)`;
  const rows = await db.$queryRawUnsafe<{ trialId: string; v: number | null }[]>(
    `SELECT st."trialId", ${value} AS v FROM "SweepTrial" st WHERE st."sweepId" = $1`,
    sweepId,
  );
  return new Map(rows.filter((x) => x.v !== null).map((x) => [x.trialId, Number(x.v)]));
}
