export * from './evaluate.js';
export * from './train.js';
export * from './types.js';
