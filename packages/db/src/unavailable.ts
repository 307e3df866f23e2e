// Tells a database that cannot be reached (stopped, restarting, network gone) from every other database error, so the
// API answers 503 and workers wait and retry instead of failing trials.
const CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'P1001', 'P1002', 'P1017', 'P2024']);
// Postgres SQLSTATEs: connection exceptions (08…), operator intervention (57P01 admin shutdown, 57P02 crash shutdown,
// 57P03 cannot connect now).
const SQLSTATE = /^(08|57P0[123])/;
const MESSAGES =
  /ECONNREFUSED|ECONNRESET|Connection terminated|connection timeout|timeout exceeded when trying to connect|Can't reach database|Server has closed the connection|the database system is (starting up|shutting down|in recovery mode)|terminating connection|Client has encountered a connection error|Connection ended unexpectedly/i;

/** True when `err` (or any error in its cause chain) says the database is unreachable. */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e = err as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 6; depth++) {
    const code = typeof e.code === 'string' ? e.code : undefined;
    if (code && (CODES.has(code) || SQLSTATE.test(code))) return true;
    if (typeof e.message === 'string' && MESSAGES.test(e.message)) return true;
    const kind = (e as { kind?: unknown }).kind;
    if (kind === 'DatabaseNotReachable' || kind === 'ConnectionClosed' || kind === 'SocketTimeout') return true;
    const original = (e as { originalCode?: unknown }).originalCode;
    if (typeof original === 'string' && (CODES.has(original) || SQLSTATE.test(original))) return true;
    e = e.cause as typeof e;
  }
  return false;
}
