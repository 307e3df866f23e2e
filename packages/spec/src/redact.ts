// Credential redaction for anything printed or logged: passwords in connection URLs, bearer tokens, and the logger
// options (pino `redact` paths and an error serializer) every ablate process uses. Plain functions, no pino import.

const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:@/]*):([^\s@/]*)@/gi;
const BEARER = /\b(Bearer\s+)[A-Za-z0-9._~+/=-]+/g;
const CENSOR = '***';

/**
 * Redacts every URL password and `Bearer` token inside free text (error messages, stacks, log lines, a bare URL):
 * `postgresql://u:secret@h/db` → `postgresql://u:***@h/db`; text without credentials is returned unchanged.
 */
export function redactSecrets(text: string): string {
  return text.replace(URL_CREDENTIALS, (_m, scheme: string, user: string) => `${scheme}${user}:${CENSOR}@`).replace(BEARER, `$1${CENSOR}`);
}

/** pino `redact` paths: request headers that carry credentials, and fields that hold a connection URL. */
export const LOG_REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  '*.password',
  'databaseUrl',
  'redisUrl',
  '*.databaseUrl',
  '*.redisUrl',
  'DATABASE_URL',
  'REDIS_URL',
  '*.DATABASE_URL',
  '*.REDIS_URL',
];

export interface SerializedError {
  [key: string]: unknown;
  type: string;
  message: string;
  stack: string;
}

/** An error as a log record: name, code, message, stack and causes, with every credential redacted. */
export function serializeError(err: unknown, depth = 0): SerializedError {
  if (!(err instanceof Error)) return { type: typeof err, message: redactSecrets(String(err)), stack: '' };
  const out: SerializedError = { type: err.name, message: redactSecrets(err.message), stack: redactSecrets(err.stack ?? '') };
  for (const key of ['code', 'statusCode', 'retryable'] as const) {
    if (key in err) out[key] = (err as unknown as Record<string, unknown>)[key];
  }
  if (err.cause !== undefined && depth < 4) out.cause = serializeError(err.cause, depth + 1);
  return out;
}

/** Options to spread into `pino({...})` or Fastify's `logger`: credentials never reach a log line. */
export const redactingLogOptions = {
  redact: { paths: LOG_REDACT_PATHS, censor: CENSOR },
  serializers: { err: (err: unknown) => serializeError(err) },
};
