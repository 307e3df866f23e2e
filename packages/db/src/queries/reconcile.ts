// The reconciler's side of the trial state machine: expire leases whose owner stopped renewing them, pick the
// queued trials to deliver (priority, then interleaved rank), record deliveries, retire lost ones, refresh sweeps.
import type { Db } from '../client.js';
import { refreshSweepStatuses, refreshSweepsOfTrials } from './sweeps.js';

export interface ExpiredLease {
  id: string;
  status: 'queued' | 'failed' | 'cancelled';
  leaseLosses: number;
  workerId: string | null;
}

/**
 * running → queued (new generation; the next attempt resumes from the recorded checkpoint), → cancelled when a cancel
 * was pending, or → failed once the trial has lost `maxLeaseLosses` workers. A lost lease is an infrastructure fault:
 * it does not use up the trial's attempts (the claim it ends is uncounted), but it has its own budget, so a trial
 * that kills every worker it lands on (out of memory) ends failed with a reason instead of looping. One statement.
 */
export async function expireLeases(db: Db, opts: { maxLeaseLosses: number }): Promise<ExpiredLease[]> {
  const max = opts.maxLeaseLosses;
  const rows = await db.$queryRaw<ExpiredLease[]>`
    UPDATE "Trial" SET
      status = (CASE WHEN "stopRequested" THEN 'cancelled' WHEN "leaseLosses" + 1 >= ${max}::int THEN 'failed' ELSE 'queued' END)::"TrialStatus",
      attempts = attempts - 1,
      "leaseLosses" = "leaseLosses" + 1,
      generation = generation + 1,
      error = jsonb_build_object(
        'code', 'ERR_WORKER_LOST',
        'message', format('worker %s stopped renewing its lease (killed, frozen, or its machine or network lost); lost %s of at most %s times%s',
                          coalesce("workerId", '?'), "leaseLosses" + 1, ${max}::int,
                          CASE WHEN "leaseLosses" + 1 >= ${max}::int AND NOT "stopRequested"
                               THEN ': giving up (does the trial kill its worker, e.g. out of memory?)' ELSE '' END),
        'attempt', claims, 'workerId', "workerId", 'at', now()),
      "finishedAt" = CASE WHEN "stopRequested" OR "leaseLosses" + 1 >= ${max}::int THEN now() ELSE NULL END,
      "leaseToken" = NULL, "leaseExpiresAt" = NULL, "stopRequested" = false, "updatedAt" = now()
    WHERE status = 'running' AND "leaseExpiresAt" < now()
    RETURNING id, status::text AS status, "leaseLosses", "workerId"`;
  if (rows.length)
    await refreshSweepsOfTrials(
      db,
      rows.map((r) => r.id),
    );
  return rows;
}

export interface Deliverable {
  id: string;
  generation: number;
  queue: string;
  config: unknown;
  sweepId: string;
  priority: number;
  rank: number;
}

/**
 * Queued trials whose current generation has not been handed to the queue, and that some active (not paused, not
 * cancelled) sweep holds: highest sweep priority first, then interleaved rank (every row's first seed before any
 * row's second), then age.
 */
export async function deliverableTrials(db: Db, limit: number): Promise<Deliverable[]> {
  return db.$queryRaw<Deliverable[]>`
    SELECT t.id, t.generation, t.queue, t.config, (array_agg(s.id ORDER BY s.priority DESC, st.rank))[1] AS "sweepId",
           max(s.priority)::int AS priority, min(st.rank)::int AS rank
    FROM "Trial" t JOIN "SweepTrial" st ON st."trialId" = t.id JOIN "Sweep" s ON s.id = st."sweepId"
    WHERE t.status = 'queued' AND t."dispatchedGeneration" < t.generation AND NOT s.paused AND s.status <> 'cancelled'
    GROUP BY t.id
    ORDER BY max(s.priority) DESC, min(st.rank), t."createdAt", t.id
    LIMIT ${limit}`;
}

/** Records that these generations were handed to the queue (a trial that moved on in the meantime is left alone). */
export async function markDelivered(db: Db, ds: { id: string; generation: number }[]): Promise<void> {
  if (!ds.length) return;
  await db.$executeRaw`
    UPDATE "Trial" t SET "dispatchedGeneration" = d.generation, "dispatchedAt" = now()
    FROM unnest(${ds.map((d) => d.id)}::text[], ${ds.map((d) => d.generation)}::int[]) AS d(id, generation)
    WHERE t.id = d.id AND t.generation = d.generation`;
}

/** Queued trials delivered more than `olderThanMs` ago: the reconciler checks their jobs still exist. */
export async function deliveredQueuedTrials(db: Db, olderThanMs: number): Promise<{ id: string; generation: number; queue: string }[]> {
  return db.$queryRaw`
    SELECT id, generation, queue FROM "Trial"
    WHERE status = 'queued' AND "dispatchedGeneration" = generation AND "dispatchedAt" < now() - ${olderThanMs}::int * interval '1 millisecond'`;
}

/** A delivery the queue lost or consumed without a claim: bump the generation so the trial is delivered afresh. */
export async function redeliver(db: Db, ds: { id: string; generation: number }[]): Promise<number> {
  if (!ds.length) return 0;
  return db.$executeRaw`
    UPDATE "Trial" t SET generation = t.generation + 1, "updatedAt" = now()
    FROM unnest(${ds.map((d) => d.id)}::text[], ${ds.map((d) => d.generation)}::int[]) AS d(id, generation)
    WHERE t.id = d.id AND t.generation = d.generation AND t.status = 'queued'`;
}

/** Queued trials (per queue) whose delivery is recorded: what the queue should be holding. */
export async function deliveredQueuedCounts(db: Db): Promise<Record<string, number>> {
  const rows = await db.$queryRaw<{ queue: string; n: bigint }[]>`
    SELECT queue, count(*) AS n FROM "Trial" WHERE status = 'queued' AND "dispatchedGeneration" = generation GROUP BY queue`;
  return Object.fromEntries(rows.map((r) => [r.queue, Number(r.n)]));
}

/** Refreshes every sweep that is not finished (a backstop for transitions whose own refresh failed). */
export async function refreshActiveSweeps(db: Db): Promise<void> {
  const rows = await db.$queryRaw<{ id: string }[]>`SELECT id FROM "Sweep" WHERE status IN ('queued', 'running', 'paused')`;
  await refreshSweepStatuses(
    db,
    rows.map((r) => r.id),
  );
}
