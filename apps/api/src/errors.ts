// The API's error catalogue: every error a client can receive, with a stable code and HTTP status.
// docs/errors.md documents each code; a test keeps the two in step.

export const errorCodes = {
  SWEEP_ERR_INVALID_SPEC: { status: 400, message: 'The sweep spec is invalid' },
  SWEEP_ERR_NOT_FOUND: { status: 404, message: 'No sweep with this id' },
  EXPERIMENT_ERR_NOT_FOUND: { status: 404, message: 'No experiment (trial) with this id' },
  ARTIFACT_ERR_NOT_FOUND: { status: 404, message: 'No artifact with this id for this experiment' },
  API_ERR_BAD_REQUEST: { status: 400, message: 'The request is invalid' },
  API_ERR_NOT_FOUND: { status: 404, message: 'No such route' },
  TABLE_ERR_BAD_AXES: { status: 400, message: 'The rows and columns asked for do not fit the sweep’s axes' },
  TABLE_ERR_UNKNOWN_BASELINE: { status: 400, message: 'The baseline does not name exactly one row of the table' },
  SWEEP_ERR_BUSY: { status: 409, message: 'The sweep is not in a state that allows this' },
  SWEEP_ERR_INVALID_EXTENSION: { status: 400, message: 'The extension is invalid' },
  PLOT_ERR_UNKNOWN: { status: 404, message: 'No plot with this name' },
  PLOT_ERR_NO_DATA: { status: 409, message: 'The data this plot draws is not there (yet)' },
  PLOT_ERR_BAD_FORMAT: { status: 400, message: 'Plots come as .svg or .png' },
  WORKER_ERR_NOT_FOUND: { status: 404, message: 'No running worker with this id' },
  IDEMPOTENCY_ERR_KEY_REUSED: { status: 422, message: 'This Idempotency-Key was used with a different request body' },
  DB_ERR_UNAVAILABLE: { status: 503, message: 'The database is unreachable; nothing was changed. Retry shortly' },
  API_ERR_INTERNAL: { status: 500, message: 'Internal Server Error' },
} as const;

export type ErrorCode = keyof typeof errorCodes;

export interface Issue {
  /** Dotted path into the request body, e.g. "axes.model.0.name". */
  path: string;
  message: string;
}

export class ApiError extends Error {
  readonly statusCode: number;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly issues?: Issue[],
  ) {
    super(message ?? errorCodes[code].message);
    this.name = new.target.name;
    this.statusCode = errorCodes[code].status;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}
