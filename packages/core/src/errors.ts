// Engine errors: named classes with stable codes; `retryable` separates infrastructure faults from config/training faults.
import { AblateError } from '@ablate/spec';

export { AblateError, InvalidConfigError, UnknownComponentError } from '@ablate/spec';

/** The requested backend cannot be loaded here (e.g. tfjs-node-gpu is not installed). */
export class BackendUnavailableError extends AblateError {
  constructor(message: string, cause?: unknown) {
    super('ERR_BACKEND_UNAVAILABLE', message, { cause });
  }
}

/** The loss became NaN or infinite: the run diverged. Retrying the same config gives the same result. */
export class DivergedError extends AblateError {
  constructor(
    readonly epoch: number,
    readonly step: number,
    readonly value: number,
  ) {
    super('ERR_DIVERGED', `loss is ${value} at epoch ${epoch}, step ${step}: training diverged`);
  }
}

/** Training was asked to stop (SIGTERM, cancel) before it finished. */
export class InterruptedError extends AblateError {
  constructor(readonly epoch: number) {
    super('ERR_INTERRUPTED', `training interrupted after epoch ${epoch}`, { retryable: true });
  }
}
