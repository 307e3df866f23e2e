// The /workers resource.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { drainWorkerRoute } from './drain.js';
import { listWorkersRoute } from './list.js';

export const workersRoutes: FastifyPluginAsyncZod = async (app) => {
  await app.register(listWorkersRoute);
  await app.register(drainWorkerRoute);
};
