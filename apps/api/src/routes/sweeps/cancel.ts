// POST /sweeps/:id/cancel: queued trials are cancelled, running ones stop at their next batch with a checkpoint;
// a trial another active sweep also holds keeps going.
import { cancelSweep } from '@ablate/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorResponse, IdParams } from '../../schemas/common.js';
import { CancelResponse } from '../../schemas/sweeps.js';
import { loadSweep, sweepDetail } from './load.js';

export const cancelSweepRoute: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/sweeps/:id/cancel',
    {
      schema: {
        tags: ['sweeps'],
        summary: 'Cancel a sweep: queued trials are cancelled, running ones checkpoint and stop; trials another active sweep needs keep running.',
        params: IdParams,
        response: { 200: CancelResponse, 404: ErrorResponse },
      },
    },
    async (request) => {
      const sweep = await loadSweep(app.db, request.params.id, request.auth.projectId);
      const r = await cancelSweep(app.db, sweep.id);
      request.log.info({ sweepId: sweep.id, ...r }, 'sweep cancelled');
      const { status } = await sweepDetail(app.db, await loadSweep(app.db, sweep.id, request.auth.projectId));
      return { id: sweep.id, status, ...r };
    },
  );
};
