// Maps every error to the catalogue's JSON shape {statusCode, code, error, message, issues?}: validation errors become
// 400s naming each bad field, Fastify's own (413, 414, 415, bad URLs) and Node's (431, malformed requests) get catalogue
// codes, unknown errors become 500s without internals. No answer ever carries a stack trace.
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { isDatabaseUnavailable } from '@ablate/db';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ApiError, errorCodes, type ErrorCode, type Issue } from '../errors.js';
import { SECURITY_HEADERS } from './security-headers.js';

/** Fastify's error codes with a code of their own in the catalogue. */
const FRAMEWORK_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'API_ERR_BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'API_ERR_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'API_ERR_INVALID_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'API_ERR_INVALID_JSON',
  FST_ERR_MAX_PARAM_LENGTH: 'API_ERR_URI_TOO_LONG',
};

/** Longest piece of a request (its URL) echoed in a message. */
const ECHO_LIMIT = 200;
/** Most issues one answer lists (a body with 50,000 bad keys has 50,000): the message says how many more there were. */
export const MAX_ISSUES = 100;
/** Longest message one answer carries (characters). */
const MAX_MESSAGE = 10_000;

/** The JSON body of an error answer. */
export function errorBody(err: ApiError) {
  return {
    statusCode: err.statusCode,
    code: err.code,
    error: STATUS_CODES[err.statusCode] ?? 'Error',
    message: err.message.length > MAX_MESSAGE ? `${err.message.slice(0, MAX_MESSAGE)}…` : err.message,
    ...(err.issues ? { issues: err.issues.slice(0, MAX_ISSUES) } : {}),
  };
}

/** An error Fastify raised before or around a handler (4xx): its catalogue code, its status kept. */
function frameworkError(err: FastifyError): ApiError {
  const code = FRAMEWORK_CODES[err.code] ?? (err.statusCode === 404 ? 'API_ERR_NOT_FOUND' : 'API_ERR_BAD_REQUEST');
  const message =
    err.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? `${errorCodes.API_ERR_URI_TOO_LONG.message} (100 characters)`
      : err.code === 'FST_ERR_BAD_URL'
        ? 'the URL is not valid percent-encoded UTF-8'
        : err.message.slice(0, ECHO_LIMIT);
  const apiErr = new ApiError(code, message);
  (apiErr as { statusCode: number }).statusCode = err.statusCode!;
  return apiErr;
}

/** Fastify's `frameworkErrors` option: bad URLs and over-long path parameters, answered before any hook runs. */
export function frameworkErrors(err: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const apiErr = frameworkError(err);
  void reply.status(apiErr.statusCode).headers(SECURITY_HEADERS).send(errorBody(apiErr));
}

/**
 * Fastify's `clientErrorHandler` option: requests Node's HTTP parser refuses (headers over 16 KiB: 431, a malformed
 * request line or header: 400) are answered in the same shape, then the connection is closed.
 */
export function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const apiErr =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? new ApiError('API_ERR_HEADERS_TOO_LARGE')
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? Object.assign(new ApiError('API_ERR_BAD_REQUEST', 'the request took too long to arrive'), { statusCode: 408 })
        : new ApiError('API_ERR_BAD_REQUEST', 'the request is not valid HTTP/1.1');
  const body = JSON.stringify(errorBody(apiErr));
  const headers = {
    ...SECURITY_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    connection: 'close',
  };
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${apiErr.statusCode} ${STATUS_CODES[apiErr.statusCode]}\r\n${Object.entries(headers)
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('')}\r\n${body}`,
    );
  }
  socket.destroy();
}

export function registerErrorHandler(app: FastifyInstance): void {
  // An outage fails every request alike: say so once every 30 s, not per request.
  let lastOutageLog = 0;
  app.setErrorHandler((err: FastifyError, request, reply) => {
    let apiErr: ApiError;
    if (err instanceof ApiError) {
      apiErr = err;
    } else if (hasZodFastifySchemaValidationErrors(err)) {
      const context = err.validationContext === 'body' ? '' : err.validationContext;
      const issues: Issue[] = err.validation.flatMap((v) => {
        const path = [context, ...v.instancePath.split('/').filter(Boolean)].filter(Boolean).join('.');
        // An unknown query parameter is named by its own path (`querystring.metric[]`), as a bad value is.
        const keys = (v.params as { keys?: unknown } | undefined)?.keys;
        if (context && v.keyword === 'unrecognized_keys' && Array.isArray(keys))
          return keys.map((k) => ({ path: `${path}.${String(k).slice(0, 100)}`, message: `unknown parameter '${String(k).slice(0, 100)}'` }));
        return [{ path, message: v.message ?? 'invalid' }];
      });
      const code: ErrorCode =
        request.routeOptions.url === '/sweeps' && err.validationContext === 'body' ? 'SWEEP_ERR_INVALID_SPEC' : 'API_ERR_BAD_REQUEST';
      const listed = issues.slice(0, MAX_ISSUES).map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));
      if (issues.length > MAX_ISSUES) listed.push(`… and ${issues.length - MAX_ISSUES} more`);
      apiErr = new ApiError(code, listed.join('; '), issues);
    } else if ((err as { code?: string }).code === 'SWEEP_ERR_BUSY') {
      apiErr = new ApiError('SWEEP_ERR_BUSY', err.message);
    } else if (isDatabaseUnavailable(err)) {
      if (Date.now() - lastOutageLog > 30_000) {
        lastOutageLog = Date.now();
        request.log.warn({ err: err.message }, 'database unreachable: answering 503');
      }
      apiErr = new ApiError('DB_ERR_UNAVAILABLE');
    } else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      // Fastify's own 4xx (body too large, wrong content type, bad URL).
      apiErr = frameworkError(err);
    } else {
      request.log.error({ err, request: { method: request.method, url: request.routeOptions.url ?? 'unrouted' } }, 'unhandled error');
      apiErr = new ApiError('API_ERR_INTERNAL');
    }
    void reply.status(apiErr.statusCode).send(errorBody(apiErr));
  });
  app.setNotFoundHandler((request, reply) => {
    const url = request.url.length > ECHO_LIMIT ? `${request.url.slice(0, ECHO_LIMIT)}…` : request.url;
    void reply.status(404).send(errorBody(new ApiError('API_ERR_NOT_FOUND', `${errorCodes.API_ERR_NOT_FOUND.message}: ${request.method} ${url}`)));
  });
}
