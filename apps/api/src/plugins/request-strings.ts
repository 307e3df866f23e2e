// Query strings and path parameters get the body's checks before any schema or handler sees them: no NUL or lone
// surrogate (Postgres refuses both: `GET /experiments/%00` was a 500), no prototype-named parameter (`__proto__`,
// `constructor[prototype]`), no repeated parameter (no route takes a list in its query, so `?limit=1&limit=2` is a 400
// naming `limit`, never an array), and no parameter at all on an API route whose schema declares none.
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../errors.js';
import { badStringReason, FORBIDDEN_KEYS, stringProblemError } from './json-body.js';

/** A parameter name's segments as `a[b].c` spells them: each is checked against the prototype names. */
const nameSegments = (name: string) => name.split(/[[\].]/).filter(Boolean);

/**
 * Throws the ApiError for the first bad path parameter or query parameter of a request. `acceptsQuery: false` (an API
 * route whose schema declares no querystring) refuses any parameter, as the strict schemas of the others do.
 */
export function checkRequestStrings(params: unknown, query: unknown, acceptsQuery = true): void {
  for (const [key, value] of Object.entries((params ?? {}) as Record<string, unknown>)) {
    const why = typeof value === 'string' ? badStringReason(value) : undefined;
    if (why) throw stringProblemError({ code: 'API_ERR_INVALID_STRING', path: `params.${key}`, message: why });
  }
  if (!query || typeof query !== 'object') return;
  for (const [key, value] of Object.entries(query as Record<string, unknown>)) {
    const keyWhy = badStringReason(key);
    const shown = keyWhy ? JSON.stringify(key).slice(1, -1) : key.slice(0, 100);
    const path = `querystring.${shown}`;
    if (keyWhy) throw stringProblemError({ code: 'API_ERR_INVALID_STRING', path, message: `the parameter's name ${keyWhy}` });
    if (nameSegments(key).some((k) => FORBIDDEN_KEYS.has(k)))
      throw stringProblemError({
        code: 'API_ERR_FORBIDDEN_KEY',
        path,
        message: `'${key}' cannot be a parameter name (it names an object's prototype)`,
      });
    if (Array.isArray(value)) {
      const message = `give '${shown}' once: no query parameter takes a list (got ${value.length} values)`;
      throw new ApiError('API_ERR_BAD_REQUEST', `${path}: ${message}`, [{ path, message }]);
    }
    const why = typeof value === 'string' ? badStringReason(value) : undefined;
    if (why) throw stringProblemError({ code: 'API_ERR_INVALID_STRING', path, message: why });
    if (!acceptsQuery) {
      const message = `unknown parameter '${shown}': this route takes no query parameters`;
      throw new ApiError('API_ERR_BAD_REQUEST', `${path}: ${message}`, [{ path, message }]);
    }
  }
}

export function registerRequestStringChecks(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    // Documented API routes only: the dashboard's page and files (hidden) leave their query to the browser's page.
    const schema = request.routeOptions.schema as { hide?: boolean; querystring?: unknown } | undefined;
    checkRequestStrings(request.params, request.query, !schema || schema.hide === true || schema.querystring !== undefined);
  });
}
