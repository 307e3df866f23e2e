// DELETE /sweeps/:id: a cancelled or finished sweep is removed with the trials no other sweep holds, their metrics,
// artifacts and files in the blob store. Trials other sweeps share stay.
import { deleteSweep } from '@ablate/db';
import { trialKeys } from '@ablate/store';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiError } from '../../errors.js';
import { loadSweep } from './load.js';
import { ErrorResponse, IdParams } from '../../schemas/common.js';
import { DeleteResponse } from '../../schemas/sweeps.js';

export const deleteSweepRoute: FastifyPluginAsyncZod = async (app) => {
  app.delete(
    '/sweeps/:id',
    {
      schema: {
        tags: ['sweeps'],
        summary: 'Delete a cancelled or finished sweep and the trials no other sweep shares (with their checkpoints and files).',
        params: IdParams,
        response: { 200: DeleteResponse, 404: ErrorResponse, 409: ErrorResponse },
      },
    },
    async (request) => {
      await loadSweep(app.db, request.params.id, request.auth.projectId);
      const r = await deleteSweep(app.db, request.params.id);
      if (!r) throw new ApiError('SWEEP_ERR_NOT_FOUND', `no sweep '${request.params.id}'`);
      for (const t of r.trials) {
        await app.store?.deletePrefix(trialKeys.trial(t)).catch((err: unknown) => {
          request.log.warn({ trialId: t, err: (err as Error).message }, 'could not delete trial files from the store');
        });
      }
      request.log.info({ sweepId: request.params.id, trials: r.trials.length }, 'sweep deleted');
      return { id: request.params.id, deletedTrials: r.trials.length };
    },
  );
};
