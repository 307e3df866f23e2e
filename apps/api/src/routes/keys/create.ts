// POST /keys: a new key for the caller's project, shown once in the answer (only its hash is stored).
import { createApiKey, KEY_SCOPES } from '@ablate/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorResponse } from '../../schemas/common.js';

export const createKeyRoute: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/keys',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['keys'],
        summary: "Create an API key in the caller's project (admin). The key is in this answer only.",
        body: z.object({ scope: z.enum(KEY_SCOPES), name: z.string().trim().min(1).max(100).optional() }).strict(),
        response: {
          201: z.object({ id: z.string(), key: z.string(), projectId: z.string(), scope: z.enum(KEY_SCOPES) }),
          400: ErrorResponse,
          401: ErrorResponse,
          403: ErrorResponse,
        },
      },
    },
    async (request, reply) => {
      const k = await createApiKey(app.db, { projectId: request.auth.projectId, scope: request.body.scope, name: request.body.name });
      request.log.info({ keyId: k.keyId, projectId: k.projectId, scope: k.scope }, 'api key created');
      return reply.status(201).send({ id: k.keyId, key: k.key, projectId: k.projectId, scope: k.scope });
    },
  );
};
