// Evaluation metrics: top-k accuracy on tensors; confusion, ROC/PR and the final report on plain arrays (as sklearn).
export * from './accuracy.js';
export * from './confusion.js';
export * from './ranking.js';
export * from './report.js';
