// The /keys resource: an admin key manages the keys of its own project (`npm run keys` manages any project).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { createKeyRoute } from './create.js';
import { listKeysRoute } from './list.js';
import { revokeKeyRoute } from './revoke.js';

export const keysRoutes: FastifyPluginAsyncZod = async (app) => {
  await app.register(createKeyRoute);
  await app.register(listKeysRoute);
  await app.register(revokeKeyRoute);
};
