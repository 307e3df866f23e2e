// The training loop, evaluation and the metrics they report.
export * from './evaluate.js';
export * from './train.js';
export * from './types.js';
