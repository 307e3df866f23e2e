// Checkpoints: the file format, what is captured of a run, and the per-trial directory that resumes read from.
export * from './format.js';
export * from './state.js';
export * from './store.js';
