// POST /workers/:id/drain: the worker finishes its current trial, takes no more, and exits.
import { requestDrain } from '@ablate/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiError } from '../../errors.js';
import { ErrorResponse } from '../../schemas/common.js';

export const drainWorkerRoute: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/workers/:id/drain',
    {
      // Workers serve every project: draining one is an operator's act.
      config: { scope: 'admin' },
      schema: {
        tags: ['workers'],
        summary: 'Drain a worker: it finishes its current trial, then exits.',
        params: z.object({ id: z.string().min(1).max(200) }),
        response: { 202: z.object({ id: z.string(), drain: z.literal(true) }), 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request, reply) => {
      if (!(await requestDrain(app.db, request.params.id))) throw new ApiError('WORKER_ERR_NOT_FOUND', `no running worker '${request.params.id}'`);
      return reply.status(202).send({ id: request.params.id, drain: true as const });
    },
  );
};
