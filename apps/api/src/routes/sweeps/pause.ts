// POST /sweeps/:id/pause: no new trial of the sweep starts (running ones finish); its queued trials wait.
import { setPaused } from '@ablate/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorResponse, IdParams } from '../../schemas/common.js';
import { LifecycleResponse } from '../../schemas/sweeps.js';
import { loadSweep, sweepDetail } from './load.js';

export const pauseSweepRoute: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/sweeps/:id/pause',
    {
      schema: {
        tags: ['sweeps'],
        summary: 'Pause a sweep: no new trial starts; running trials finish.',
        params: IdParams,
        response: { 200: LifecycleResponse, 404: ErrorResponse },
      },
    },
    async (request) => {
      const sweep = await loadSweep(app.db, request.params.id, request.auth.projectId);
      await setPaused(app.db, sweep.id, true);
      const d = await sweepDetail(app.db, await loadSweep(app.db, sweep.id, request.auth.projectId));
      return { id: d.id, status: d.status, paused: d.paused };
    },
  );
};
