// The sweep lifecycle as transitions of the same trial state machine: cancel, pause, resume, retry, extend, priority,
// delete. A trial shared by several sweeps follows the most demanding of them: cancelling one sweep never stops a
// trial another active sweep still needs.
import type { SweepCell } from '@ablate/spec';
import type { Db, Prisma } from '../client.js';
import { insertCells, refreshSweepStatuses } from './sweeps.js';

/** Another sweep (than the one bound as $1) that holds the trial and still wants it run (not cancelled). */
const NEEDED_ELSEWHERE = `EXISTS (SELECT 1 FROM "SweepTrial" o JOIN "Sweep" os ON os.id = o."sweepId"
  WHERE o."trialId" = t.id AND o."sweepId" <> $1 AND os.status <> 'cancelled')`;

export interface CancelResult {
  /** Queued trials cancelled at once. */
  cancelled: number;
  /** Running trials asked to stop at their next batch boundary (they checkpoint, then end cancelled). */
  stopping: number;
  /** Trials left alone because another active sweep needs them. */
  shared: number;
}

export async function cancelSweep(db: Db, sweepId: string): Promise<CancelResult> {
  const result = await db.$transaction(async (txc) => {
    const tx = txc as unknown as Db;
    await tx.$executeRaw`UPDATE "Sweep" SET status = 'cancelled', "cancelledAt" = now(), "updatedAt" = now() WHERE id = ${sweepId}`;
    const needed = NEEDED_ELSEWHERE;
    const cancelled = await tx.$executeRawUnsafe(
      `UPDATE "Trial" t SET status = 'cancelled', generation = generation + 1, "finishedAt" = now(), "updatedAt" = now(),
         error = jsonb_build_object('code', 'ERR_CANCELLED', 'message', 'cancelled with its sweep', 'at', now())
       FROM "SweepTrial" st WHERE st."trialId" = t.id AND st."sweepId" = $1 AND t.status = 'queued' AND NOT ${needed}`,
      sweepId,
    );
    const stopping = await tx.$executeRawUnsafe(
      `UPDATE "Trial" t SET "stopRequested" = true, "updatedAt" = now()
       FROM "SweepTrial" st WHERE st."trialId" = t.id AND st."sweepId" = $1 AND t.status = 'running' AND NOT ${needed}`,
      sweepId,
    );
    const shared = await tx.$queryRawUnsafe<{ n: bigint }[]>(
      `SELECT count(*) AS n FROM "Trial" t JOIN "SweepTrial" st ON st."trialId" = t.id
       WHERE st."sweepId" = $1 AND t.status IN ('queued', 'running') AND ${needed}`,
      sweepId,
    );
    return { cancelled, stopping, shared: Number(shared[0]?.n ?? 0) };
  });
  await refreshOthers(db, sweepId);
  return result;
}

export async function setPaused(db: Db, sweepId: string, paused: boolean): Promise<void> {
  await db.$executeRaw`UPDATE "Sweep" SET paused = ${paused}, "updatedAt" = now() WHERE id = ${sweepId}`;
  if (!paused) {
    // Deliveries consumed while paused were dropped: hand the queued trials to the queue again.
    await db.$executeRaw`
      UPDATE "Trial" t SET generation = generation + 1, "updatedAt" = now()
      FROM "SweepTrial" st WHERE st."trialId" = t.id AND st."sweepId" = ${sweepId} AND t.status = 'queued'`;
  }
  await refreshSweepStatuses(db, [sweepId]);
}

/** failed and cancelled trials → queued with their attempts reset; a cancelled sweep becomes active again. */
export async function retrySweep(db: Db, sweepId: string): Promise<{ requeued: number }> {
  const requeued = await db.$transaction(async (txc) => {
    const tx = txc as unknown as Db;
    await tx.$executeRaw`UPDATE "Sweep" SET status = 'queued', "cancelledAt" = NULL, "finishedAt" = NULL, "updatedAt" = now() WHERE id = ${sweepId}`;
    return tx.$executeRaw`
      UPDATE "Trial" t SET status = 'queued', attempts = 0, generation = generation + 1, "finishedAt" = NULL, "stopRequested" = false,
        "updatedAt" = now()
      FROM "SweepTrial" st WHERE st."trialId" = t.id AND st."sweepId" = ${sweepId} AND t.status IN ('failed', 'cancelled')`;
  });
  await refreshOthers(db, sweepId);
  return { requeued };
}

/** Extends a sweep with cells (new axis values or seeds): only cells it does not have are added; existing ones keep their trials. */
export async function extendSweep(
  db: Db,
  s: { sweepId: string; spec: unknown; resolved: unknown; cells: SweepCell[]; queue: string },
): Promise<{ added: number; created: number; queued: number }> {
  const r = await db.$transaction(
    async (txc) => {
      const tx = txc as unknown as Db;
      const before = await tx.sweepTrial.count({ where: { sweepId: s.sweepId } });
      const created = await insertCells(tx, s.sweepId, s.cells, s.queue);
      await tx.sweep.update({
        where: { id: s.sweepId },
        data: { spec: s.spec as Prisma.InputJsonValue, resolved: s.resolved as Prisma.InputJsonValue, trialCount: s.cells.length, finishedAt: null },
      });
      const queued = await tx.$queryRaw<{ n: bigint }[]>`
        SELECT count(*) AS n FROM "SweepTrial" st JOIN "Trial" t ON t.id = st."trialId" WHERE st."sweepId" = ${s.sweepId} AND t.status = 'queued'`;
      return { added: s.cells.length - before, created: created.length, queued: Number(queued[0]?.n ?? 0) };
    },
    { timeout: 60_000 },
  );
  await db.$executeRaw`UPDATE "Sweep" SET status = 'queued' WHERE id = ${s.sweepId} AND status IN ('done', 'failed')`;
  await refreshSweepStatuses(db, [s.sweepId]);
  return r;
}

/** Changes a sweep's priority; its queued trials are delivered again so the queue orders them by it. */
export async function setPriority(db: Db, sweepId: string, priority: number): Promise<void> {
  await db.$executeRaw`UPDATE "Sweep" SET priority = ${priority}, "updatedAt" = now() WHERE id = ${sweepId}`;
  await db.$executeRaw`
    UPDATE "Trial" t SET generation = generation + 1, "updatedAt" = now()
    FROM "SweepTrial" st WHERE st."trialId" = t.id AND st."sweepId" = ${sweepId} AND t.status = 'queued'`;
}

export class SweepBusyError extends Error {
  readonly code = 'SWEEP_ERR_BUSY';
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * Deletes a finished or cancelled sweep: its cells, and the trials no other sweep holds (their epochs and artifacts
 * cascade). Returns the deleted trial ids so the caller removes their files from the blob store.
 */
export async function deleteSweep(db: Db, sweepId: string): Promise<{ trials: string[] } | null> {
  return db.$transaction(async (txc) => {
    const tx = txc as unknown as Db;
    const sweep = await tx.$queryRaw<{ status: string }[]>`SELECT status::text FROM "Sweep" WHERE id = ${sweepId} FOR UPDATE`;
    if (!sweep[0]) return null;
    if (!['cancelled', 'done', 'failed'].includes(sweep[0].status)) {
      throw new SweepBusyError(`sweep is ${sweep[0].status}: cancel it first (POST /sweeps/${sweepId}/cancel)`);
    }
    const own = await tx.$queryRaw<{ id: string; status: string }[]>`
      SELECT t.id, t.status::text FROM "Trial" t JOIN "SweepTrial" st ON st."trialId" = t.id
      WHERE st."sweepId" = ${sweepId} AND NOT EXISTS (SELECT 1 FROM "SweepTrial" o WHERE o."trialId" = t.id AND o."sweepId" <> ${sweepId})
      FOR UPDATE OF t`;
    const running = own.filter((t) => t.status === 'running');
    if (running.length) throw new SweepBusyError(`${running.length} of its trials are still stopping; try again in a few seconds`);
    await tx.$executeRaw`DELETE FROM "Sweep" WHERE id = ${sweepId}`;
    const ids = own.map((t) => t.id);
    await tx.$executeRaw`DELETE FROM "Trial" WHERE id = ANY(${ids}::text[])`;
    return { trials: ids };
  });
}

async function refreshOthers(db: Db, sweepId: string): Promise<void> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT DISTINCT o."sweepId" AS id FROM "SweepTrial" st JOIN "SweepTrial" o ON o."trialId" = st."trialId" WHERE st."sweepId" = ${sweepId}`;
  await refreshSweepStatuses(db, [sweepId, ...rows.map((r) => r.id)]);
}
