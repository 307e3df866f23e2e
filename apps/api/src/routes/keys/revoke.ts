// DELETE /keys/:id: revoke a key of the caller's project; it answers 401 from the next request on.
import { revokeApiKey } from '@ablate/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiError } from '../../errors.js';
import { ErrorResponse } from '../../schemas/common.js';

export const revokeKeyRoute: FastifyPluginAsyncZod = async (app) => {
  app.delete(
    '/keys/:id',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['keys'],
        summary: "Revoke an API key of the caller's project (admin).",
        params: z.object({ id: z.string().regex(/^[0-9a-f]{12}$/, 'a key id: 12 hex characters') }),
        response: { 200: z.object({ id: z.string(), revoked: z.literal(true) }), 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request) => {
      if (!(await revokeApiKey(app.db, request.params.id, request.auth.projectId))) throw new ApiError('KEY_ERR_NOT_FOUND');
      request.log.info({ keyId: request.params.id }, 'api key revoked');
      return { id: request.params.id, revoked: true as const };
    },
  );
};
