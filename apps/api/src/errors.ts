// The API's error catalogue: every error a client can receive, with a stable code and HTTP status.
// docs/errors.md documents each code; a test keeps the two in step.

export const errorCodes = {
  SWEEP_ERR_INVALID_SPEC: { status: 400, message: 'The sweep spec is invalid' },
  SWEEP_ERR_NOT_FOUND: { status: 404, message: 'No sweep with this id' },
  AUTH_ERR_MISSING: { status: 401, message: 'This route needs an API key: send Authorization: Bearer <key>' },
  AUTH_ERR_INVALID: { status: 401, message: 'The API key is unknown or revoked' },
  AUTH_ERR_FORBIDDEN: { status: 403, message: "The API key's scope does not allow this" },
  KEY_ERR_NOT_FOUND: { status: 404, message: 'No live API key with this id in this project' },
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
  API_ERR_INVALID_JSON: { status: 400, message: 'The body is not valid JSON' },
  API_ERR_TOO_DEEP: { status: 400, message: 'The body nests arrays and objects too deeply' },
  API_ERR_TOO_MANY_ITEMS: { status: 400, message: 'An array or object of the body is larger than any the API takes' },
  API_ERR_FORBIDDEN_KEY: { status: 400, message: 'The body uses __proto__, constructor or prototype as a key' },
  API_ERR_INVALID_STRING: { status: 400, message: 'A string holds a NUL character or a lone UTF-16 surrogate' },
  API_ERR_BODY_TOO_LARGE: { status: 413, message: 'The body is larger than the server accepts' },
  API_ERR_URI_TOO_LONG: { status: 414, message: 'A path parameter is longer than the server accepts' },
  API_ERR_UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Send bodies as uncompressed UTF-8 application/json' },
  API_ERR_HEADERS_TOO_LARGE: { status: 431, message: 'The request line and headers are larger than the server accepts' },
  DATASET_ERR_PATH: { status: 400, message: 'image_folder.path must name a folder inside the data roots' },
  QUOTA_ERR_TRIALS_PER_SWEEP: { status: 422, message: "The sweep has more trials than the project's limit trialsPerSweep allows" },
  QUOTA_ERR_QUEUED_TRIALS: { status: 422, message: 'The project would have more queued and running trials than its limit queuedTrials allows' },
  QUOTA_ERR_EPOCHS_PER_TRIAL: { status: 422, message: "A trial trains more epochs than the project's limit epochsPerTrial allows" },
  QUOTA_ERR_DATASET_SIZE: { status: 422, message: "A trial's dataset holds more examples than the project's limit datasetSize allows" },
  QUOTA_ERR_IMAGE_SIZE: { status: 422, message: "A trial's images are larger than the project's limit imageSize allows" },
  QUOTA_ERR_NAME_LENGTH: { status: 422, message: "The sweep's name is longer than the project's limit nameLength allows" },
  QUOTA_ERR_LABEL_LENGTH: { status: 422, message: "A label is longer than the project's limit labelLength allows" },
  RATE_ERR_LIMITED: { status: 429, message: 'This API key made more writes this minute than its project allows; retry after retry-after seconds' },
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
