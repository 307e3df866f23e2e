// POST /sweeps/:id/retry: failed and cancelled trials go back to queued with their attempts reset (a cancelled sweep
// becomes active again); trials that finished are kept.
import { retrySweep } from '@ablate/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorResponse, IdParams } from '../../schemas/common.js';
import { LifecycleResponse } from '../../schemas/sweeps.js';
import { loadSweep, sweepDetail } from './load.js';

export const retrySweepRoute: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/sweeps/:id/retry',
    {
      schema: {
        tags: ['sweeps'],
        summary: 'Retry the failed and cancelled trials of a sweep (attempts reset); done trials are kept.',
        params: IdParams,
        response: { 200: LifecycleResponse, 404: ErrorResponse },
      },
    },
    async (request) => {
      const sweep = await loadSweep(app.db, request.params.id, request.auth.projectId);
      const { requeued } = await retrySweep(app.db, sweep.id);
      const d = await sweepDetail(app.db, await loadSweep(app.db, sweep.id, request.auth.projectId));
      return { id: d.id, status: d.status, paused: d.paused, requeued };
    },
  );
};
