// The trial state machine's worker side: claiming a lease and every write of an attempt, each one guarded statement
// that only takes effect while the caller still holds the lease (trial running, its token). A worker that lost the
// lease (expired and requeued by the reconciler, or taken over) gets LeaseLostError and must stop; it never writes.
import { randomUUID } from 'node:crypto';
import type { EpochMetrics } from '@ablate/spec';
import type { Db } from '../client.js';
import { refreshSweepsOfTrial } from './sweeps.js';

/** The lease of one attempt: every fenced write presents it. */
export interface Lease {
  trialId: string;
  token: string;
  workerId: string;
  /** Which start of the trial this is (1, 2, …: every claim, whatever became of the earlier ones); written with each epoch. */
  attempt: number;
}

export class LeaseLostError extends Error {
  readonly code = 'ERR_LEASE_LOST';
  readonly retryable = false;
  constructor(
    readonly trialId: string,
    what: string,
  ) {
    super(`lease on trial ${trialId} is no longer held (${what} not written): another worker owns it or the trial ended`);
    this.name = new.target.name;
  }
}

export interface Claimed extends Lease {
  /** The last checkpoint recorded under an earlier lease, to resume from. */
  checkpoint: { key: string; epochsDone: number; batchesDone: number } | null;
}

/** Why a delivery was not claimed (for the worker's log): the trial's current state. */
export interface NotClaimed {
  reason: 'missing' | 'finished' | 'running' | 'stale-generation' | 'paused' | 'cancelled';
  status?: string;
}

/**
 * queued → running for this worker, or takeover of a running trial whose lease expired (its worker died and the
 * reconciler has not requeued it yet). Only the delivery of the trial's current generation may claim, and only while
 * some sweep that holds it is neither paused nor cancelled.
 */
export async function claimTrial(
  db: Db,
  c: { trialId: string; generation: number; workerId: string; leaseMs: number },
): Promise<{ claimed: Claimed } | { notClaimed: NotClaimed }> {
  const token = randomUUID();
  // A takeover replaces an attempt that was lost, not one that failed: the lost one is uncounted (a lease loss).
  const rows = await db.$queryRaw<
    { claims: number; checkpointKey: string | null; checkpointEpochs: number | null; checkpointBatches: number | null }[]
  >`
    UPDATE "Trial" t SET status = 'running',
      attempts = attempts + (CASE WHEN t.status = 'queued' THEN 1 ELSE 0 END),
      "leaseLosses" = "leaseLosses" + (CASE WHEN t.status = 'running' THEN 1 ELSE 0 END),
      claims = claims + 1, "workerId" = ${c.workerId}, "leaseToken" = ${token},
      "leaseExpiresAt" = now() + ${c.leaseMs}::int * interval '1 millisecond', "startedAt" = now(), "finishedAt" = NULL,
      "stopRequested" = false, "updatedAt" = now()
    WHERE t.id = ${c.trialId} AND t.generation = ${c.generation}
      AND (t.status = 'queued' OR (t.status = 'running' AND t."leaseExpiresAt" < now()))
      AND EXISTS (SELECT 1 FROM "SweepTrial" st JOIN "Sweep" s ON s.id = st."sweepId"
                  WHERE st."trialId" = t.id AND NOT s.paused AND s.status <> 'cancelled')
    RETURNING claims, "checkpointKey", "checkpointEpochs", "checkpointBatches"`;
  const row = rows[0];
  if (row) {
    await refreshSweepsOfTrial(db, c.trialId);
    return {
      claimed: {
        trialId: c.trialId,
        token,
        workerId: c.workerId,
        attempt: row.claims,
        checkpoint: row.checkpointKey
          ? { key: row.checkpointKey, epochsDone: row.checkpointEpochs ?? 0, batchesDone: row.checkpointBatches ?? 0 }
          : null,
      },
    };
  }
  const t = await db.trial.findUnique({ where: { id: c.trialId }, select: { status: true, generation: true } });
  if (!t) return { notClaimed: { reason: 'missing' } };
  if (t.status === 'done' || t.status === 'failed') return { notClaimed: { reason: 'finished', status: t.status } };
  if (t.status === 'cancelled') return { notClaimed: { reason: 'cancelled', status: t.status } };
  if (t.generation !== c.generation) return { notClaimed: { reason: 'stale-generation', status: t.status } };
  if (t.status === 'running') return { notClaimed: { reason: 'running', status: t.status } };
  return { notClaimed: { reason: 'paused', status: t.status } };
}

/** A delivery whose payload cannot run (invalid, or not hashing to its trial): queued → failed, without a lease. */
export async function rejectDelivery(db: Db, trialId: string, generation: number, err: { code: string; message: string }): Promise<void> {
  const n = await db.$executeRaw`
    UPDATE "Trial" SET status = 'failed', error = ${JSON.stringify({ ...err, at: new Date().toISOString() })}::jsonb, "finishedAt" = now(),
      "updatedAt" = now()
    WHERE id = ${trialId} AND generation = ${generation} AND status = 'queued'`;
  if (n) await refreshSweepsOfTrial(db, trialId);
}

/** Extends the lease; says whether a cancel asked the attempt to stop. Throws LeaseLostError when no longer held. */
export async function renewLease(db: Db, lease: Lease, leaseMs: number): Promise<{ stopRequested: boolean }> {
  const rows = await db.$queryRaw<{ stopRequested: boolean }[]>`
    UPDATE "Trial" SET "leaseExpiresAt" = now() + ${leaseMs}::int * interval '1 millisecond'
    WHERE id = ${lease.trialId} AND "leaseToken" = ${lease.token} AND status = 'running'
    RETURNING "stopRequested"`;
  if (!rows[0]) throw new LeaseLostError(lease.trialId, 'lease renewal');
  return { stopRequested: rows[0].stopRequested };
}

/**
 * One EpochMetric per (trial, epoch). A trained epoch replaces what an earlier attempt wrote for it (a resumed run
 * retrains the epochs after its checkpoint); a replayed one (history carried by the checkpoint) only fills a gap.
 */
export async function recordEpoch(db: Db, lease: Lease, m: EpochMetrics, opts: { replay?: boolean; attempt?: number } = {}): Promise<void> {
  const attempt = opts.attempt ?? lease.attempt;
  // FOR SHARE: a concurrent takeover (which updates the trial row) makes this statement wait and then re-check the
  // token on the new row version, so a write can never slip in after the lease moved.
  const n = opts.replay
    ? await db.$executeRaw`
      INSERT INTO "EpochMetric" ("trialId", epoch, "trainLoss", "trainAcc", "testLoss", "testTop1", "testTop5", lr, seconds, attempt)
      SELECT t.id, ${m.epoch}, ${m.trainLoss}, ${m.trainAcc}, ${m.testLoss}, ${m.testTop1}, ${m.testTop5}, ${m.lr}, ${m.seconds}, ${attempt}
      FROM "Trial" t WHERE t.id = ${lease.trialId} AND t."leaseToken" = ${lease.token} AND t.status = 'running' FOR SHARE
      ON CONFLICT ("trialId", epoch) DO NOTHING`
    : await db.$executeRaw`
      INSERT INTO "EpochMetric" ("trialId", epoch, "trainLoss", "trainAcc", "testLoss", "testTop1", "testTop5", lr, seconds, attempt)
      SELECT t.id, ${m.epoch}, ${m.trainLoss}, ${m.trainAcc}, ${m.testLoss}, ${m.testTop1}, ${m.testTop5}, ${m.lr}, ${m.seconds}, ${attempt}
      FROM "Trial" t WHERE t.id = ${lease.trialId} AND t."leaseToken" = ${lease.token} AND t.status = 'running' FOR SHARE
      ON CONFLICT ("trialId", epoch) DO UPDATE SET "trainLoss" = EXCLUDED."trainLoss", "trainAcc" = EXCLUDED."trainAcc",
        "testLoss" = EXCLUDED."testLoss", "testTop1" = EXCLUDED."testTop1", "testTop5" = EXCLUDED."testTop5", lr = EXCLUDED.lr,
        seconds = EXCLUDED.seconds, attempt = EXCLUDED.attempt, "createdAt" = now()`;
  if (!opts.replay && n === 0) throw new LeaseLostError(lease.trialId, `epoch ${m.epoch}`);
  if (opts.replay && n === 0) await assertLease(db, lease, `epoch ${m.epoch}`);
}

export interface RuntimeInfo {
  backend: string;
  device: string;
  runtime: Record<string, unknown>;
}

export async function recordRuntime(db: Db, lease: Lease, info: RuntimeInfo): Promise<void> {
  const n = await db.$executeRaw`
    UPDATE "Trial" SET backend = ${info.backend}, device = ${info.device}, runtime = ${JSON.stringify(info.runtime)}::jsonb, "updatedAt" = now()
    WHERE id = ${lease.trialId} AND "leaseToken" = ${lease.token} AND status = 'running'`;
  if (n === 0) throw new LeaseLostError(lease.trialId, 'runtime');
}

/** One artifact per kind per trial: a later attempt's replaces an earlier one's. `uri` is a blob-store key, never a path. */
export async function putArtifact(db: Db, lease: Lease, a: { kind: string; data?: unknown; uri?: string }): Promise<void> {
  const data = a.data === undefined ? null : JSON.stringify(a.data);
  const n = await db.$executeRaw`
    INSERT INTO "Artifact" ("trialId", kind, data, uri)
    SELECT t.id, ${a.kind}, ${data}::jsonb, ${a.uri ?? null}
    FROM "Trial" t WHERE t.id = ${lease.trialId} AND t."leaseToken" = ${lease.token} AND t.status = 'running' FOR SHARE
    ON CONFLICT ("trialId", kind) DO UPDATE SET data = EXCLUDED.data, uri = EXCLUDED.uri, "createdAt" = now()`;
  if (n === 0) throw new LeaseLostError(lease.trialId, `artifact ${a.kind}`);
}

/** Records the checkpoint a resumed attempt starts from (the worker then prunes the store's older ones). */
export async function recordCheckpoint(db: Db, lease: Lease, c: { key: string; epochsDone: number; batchesDone: number }): Promise<void> {
  const n = await db.$executeRaw`
    UPDATE "Trial" SET "checkpointKey" = ${c.key}, "checkpointEpochs" = ${c.epochsDone}, "checkpointBatches" = ${c.batchesDone},
      "checkpointAt" = now(), "updatedAt" = now()
    WHERE id = ${lease.trialId} AND "leaseToken" = ${lease.token} AND status = 'running'`;
  if (n === 0) throw new LeaseLostError(lease.trialId, 'checkpoint record');
}

/** running → done, exactly once: the result is written by the lease holder or not at all. */
export async function completeTrial(db: Db, lease: Lease, r: { finalMetrics: Record<string, number>; durationMs: number }): Promise<void> {
  const testTop1 = typeof r.finalMetrics.testTop1 === 'number' ? r.finalMetrics.testTop1 : null;
  const n = await db.$executeRaw`
    UPDATE "Trial" SET status = 'done', "finalMetrics" = ${JSON.stringify(r.finalMetrics)}::jsonb, "testTop1" = ${testTop1},
      "finishedAt" = now(), "durationMs" = ${Math.round(r.durationMs)}, error = NULL, "leaseToken" = NULL, "leaseExpiresAt" = NULL,
      "stopRequested" = false, "updatedAt" = now()
    WHERE id = ${lease.trialId} AND "leaseToken" = ${lease.token} AND status = 'running'`;
  if (n === 0) throw new LeaseLostError(lease.trialId, 'result');
  await refreshSweepsOfTrial(db, lease.trialId);
}

/**
 * How an attempt that did not complete ends:
 * - `interrupted`: SIGTERM, drain or cancel stopped it; never counts as an attempt. Back to queued (cancelled when a
 *   cancel asked for it).
 * - `released`: an infrastructure fault (store or queue unreachable for minutes, a backend the worker turned out not
 *   to have); does not count either.
 * - `retry`: a crash or a retryable error; counts. Queued again, or failed once `maxAttempts` counted attempts are spent.
 * - `failed`: the config cannot run (invalid, diverged, out of memory); failed at once.
 */
export type AttemptOutcome = 'interrupted' | 'released' | 'retry' | 'failed';

export async function endAttempt(
  db: Db,
  lease: Lease,
  outcome: AttemptOutcome,
  error: { code: string; message: string },
  opts: { maxAttempts: number },
): Promise<{ status: string }> {
  const err = JSON.stringify({ ...error, attempt: lease.attempt, workerId: lease.workerId, at: new Date().toISOString() });
  const uncounted = outcome === 'interrupted' || outcome === 'released';
  const rows = await db.$queryRaw<{ status: string }[]>`
    UPDATE "Trial" SET
      status = (CASE
        WHEN "stopRequested" THEN 'cancelled'
        WHEN ${outcome}::text = 'failed' THEN 'failed'
        WHEN ${outcome}::text = 'retry' AND attempts >= ${opts.maxAttempts}::int THEN 'failed'
        ELSE 'queued' END)::"TrialStatus",
      attempts = attempts - ${uncounted ? 1 : 0}::int,
      interruptions = interruptions + ${outcome === 'interrupted' ? 1 : 0}::int,
      generation = generation + 1,
      error = ${err}::jsonb,
      "finishedAt" = CASE WHEN "stopRequested" OR ${outcome}::text = 'failed' OR (${outcome}::text = 'retry' AND attempts >= ${opts.maxAttempts}::int) THEN now() ELSE NULL END,
      "leaseToken" = NULL, "leaseExpiresAt" = NULL, "stopRequested" = false, "updatedAt" = now()
    WHERE id = ${lease.trialId} AND "leaseToken" = ${lease.token} AND status = 'running'
    RETURNING status::text`;
  if (!rows[0]) throw new LeaseLostError(lease.trialId, `end of attempt (${outcome})`);
  await refreshSweepsOfTrial(db, lease.trialId);
  return rows[0];
}

async function assertLease(db: Db, lease: Lease, what: string): Promise<void> {
  const held = await db.trial.count({ where: { id: lease.trialId, leaseToken: lease.token, status: 'running' } });
  if (!held) throw new LeaseLostError(lease.trialId, what);
}
