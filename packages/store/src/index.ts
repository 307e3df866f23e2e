// @ablate/store: where checkpoints, TensorBoard files and artifacts live (a directory or an S3-compatible bucket), chosen by environment.
export * from './blob-store.js';
export * from './dir-store.js';
export * from './env.js';
export * from './errors.js';
export * from './keys.js';
export * from './s3-store.js';
export * from './trial-keys.js';
