// The training loop, the LR range test, evaluation and what they report.
export * from './evaluate.js';
export * from './execute.js';
export * from './lr-finder.js';
export * from './setup.js';
export * from './step.js';
export * from './train.js';
export * from './types.js';
