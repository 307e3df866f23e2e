// Evaluation metrics.
export * from './accuracy.js';
