// The API as a Fastify instance: zod type provider, error catalogue, OpenAPI at /docs, and one plugin per resource.
// Dependencies (database, queue) are injected so tests pass their own and use app.inject without a port.
import type { Db } from '@ablate/db';
import type { TrialQueue } from '@ablate/queue';
import type { BlobStore } from '@ablate/store';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { dashboardPlugin } from './plugins/dashboard.js';
import { registerErrorHandler } from './plugins/error-handler.js';
import { registerSwagger } from './plugins/swagger.js';
import { experimentsRoutes } from './routes/experiments/index.js';
import { healthRoutes } from './routes/health/index.js';
import { leaderboardRoutes } from './routes/leaderboard/index.js';
import { sweepsRoutes } from './routes/sweeps/index.js';
import { workersRoutes } from './routes/workers/index.js';

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
    trialQueue: TrialQueue;
    /** Where trial files live (checkpoints, TensorBoard); deleting a sweep removes its trials' files. */
    store: BlobStore | undefined;
  }
  interface FastifyRequest {
    /** The JSON body as parsed, before schema defaults and transforms. */
    rawBodyJson?: unknown;
  }
}

export interface AppDeps {
  db: Db;
  trialQueue: TrialQueue;
  store?: BlobStore;
  logger?: FastifyServerOptions['logger'];
}

export async function buildApp(deps: AppDeps) {
  const app = Fastify({ logger: deps.logger ?? false, bodyLimit: 5 * 1024 * 1024 }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('db', deps.db);
  app.decorate('trialQueue', deps.trialQueue);
  app.decorate('store', deps.store);
  app.addHook('preValidation', async (request) => {
    if (request.body !== undefined) request.rawBodyJson = structuredClone(request.body);
  });
  registerErrorHandler(app);
  await registerSwagger(app);
  await app.register(healthRoutes);
  await app.register(sweepsRoutes);
  await app.register(workersRoutes);
  await app.register(leaderboardRoutes);
  await app.register(experimentsRoutes);
  await app.register(dashboardPlugin);
  return app;
}
