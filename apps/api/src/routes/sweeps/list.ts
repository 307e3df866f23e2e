// GET /sweeps: sweeps, newest first, paginated, filtered by status or name, each with its trial counts.
import type { Prisma } from '@ablate/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ListSweepsQuery, ListSweepsResponse } from '../../schemas/sweeps.js';
import { summarize } from './load.js';

export const listSweepsRoute: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/sweeps',
    {
      schema: {
        tags: ['sweeps'],
        summary: 'Sweeps, newest first, with their trial counts.',
        querystring: ListSweepsQuery,
        response: { 200: ListSweepsResponse },
      },
    },
    async (request) => {
      const { status, name, limit, offset } = request.query;
      const where: Prisma.SweepWhereInput = {
        projectId: request.auth.projectId,
        ...(status ? { status } : {}),
        ...(name ? { name: { contains: name, mode: 'insensitive' } } : {}),
      };
      const [sweeps, total] = await Promise.all([
        app.db.sweep.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], take: limit, skip: offset }),
        app.db.sweep.count({ where }),
      ]);
      const ids = sweeps.map((s) => s.id);
      const rows = await app.db.$queryRaw<{ sweepId: string; status: string; n: bigint }[]>`
        SELECT st."sweepId", t.status::text AS status, count(*) AS n FROM "SweepTrial" st JOIN "Trial" t ON t.id = st."trialId"
        WHERE st."sweepId" = ANY(${ids}::text[]) GROUP BY st."sweepId", t.status`;
      const items = sweeps.map((s) => {
        const counts = { queued: 0, running: 0, done: 0, failed: 0, cancelled: 0, total: 0 };
        for (const r of rows.filter((r) => r.sweepId === s.id)) {
          counts[r.status as keyof typeof counts] = Number(r.n);
          counts.total += Number(r.n);
        }
        return summarize(s, counts);
      });
      return { items, total, limit, offset };
    },
  );
};
