// API keys: every route but /health, the dashboard's files and the API docs needs `Authorization: Bearer <key>`. The
// key decides the project the request sees (another project's sweep is a 404, never a 403) and what it may do: GET
// needs read, other methods write, and routes marked `config: { scope: 'admin' }` admin.
import { findApiKey, type KeyIdentity, type KeyScope, scopeAllows } from '@ablate/db';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is asking: the key's project and scope (with auth off: the default project, admin). */
    auth: KeyIdentity;
  }
  interface FastifyContextConfig {
    /** The scope a route needs beyond its method's (read for GET, write otherwise). */
    scope?: KeyScope;
    /** Reachable without a key. */
    public?: boolean;
  }
}

export type AuthMode = 'keys' | 'off';

/** What needs no key: health, the dashboard's page and bundle, the OpenAPI docs. */
function isPublic(request: FastifyRequest): boolean {
  if (request.routeOptions.config?.public) return true;
  const path = request.url.split('?')[0]!;
  return path === '/health' || path === '/' || path.startsWith('/assets/') || path === '/docs' || path.startsWith('/docs/');
}

export function registerAuth(app: FastifyInstance, mode: AuthMode): void {
  app.decorateRequest('auth', null as never);
  app.addHook('onRequest', async (request) => {
    if (mode === 'off') {
      request.auth = { keyId: 'none', projectId: 'default', scope: 'admin' };
      return;
    }
    if (isPublic(request)) return;
    const header = request.headers.authorization;
    if (header === undefined) throw new ApiError('AUTH_ERR_MISSING');
    const m = /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(header);
    const identity = m ? await findApiKey(app.db, m[1]!) : null;
    if (!identity) throw new ApiError('AUTH_ERR_INVALID');
    const needed: KeyScope = request.routeOptions.config?.scope ?? (request.method === 'GET' || request.method === 'HEAD' ? 'read' : 'write');
    if (!scopeAllows(identity.scope, needed)) {
      throw new ApiError(
        'AUTH_ERR_FORBIDDEN',
        `this key's scope is '${identity.scope}'; ${request.method} ${request.routeOptions.url ?? request.url} needs '${needed}'`,
      );
    }
    request.auth = identity;
  });
}
