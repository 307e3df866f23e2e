// GET /keys: the keys of the caller's project (ids, scopes, names, when created or revoked; never the keys).
import { KEY_SCOPES, listApiKeys } from '@ablate/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorResponse } from '../../schemas/common.js';

export const listKeysRoute: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/keys',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['keys'],
        summary: "The API keys of the caller's project (admin): id, scope, name, created, revoked.",
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.string(),
                scope: z.enum(KEY_SCOPES),
                name: z.string().nullable(),
                createdAt: z.date(),
                revokedAt: z.date().nullable(),
              }),
            ),
          }),
          401: ErrorResponse,
          403: ErrorResponse,
        },
      },
    },
    async (request) => {
      const keys = await listApiKeys(app.db, request.auth.projectId);
      return { items: keys.map(({ projectId: _p, ...k }) => ({ ...k, scope: k.scope as (typeof KEY_SCOPES)[number] })) };
    },
  );
};
