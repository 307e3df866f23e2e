// Infrastructure faults (Postgres or the blob store unreachable) are waited out, not counted against a trial: the
// operation is retried with capped exponential backoff for up to a few minutes, then the fault is given up on.
import { isDatabaseUnavailable } from '@ablate/db';
import type { Logger } from 'pino';

export interface RetryPolicy {
  /** Give up after this long (default 5 minutes). */
  maxMs: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxMs: 5 * 60_000, firstDelayMs: 250, maxDelayMs: 5_000 };

/** A fault that waiting can cure: the database or the blob store is unreachable. */
export function isInfrastructureFault(err: unknown): boolean {
  if (isDatabaseUnavailable(err)) return true;
  const e = err as { code?: unknown; retryable?: unknown };
  return e?.code === 'ERR_STORE_UNAVAILABLE' && e.retryable === true;
}

export class InfrastructureError extends Error {
  readonly code = 'ERR_INFRASTRUCTURE';
  readonly retryable = true;
  constructor(what: string, cause: unknown, ms: number) {
    super(`${what}: still failing after ${Math.round(ms / 1000)} s (${(cause as Error)?.message ?? cause})`, { cause });
    this.name = new.target.name;
  }
}

export async function withRetry<T>(what: string, fn: () => Promise<T>, log: Logger, policy: RetryPolicy = DEFAULT_RETRY): Promise<T> {
  const t0 = Date.now();
  let delay = policy.firstDelayMs;
  for (let tries = 1; ; tries++) {
    try {
      return await fn();
    } catch (err) {
      if (!isInfrastructureFault(err)) throw err;
      const spent = Date.now() - t0;
      if (spent + delay > policy.maxMs) throw new InfrastructureError(what, err, spent);
      if (tries === 1 || tries % 10 === 0) log.warn({ what, tries, err: (err as Error).message }, 'infrastructure unreachable; waiting');
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(policy.maxDelayMs, delay * 2);
    }
  }
}
