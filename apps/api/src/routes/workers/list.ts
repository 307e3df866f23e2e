// GET /workers: every worker process heard from in the last day: id, host, backend, device, versions, state, current
// trial, last heartbeat, whether it is live.
import { listWorkers } from '@ablate/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

const WorkerItem = z.object({
  id: z.string(),
  name: z.string(),
  host: z.string(),
  pid: z.number().int(),
  backend: z.string(),
  device: z.string(),
  queues: z.array(z.string()),
  versions: z.record(z.string(), z.unknown()),
  state: z.string(),
  reason: z.string().nullable(),
  trialId: z.string().nullable(),
  drain: z.boolean(),
  trialsDone: z.number().int(),
  trialsFailed: z.number().int(),
  startedAt: z.date(),
  lastSeen: z.date(),
  stoppedAt: z.date().nullable(),
  live: z.boolean(),
});

export const listWorkersRoute: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/workers',
    {
      schema: {
        tags: ['workers'],
        summary: 'Worker processes: backend, device, versions, state, current trial and last heartbeat.',
        querystring: z.object({ all: z.enum(['true', 'false']).optional() }).strict(),
        response: { 200: z.object({ items: z.array(WorkerItem) }) },
      },
    },
    async (request) => {
      const items = await listWorkers(app.db, { includeStopped: request.query.all === 'true' });
      return { items: items.map((w) => ({ ...w, versions: w.versions as Record<string, unknown> })) };
    },
  );
};
