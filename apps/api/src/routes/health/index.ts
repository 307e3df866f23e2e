// GET /health: the API is up and can reach Postgres and the queue. Anyone may ask (no key), so the answer is only
// up or down ({status}); which dependency is down, and why, goes to the server log (credentials redacted). It answers
// within 2 s (each check is bounded).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

/** How long one dependency may take to answer before it counts as down. */
const CHECK_TIMEOUT_MS = 1_500;

const DependencyState = z.enum(['ok', 'down']);
const Health = z.object({ status: z.enum(['ok', 'degraded']) }).strict();

export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  // During an outage every probe fails the same way: log it once per dependency every 30 s, not per request.
  const lastLogged: Record<string, number> = {};
  const check = async (dependency: 'db' | 'queue', probe: () => Promise<unknown>): Promise<z.output<typeof DependencyState>> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
    });
    try {
      await Promise.race([probe(), timeout]);
      return 'ok';
    } catch (err) {
      if (Date.now() - (lastLogged[dependency] ?? 0) > 30_000) {
        lastLogged[dependency] = Date.now();
        app.log.warn({ err, dependency }, 'health check failed');
      }
      return 'down';
    } finally {
      clearTimeout(timer);
    }
  };

  app.get('/health', { schema: { tags: ['health'], response: { 200: Health, 503: Health } } }, async (_request, reply) => {
    const [db, queue] = await Promise.all([check('db', () => app.db.$queryRaw`SELECT 1`), check('queue', () => app.trialQueue.counts())]);
    const ok = db === 'ok' && queue === 'ok';
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'degraded' });
  });
};
