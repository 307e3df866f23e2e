// Workers as Postgres sees them: registered at start, a heartbeat every few seconds (state, current trial), drain
// requests, and which backend requirements the live ones satisfy (so a sweep can say what it is waiting for).
import type { Db, Prisma } from '../client.js';

export interface WorkerInfo {
  id: string;
  name: string;
  host: string;
  pid: number;
  backend: string;
  device: string;
  queues: string[];
  versions: Record<string, unknown>;
}

export type WorkerState = 'idle' | 'training' | 'draining' | 'unhealthy' | 'stopped';

export async function registerWorker(db: Db, w: WorkerInfo): Promise<void> {
  await db.worker.upsert({
    where: { id: w.id },
    create: { ...w, versions: w.versions as Prisma.InputJsonValue },
    update: { ...w, versions: w.versions as Prisma.InputJsonValue, lastSeen: new Date(), stoppedAt: null, state: 'idle' },
  });
}

/** Records the worker alive with its state; answers whether someone asked it to drain. */
export async function workerHeartbeat(
  db: Db,
  id: string,
  s: { state: WorkerState; trialId: string | null; reason?: string | null },
): Promise<{ drain: boolean }> {
  const rows = await db.$queryRaw<{ drain: boolean }[]>`
    UPDATE "Worker" SET "lastSeen" = now(), state = ${s.state}, "trialId" = ${s.trialId}, reason = ${s.reason ?? null}
    WHERE id = ${id} AND "stoppedAt" IS NULL RETURNING drain`;
  return { drain: rows[0]?.drain ?? false };
}

export async function countWorkerTrial(db: Db, id: string, outcome: 'done' | 'failed'): Promise<void> {
  if (outcome === 'done') await db.$executeRaw`UPDATE "Worker" SET "trialsDone" = "trialsDone" + 1 WHERE id = ${id}`;
  else await db.$executeRaw`UPDATE "Worker" SET "trialsFailed" = "trialsFailed" + 1 WHERE id = ${id}`;
}

export async function workerStopped(db: Db, id: string, reason: string): Promise<void> {
  await db.$executeRaw`UPDATE "Worker" SET state = 'stopped', reason = ${reason}, "stoppedAt" = now(), "trialId" = NULL WHERE id = ${id}`;
}

export async function requestDrain(db: Db, id: string): Promise<boolean> {
  return (await db.$executeRaw`UPDATE "Worker" SET drain = true WHERE id = ${id} AND "stoppedAt" IS NULL`) > 0;
}

/** A worker is live when it was heard from within this long (a few missed heartbeats). */
export const WORKER_LIVE_MS = 20_000;

export async function listWorkers(db: Db, opts: { includeStopped?: boolean } = {}) {
  const rows = await db.worker.findMany({
    where: opts.includeStopped ? {} : { stoppedAt: null, lastSeen: { gt: new Date(Date.now() - 24 * 3600_000) } },
    orderBy: [{ startedAt: 'desc' }],
    take: 500,
  });
  const now = Date.now();
  return rows.map((w) => ({ ...w, live: !w.stoppedAt && now - w.lastSeen.getTime() < WORKER_LIVE_MS }));
}

/** The queues consumed by at least one live worker. */
export async function liveQueues(db: Db): Promise<Set<string>> {
  const rows = await db.$queryRaw<{ q: string }[]>`
    SELECT DISTINCT unnest(queues) AS q FROM "Worker"
    WHERE "stoppedAt" IS NULL AND state <> 'unhealthy' AND "lastSeen" > now() - ${WORKER_LIVE_MS}::int * interval '1 millisecond'`;
  return new Set(rows.map((r) => r.q));
}
