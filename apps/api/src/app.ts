// The API as a Fastify instance: zod type provider, error catalogue, OpenAPI at /docs, and one plugin per resource.
// Dependencies (database, queue) are injected so tests pass their own and use app.inject without a port.
import type { Db } from '@ablate/db';
import { type DataRoots, dataRootsFromEnv } from '@ablate/spec';
import type { TrialQueue } from '@ablate/queue';
import type { BlobStore } from '@ablate/store';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { dashboardPlugin } from './plugins/dashboard.js';
import { type AuthMode, registerAuth } from './plugins/auth.js';
import { clientErrorHandler, frameworkErrors, registerErrorHandler } from './plugins/error-handler.js';
import { jsonBodyText, registerJsonBody } from './plugins/json-body.js';
import { registerWriteRateLimit } from './quotas/rate-limit.js';
import { registerRequestStringChecks } from './plugins/request-strings.js';
import { registerSecurityHeaders } from './plugins/security-headers.js';
import { registerSwagger } from './plugins/swagger.js';
import { experimentsRoutes } from './routes/experiments/index.js';
import { healthRoutes } from './routes/health/index.js';
import { keysRoutes } from './routes/keys/index.js';
import { leaderboardRoutes } from './routes/leaderboard/index.js';
import { sweepsRoutes } from './routes/sweeps/index.js';
import { workersRoutes } from './routes/workers/index.js';

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
    trialQueue: TrialQueue;
    /** Folders an image_folder dataset may read from (ABLATE_DATA_DIR first, then ABLATE_DATA_ROOTS). */
    dataRoots: DataRoots;
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
  /** 'keys' (default): every route but health, the dashboard's files and the docs needs an API key; 'off': none does. */
  auth?: AuthMode;
  /** Origins whose browser pages may call the API (ABLATE_CORS_ORIGINS); none: CORS off. */
  corsOrigins?: string[];
  /** Default: from ABLATE_DATA_DIR and ABLATE_DATA_ROOTS. */
  dataRoots?: DataRoots;
}

export async function buildApp(deps: AppDeps) {
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: 5 * 1024 * 1024,
    // Errors raised before routing (bad URLs, over-long ids) and by Node's HTTP parser (431) in the API's error shape.
    frameworkErrors,
    clientErrorHandler,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('db', deps.db);
  app.decorate('trialQueue', deps.trialQueue);
  app.decorate('store', deps.store);
  app.decorate('dataRoots', deps.dataRoots ?? dataRootsFromEnv(process.env));
  await registerSecurityHeaders(app, { corsOrigins: deps.corsOrigins });
  // Bodies are depth-checked as text before JSON.parse (nothing recursive ever sees a deep one); NUL, lone surrogates
  // and prototype keys are refused in bodies, query strings and path parameters alike.
  registerJsonBody(app);
  registerRequestStringChecks(app);
  app.addHook('preValidation', async (request) => {
    if (request.body === undefined) return;
    const text = jsonBodyText(request);
    if (text === undefined) {
      request.rawBodyJson = typeof request.body === 'string' ? request.body : structuredClone(request.body);
      return;
    }
    // The body as sent, before schema defaults and transforms: parsed again from its text if a route asks (a stored sweep).
    let parsed: { value: unknown } | undefined;
    Object.defineProperty(request, 'rawBodyJson', {
      get: () => {
        parsed ??= { value: JSON.parse(text) as unknown };
        return parsed.value;
      },
      configurable: true,
    });
  });
  registerErrorHandler(app);
  registerAuth(app, deps.auth ?? 'keys');
  await registerWriteRateLimit(app);
  await registerSwagger(app);
  await app.register(healthRoutes);
  await app.register(sweepsRoutes);
  await app.register(workersRoutes);
  await app.register(leaderboardRoutes);
  await app.register(experimentsRoutes);
  await app.register(keysRoutes);
  await app.register(dashboardPlugin);
  return app;
}
