// GET /sweeps/:id: a sweep, the status counts of its trials, and what it waits for when no live worker can run it.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorResponse, IdParams } from '../../schemas/common.js';
import { SweepResponse } from '../../schemas/sweeps.js';
import { loadSweep, sweepDetail } from './load.js';

export const getSweepRoute: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/sweeps/:id',
    {
      schema: {
        tags: ['sweeps'],
        summary: 'A sweep, the status counts of its trials, and `waitingFor` when no live worker satisfies its backend.',
        params: IdParams,
        response: { 200: SweepResponse, 404: ErrorResponse },
      },
    },
    async (request) => sweepDetail(app.db, await loadSweep(app.db, request.params.id, request.auth.projectId)),
  );
};
