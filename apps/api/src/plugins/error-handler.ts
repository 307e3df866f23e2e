// Maps every error to the catalogue's JSON shape: validation errors become 400s naming each bad field,
// unknown errors become 500s without internals.
import { isDatabaseUnavailable } from '@ablate/db';
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ApiError, errorCodes, type ErrorCode, type Issue } from '../errors.js';

export function registerErrorHandler(app: FastifyInstance): void {
  // An outage fails every request alike: say so once every 30 s, not per request.
  let lastOutageLog = 0;
  app.setErrorHandler((err: FastifyError, request, reply) => {
    let apiErr: ApiError;
    if (err instanceof ApiError) {
      apiErr = err;
    } else if (hasZodFastifySchemaValidationErrors(err)) {
      const issues: Issue[] = err.validation.map((v) => ({
        path: [err.validationContext === 'body' ? '' : err.validationContext, ...v.instancePath.split('/').filter(Boolean)].filter(Boolean).join('.'),
        message: v.message ?? 'invalid',
      }));
      const code: ErrorCode =
        request.routeOptions.url === '/sweeps' && err.validationContext === 'body' ? 'SWEEP_ERR_INVALID_SPEC' : 'API_ERR_BAD_REQUEST';
      apiErr = new ApiError(code, issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; '), issues);
    } else if ((err as { code?: string }).code === 'SWEEP_ERR_BUSY') {
      apiErr = new ApiError('SWEEP_ERR_BUSY', err.message);
    } else if (isDatabaseUnavailable(err)) {
      if (Date.now() - lastOutageLog > 30_000) {
        lastOutageLog = Date.now();
        request.log.warn({ err: err.message }, 'database unreachable: answering 503');
      }
      apiErr = new ApiError('DB_ERR_UNAVAILABLE');
    } else if (err.statusCode && err.statusCode < 500) {
      // Fastify's own 4xx (malformed JSON, wrong content type, body too large).
      apiErr = new ApiError('API_ERR_BAD_REQUEST', err.message);
      (apiErr as { statusCode: number }).statusCode = err.statusCode;
    } else {
      request.log.error({ err, request: { method: request.method, url: request.url } }, 'unhandled error');
      apiErr = new ApiError('API_ERR_INTERNAL');
    }
    void reply.status(apiErr.statusCode).send({
      statusCode: apiErr.statusCode,
      code: apiErr.code,
      error: httpReason(apiErr.statusCode),
      message: apiErr.message,
      ...(apiErr.issues ? { issues: apiErr.issues } : {}),
    });
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({
      statusCode: 404,
      code: 'API_ERR_NOT_FOUND',
      error: 'Not Found',
      message: `${errorCodes.API_ERR_NOT_FOUND.message}: ${request.method} ${request.url}`,
    });
  });
}

function httpReason(status: number): string {
  return (
    (
      {
        400: 'Bad Request',
        404: 'Not Found',
        409: 'Conflict',
        422: 'Unprocessable Entity',
        413: 'Payload Too Large',
        415: 'Unsupported Media Type',
        500: 'Internal Server Error',
        503: 'Service Unavailable',
      } as Record<number, string>
    )[status] ?? 'Error'
  );
}
