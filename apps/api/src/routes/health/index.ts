// GET /health: the API is up and can reach Postgres and the queue.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

const Health = z.object({ status: z.enum(['ok', 'degraded']), db: z.string(), queue: z.string() });

export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/health', { schema: { tags: ['health'], response: { 200: Health, 503: Health } } }, async (_request, reply) => {
    const [db, queue] = await Promise.all([
      app.db.$queryRaw`SELECT 1`.then(() => 'ok', (e: Error) => `error: ${e.message}`),
      app.trialQueue.counts().then(() => 'ok', (e: Error) => `error: ${e.message}`),
    ]);
    const ok = db === 'ok' && queue === 'ok';
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'degraded', db, queue });
  });
};
