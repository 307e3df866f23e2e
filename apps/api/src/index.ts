// @ablate/api: the HTTP service. `buildApp` for tests and embedding; src/server.ts to run it.
export { buildApp, type AppDeps } from './app.js';
export { ApiError, errorCodes, type ErrorCode } from './errors.js';
export * from './tables/ablation-table.js';
export * from './tables/format.js';
export * from './tables/statistics.js';
