// Trial state transitions written by workers (claim, epoch, complete, fail) and the trial read model for the API.
import type { EpochMetrics } from '@ablate/spec';
import type { Db } from '../client.js';
import type { Prisma } from '../generated/prisma/client.js';
import { refreshSweepStatuses, sweepsOfTrial } from './sweeps.js';

export interface Claim {
  attempt: number;
}

/**
 * Marks a trial running for this worker and counts the attempt. Returns null when the trial is already done or
 * cancelled (a duplicate delivery), so it is never trained twice.
 */
export async function claimTrial(db: Db, trialId: string, workerId: string): Promise<Claim | null> {
  return inTransaction(db, async (tx) => {
    const rows = await tx.$queryRaw<{ attempts: number }[]>`
      UPDATE "Trial" SET status = 'running', attempts = attempts + 1, "workerId" = ${workerId},
        "startedAt" = now(), "finishedAt" = NULL, error = NULL, "updatedAt" = now()
      WHERE id = ${trialId} AND status IN ('queued', 'running', 'failed')
      RETURNING attempts`;
    if (!rows.length) return null;
    await refreshSweepStatuses(tx, await sweepsOfTrial(tx, trialId));
    return { attempt: rows[0]!.attempts };
  });
}

/** Runs a trial transition and the refresh of its sweeps' statuses atomically. */
function inTransaction<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  return db.$transaction((tx) => fn(tx as unknown as Db));
}

export interface RuntimeInfo {
  backend: string;
  device: string;
  runtime: Record<string, unknown>;
}

export async function recordRuntime(db: Db, trialId: string, info: RuntimeInfo): Promise<void> {
  await db.trial.update({
    where: { id: trialId },
    data: { backend: info.backend, device: info.device, runtime: info.runtime as Prisma.InputJsonValue },
  });
}

/** Upserts one epoch (a retried attempt overwrites the epochs it repeats). */
export async function recordEpoch(db: Db, trialId: string, attempt: number, m: EpochMetrics): Promise<void> {
  const data = {
    trainLoss: m.trainLoss,
    trainAcc: m.trainAcc,
    testLoss: m.testLoss,
    testTop1: m.testTop1,
    testTop5: m.testTop5,
    lr: m.lr,
    seconds: m.seconds,
    attempt,
  };
  await db.epochMetric.upsert({
    where: { trialId_epoch: { trialId, epoch: m.epoch } },
    create: { trialId, epoch: m.epoch, ...data },
    update: data,
  });
}

export async function completeTrial(db: Db, trialId: string, r: { finalMetrics: Record<string, number>; durationMs: number }): Promise<void> {
  await inTransaction(db, async (tx) => {
    await tx.trial.update({
      where: { id: trialId },
      data: {
        status: 'done',
        finalMetrics: r.finalMetrics,
        testTop1: r.finalMetrics.testTop1 ?? null,
        finishedAt: new Date(),
        durationMs: Math.round(r.durationMs),
      },
    });
    await refreshSweepStatuses(tx, await sweepsOfTrial(tx, trialId));
  });
}

/** Records a failure; `final` marks the trial failed, otherwise it goes back to queued for the queue's retry. */
export async function failTrial(db: Db, trialId: string, err: { code: string; message: string }, opts: { final: boolean }): Promise<void> {
  await inTransaction(db, async (tx) => {
    await tx.trial.update({
      where: { id: trialId },
      data: {
        status: opts.final ? 'failed' : 'queued',
        error: { ...err, at: new Date().toISOString() },
        finishedAt: opts.final ? new Date() : null,
      },
    });
    await refreshSweepStatuses(tx, await sweepsOfTrial(tx, trialId));
  });
}

/**
 * Marks a trial failed only if it is still queued or running: for jobs the queue gave up on without the processor
 * recording it (a worker killed twice mid-trial exceeds the stalled limit). Returns whether it changed anything.
 */
export async function failTrialIfActive(db: Db, trialId: string, err: { code: string; message: string }): Promise<boolean> {
  return inTransaction(db, async (tx) => {
    const n = await tx.$executeRaw`
      UPDATE "Trial" SET status = 'failed', error = ${JSON.stringify({ ...err, at: new Date().toISOString() })}::jsonb,
        "finishedAt" = now(), "updatedAt" = now()
      WHERE id = ${trialId} AND status IN ('queued', 'running')`;
    if (n) await refreshSweepStatuses(tx, await sweepsOfTrial(tx, trialId));
    return n > 0;
  });
}

export async function getTrial(db: Db, trialId: string) {
  return db.trial.findUnique({
    where: { id: trialId },
    include: {
      epochs: { orderBy: { epoch: 'asc' } },
      artifacts: { select: { id: true, kind: true, uri: true, createdAt: true } },
      cells: { select: { sweepId: true, labels: true } },
    },
  });
}

/** Stores something a trial produced (evaluation report, curves, LR-finder trace) or a file it wrote (uri). */
export async function addArtifact(db: Db, trialId: string, a: { kind: string; data?: unknown; uri?: string }): Promise<bigint> {
  const row = await db.artifact.create({
    data: { trialId, kind: a.kind, data: (a.data ?? undefined) as Prisma.InputJsonValue | undefined, uri: a.uri ?? null },
    select: { id: true },
  });
  return row.id;
}

export async function getArtifact(db: Db, trialId: string, id: bigint) {
  return db.artifact.findFirst({ where: { id, trialId } });
}
