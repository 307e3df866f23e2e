// GET /sweeps/:id/events: live progress as Server-Sent Events. Each trial event (started, epoch, finished, failed,
// cancelled, requeued) comes from the TrialEvent table, written by triggers with the change itself, so any API instance
// serves the same stream and `Last-Event-ID` (or ?after=) resumes after the last event seen without losing one.
// `progress` events (counts and an ETA from measured epoch times) follow each batch and come at least every 5 s.
import { sweepStatusCounts } from '@ablate/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorResponse, IdParams } from '../../schemas/common.js';
import { loadSweep } from './load.js';

const POLL_MS = 500;
const PROGRESS_MS = 5_000;
const BATCH = 1_000;

export const sweepEventsRoute: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/sweeps/:id/events',
    {
      schema: {
        tags: ['sweeps'],
        summary:
          'Live progress (text/event-stream): trial started/epoch/finished/failed/cancelled/requeued events with ids, and progress (counts, ETA). Send Last-Event-ID (or ?after=) to resume; without it the stream starts at the present.',
        params: IdParams,
        querystring: z.object({ after: z.coerce.number().int().min(0).optional() }).strict(),
        response: { 404: ErrorResponse },
      },
    },
    async (request, reply) => {
      const sweep = await loadSweep(app.db, request.params.id, request.auth.projectId);
      const header = request.headers['last-event-id'];
      const resumeFrom = typeof header === 'string' && /^\d+$/.test(header) ? Number(header) : request.query.after;
      let last = resumeFrom ?? Number((await app.db.$queryRaw<{ max: bigint | null }[]>`SELECT max(id) AS max FROM "TrialEvent"`)[0]?.max ?? 0);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      let open = true;
      request.raw.on('close', () => {
        open = false;
      });
      const send = (event: string, data: unknown, id?: bigint | number) =>
        res.write(`${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      let lastProgress = 0;
      const progress = async () => {
        send('progress', await progressOf(app.db, sweep.id, last));
        lastProgress = Date.now();
      };
      res.write(`retry: 2000\n\n`);
      try {
        await progress();
        while (open) {
          const events = await app.db.$queryRaw<{ id: bigint; trialId: string; type: string; data: unknown; createdAt: Date }[]>`
            SELECT e.id, e."trialId", e.type, e.data, e."createdAt" FROM "TrialEvent" e
            JOIN "SweepTrial" st ON st."trialId" = e."trialId" AND st."sweepId" = ${sweep.id}
            WHERE e.id > ${last} ORDER BY e.id LIMIT ${BATCH}`;
          for (const e of events) {
            send(e.type, { trialId: e.trialId, at: e.createdAt, ...(e.data as object) }, e.id);
            last = Number(e.id);
          }
          if (events.length || Date.now() - lastProgress >= PROGRESS_MS) await progress();
          if (events.length < BATCH) await new Promise((r) => setTimeout(r, POLL_MS));
        }
      } catch (err) {
        // The database went away mid-stream: the client reconnects with Last-Event-ID and loses nothing.
        request.log.warn({ err: (err as Error).message, sweepId: sweep.id }, 'event stream ended');
      } finally {
        res.end();
      }
    },
  );
};

type Db = Parameters<typeof sweepStatusCounts>[0];
type Progress = Awaited<ReturnType<typeof computeProgress>>;

/**
 * Progress as of event `last`, shared for a second by every listener of the sweep that has seen the same events (50
 * listeners cost one computation, not 50).
 */
const recent = new Map<string, { at: number; value: Promise<Progress> }>();
function progressOf(db: Db, sweepId: string, last: number): Promise<Progress> {
  const key = `${sweepId}:${last}`;
  const now = Date.now();
  const hit = recent.get(key);
  if (hit && now - hit.at < 1_000) return hit.value;
  for (const [k, v] of recent) if (now - v.at >= 1_000) recent.delete(k);
  const value = computeProgress(db, sweepId);
  recent.set(key, { at: now, value });
  value.catch(() => recent.delete(key));
  return value;
}

/**
 * Counts, and an ETA: epochs left × the mean measured epoch time ÷ the trials running at once. Each trial is read
 * through its own index (its epoch count, its last 3 epochs' times), never a scan of every sweep's epochs.
 */
async function computeProgress(db: Db, sweepId: string) {
  const counts = await sweepStatusCounts(db, sweepId);
  const rows = await db.$queryRaw<{ left: bigint | null; seconds: number | null }[]>`
    SELECT
      (SELECT sum(greatest((t.config ->> 'epochs')::int - (SELECT count(*) FROM "EpochMetric" e WHERE e."trialId" = t.id), 0))
         FROM "SweepTrial" st JOIN "Trial" t ON t.id = st."trialId"
        WHERE st."sweepId" = ${sweepId} AND t.status IN ('queued', 'running')) AS left,
      (SELECT avg(e.seconds) FROM "SweepTrial" st
         CROSS JOIN LATERAL (SELECT m.seconds FROM "EpochMetric" m WHERE m."trialId" = st."trialId" ORDER BY m.epoch DESC LIMIT 3) e
        WHERE st."sweepId" = ${sweepId}) AS seconds`;
  const left = Number(rows[0]?.left ?? 0);
  const seconds = rows[0]?.seconds ?? null;
  const etaSeconds = left === 0 ? 0 : seconds === null ? null : (left * seconds) / Math.max(1, counts.running);
  return { counts, epochsLeft: left, meanEpochSeconds: seconds, etaSeconds };
}
