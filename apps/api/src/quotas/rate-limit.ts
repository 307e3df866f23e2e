// The write rate limit (@fastify/rate-limit): POST, PATCH and DELETE per API key per minute, the project's
// `writesPerMinute`; GETs and keyless requests (health, dashboard, docs) are never counted. Counters live in this
// process's memory: behind several API processes a key gets that many writes per process.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../errors.js';
import { projectLimits } from './limits.js';

const UNLIMITED_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Keyless requests (public routes; called before allowList) get a key that allowList then skips; with auth off every
 * request has the same pseudo-key, so those count per client address.
 */
const counterKey = (request: FastifyRequest) =>
  !request.auth ? 'public' : request.auth.keyId === 'none' ? `ip:${request.ip}` : `key:${request.auth.keyId}`;

/** Registers the limit on every route registered after it (call it after auth, before the routes). */
export async function registerWriteRateLimit(app: FastifyInstance): Promise<void> {
  await app.register(rateLimit, {
    global: true,
    // onRequest, after the app-level auth hook (route-level hooks run after it): request.auth is set.
    hook: 'onRequest',
    timeWindow: 60_000,
    allowList: (request) => UNLIMITED_METHODS.has(request.method) || !request.auth,
    keyGenerator: counterKey,
    max: async (request) => (await projectLimits(app.db, request.auth.projectId)).writesPerMinute,
    errorResponseBuilder: (request, context) =>
      new ApiError(
        'RATE_ERR_LIMITED',
        `this API key made more than ${context.max.toLocaleString('en-US')} writes this minute; project '${request.auth.projectId}' allows ${context.max.toLocaleString('en-US')} per minute per key (limit writesPerMinute); retry in ${context.after}`,
      ),
  });
}
