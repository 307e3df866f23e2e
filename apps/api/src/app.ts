// The API as a Fastify instance: zod type provider, error catalogue, OpenAPI at /docs, and one plugin per resource.
// Dependencies (database, queue) are injected so tests pass their own and use app.inject without a port.
import type { Db } from '@ablate/db';
import type { TrialQueue } from '@ablate/queue';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { registerErrorHandler } from './plugins/error-handler.js';
import { registerSwagger } from './plugins/swagger.js';
import { experimentsRoutes } from './routes/experiments/index.js';
import { healthRoutes } from './routes/health/index.js';
import { sweepsRoutes } from './routes/sweeps/index.js';
import { sweepTableRoutes } from './routes/sweeps/table.js';

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
    trialQueue: TrialQueue;
  }
  interface FastifyRequest {
    /** The JSON body as parsed, before schema defaults and transforms. */
    rawBodyJson?: unknown;
  }
}

export interface AppDeps {
  db: Db;
  trialQueue: TrialQueue;
  logger?: FastifyServerOptions['logger'];
}

export async function buildApp(deps: AppDeps) {
  const app = Fastify({ logger: deps.logger ?? false, bodyLimit: 5 * 1024 * 1024 }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('db', deps.db);
  app.decorate('trialQueue', deps.trialQueue);
  app.addHook('preValidation', async (request) => {
    if (request.body !== undefined) request.rawBodyJson = structuredClone(request.body);
  });
  registerErrorHandler(app);
  await registerSwagger(app);
  await app.register(healthRoutes);
  await app.register(sweepsRoutes);
  await app.register(sweepTableRoutes);
  await app.register(experimentsRoutes);
  return app;
}
