// Sweep queries: store a planned sweep with its (shared, content-addressed) trials, read its status and its rows.
import type { SweepCell } from '@ablate/spec';
import type { Prisma, Db } from '../client.js';
import type { TrialStatus } from '../generated/prisma/enums.js';

export interface NewSweep {
  id: string;
  name: string;
  spec: unknown;
  resolved: unknown;
  backend: string;
  cells: SweepCell[];
}

export interface InsertedSweep {
  /** Trials this sweep created; the others already existed (from an earlier sweep) and are reused. */
  created: string[];
  /** Trials that are queued now (new ones, and older ones not yet run), with the queue each one lives in. */
  toEnqueue: { id: string; queue: string }[];
}

/**
 * `queue`: where this sweep's new trials go (trialsQueueFor its backend requirement). Trials and cells go in as one
 * array-parameter statement each (unnest), so the largest legal sweep (10,000 trials) is a few statements, not tens of
 * thousands of bind parameters.
 */
export async function insertSweep(db: Db, s: NewSweep & { queue: string }): Promise<InsertedSweep> {
  const ids = s.cells.map((c) => c.trialId);
  return db.$transaction(
    async (tx) => {
      await tx.sweep.create({
        data: {
          id: s.id,
          name: s.name,
          spec: s.spec as Prisma.InputJsonValue,
          resolved: s.resolved as Prisma.InputJsonValue,
          backend: s.backend,
          trialCount: s.cells.length,
        },
      });
      const created = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO "Trial" (id, "groupKey", config, seed, queue, "updatedAt")
      SELECT id, "groupKey", config::jsonb, seed, ${s.queue}, now()
      FROM unnest(${ids}::text[], ${s.cells.map((c) => c.groupKey)}::text[], ${s.cells.map((c) => JSON.stringify(c.config))}::text[],
                  ${s.cells.map((c) => c.seed)}::int[]) AS t(id, "groupKey", config, seed)
      ON CONFLICT (id) DO NOTHING
      RETURNING id`;
      await tx.$executeRaw`
      INSERT INTO "SweepTrial" ("sweepId", "trialId", index, labels)
      SELECT ${s.id}, "trialId", index, labels::jsonb
      FROM unnest(${ids}::text[], ${s.cells.map((c) => c.index)}::int[], ${s.cells.map((c) => JSON.stringify(c.labels))}::text[])
        AS c("trialId", index, labels)`;
      const queued = await tx.$queryRaw<{ id: string; queue: string }[]>`
      SELECT t.id, t.queue FROM "SweepTrial" st JOIN "Trial" t ON t.id = st."trialId"
      WHERE st."sweepId" = ${s.id} AND t.status = 'queued'
      ORDER BY st.index`;
      await refreshSweepStatuses(tx as unknown as Db, [s.id]);
      return { created: created.map((t) => t.id), toEnqueue: queued };
    },
    { timeout: INSERT_SWEEP_TIMEOUT_MS },
  );
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
  const cells = await db.sweepTrial.findMany({
    where: { sweepId },
    orderBy: { index: 'asc' },
    select: { index: true, labels: true, trial: { select: { id: true, seed: true, status: true, testTop1: true, finalMetrics: true } } },
  });
  return cells.map((c) => ({
    trialId: c.trial.id,
    index: c.index,
    labels: c.labels as Record<string, string>,
    seed: c.trial.seed,
    status: c.trial.status,
    testTop1: c.trial.testTop1,
    finalMetrics: c.trial.finalMetrics as Record<string, number> | null,
  }));
}

/**
 * A sweep's status from its trials' counts: running once any trial started or finished while some are still queued
 * or running; when none are left, done if all succeeded, else failed. The one rule used for the stored column and
 * for what the API reports.
 */
export function statusFromCounts(c: StatusCounts): 'queued' | 'running' | 'done' | 'failed' {
  if (c.queued + c.running > 0) return c.total - c.queued > 0 ? 'running' : 'queued';
  return c.failed + c.cancelled > 0 ? 'failed' : 'done';
}

/** Recomputes the stored status of sweeps from their trials (cancelled sweeps keep theirs). */
export async function refreshSweepStatuses(db: Db, sweepIds: string[]): Promise<void> {
  for (const id of sweepIds) {
    const status = statusFromCounts(await sweepStatusCounts(db, id));
    const finished = status === 'done' || status === 'failed';
    await db.$executeRaw`
      UPDATE "Sweep" SET status = ${status}::"SweepStatus", "updatedAt" = now(),
        "finishedAt" = CASE WHEN ${finished} THEN coalesce("finishedAt", now()) ELSE NULL END
      WHERE id = ${id} AND status <> 'cancelled'`;
  }
}

/** Sweeps that contain a trial (to refresh after the trial changes state). */
export async function sweepsOfTrial(db: Db, trialId: string): Promise<string[]> {
  const rows = await db.sweepTrial.findMany({ where: { trialId }, select: { sweepId: true } });
  return rows.map((r) => r.sweepId);
}
