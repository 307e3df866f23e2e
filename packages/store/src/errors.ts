// Blob-store errors: a bad key (a caller's bug, never retried), an unreachable store (retried) and any other store failure.
import { AblateError } from '@ablate/spec';

/** A store operation failed for a reason a retry will not fix (permissions, a missing bucket, a full disk); `cause` has the original. */
export class StoreError extends AblateError {
  constructor(message: string, cause?: unknown, code = 'ERR_STORE', retryable = false) {
    super(code, message, { cause, retryable });
  }
}

/** The store could not be reached or answered with a transient failure (network error, timeout, 5xx): try again later. */
export class StoreUnavailableError extends StoreError {
  declare readonly retryable: true;
  constructor(message: string, cause?: unknown) {
    super(message, cause, 'ERR_STORE_UNAVAILABLE', true);
  }
}

/** A key or prefix that is not a relative, '/'-separated path without '.' or '..' segments (see keys.ts). */
export class StoreKeyError extends StoreError {
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(`invalid store key ${JSON.stringify(key.length > 200 ? `${key.slice(0, 200)}…` : key)}: ${reason}`, undefined, 'ERR_STORE_KEY');
  }
}
