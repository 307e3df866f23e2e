// POST /sweeps/:id/resume: a paused sweep's queued trials are delivered again.
import { setPaused } from '@ablate/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorResponse, IdParams } from '../../schemas/common.js';
import { LifecycleResponse } from '../../schemas/sweeps.js';
import { loadSweep, sweepDetail } from './load.js';

export const resumeSweepRoute: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/sweeps/:id/resume',
    {
      schema: {
        tags: ['sweeps'],
        summary: 'Resume a paused sweep.',
        params: IdParams,
        response: { 200: LifecycleResponse, 404: ErrorResponse },
      },
    },
    async (request) => {
      const sweep = await loadSweep(app.db, request.params.id, request.auth.projectId);
      await setPaused(app.db, sweep.id, false);
      const d = await sweepDetail(app.db, await loadSweep(app.db, sweep.id, request.auth.projectId));
      return { id: d.id, status: d.status, paused: d.paused };
    },
  );
};
