// @ablate/spec: zod contracts shared by api, worker and engine (trial config, sweep spec, jobs, catalogues, errors).
export * from './catalog/index.js';
export * from './config/index.js';
export * from './errors.js';
export * from './jobs.js';
export * from './results.js';
export * from './redact.js';
export * from './data-roots.js';
