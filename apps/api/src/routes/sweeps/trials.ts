// GET /sweeps/:id/trials: the sweep's trials in grid order with status, attempts, epoch progress, final metric, error.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorResponse, IdParams } from '../../schemas/common.js';
import { SweepTrialsQuery, SweepTrialsResponse } from '../../schemas/sweeps.js';
import { loadSweep } from './load.js';

export const sweepTrialsRoute: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/sweeps/:id/trials',
    {
      schema: {
        tags: ['sweeps'],
        summary: 'The trials of a sweep: labels, seed, status, attempts, epoch progress, final test top-1 and last error.',
        params: IdParams,
        querystring: SweepTrialsQuery,
        response: { 200: SweepTrialsResponse, 404: ErrorResponse },
      },
    },
    async (request) => {
      const sweep = await loadSweep(app.db, request.params.id, request.auth.projectId);
      const { status, limit, offset } = request.query;
      const where = { sweepId: sweep.id, ...(status ? { trial: { status } } : {}) };
      const [cells, total] = await Promise.all([
        app.db.sweepTrial.findMany({
          where,
          orderBy: { index: 'asc' },
          take: limit,
          skip: offset,
          select: {
            index: true,
            labels: true,
            trial: {
              select: {
                id: true,
                seed: true,
                status: true,
                attempts: true,
                interruptions: true,
                config: true,
                testTop1: true,
                workerId: true,
                error: true,
                startedAt: true,
                finishedAt: true,
                _count: { select: { epochs: true } },
              },
            },
          },
        }),
        app.db.sweepTrial.count({ where }),
      ]);
      const items = cells.map(({ index, labels, trial: t }) => ({
        id: t.id,
        index,
        labels: labels as Record<string, string>,
        seed: t.seed,
        status: t.status,
        attempts: t.attempts,
        interruptions: t.interruptions,
        epochsDone: t._count.epochs,
        epochs: (t.config as { epochs: number }).epochs,
        testTop1: t.testTop1,
        workerId: t.status === 'running' ? t.workerId : null,
        error: t.error as Record<string, unknown> | null,
        startedAt: t.startedAt,
        finishedAt: t.finishedAt,
      }));
      return { items, total, limit, offset };
    },
  );
};
