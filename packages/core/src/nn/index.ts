export * from './batch-norm.js';
export * from './conv2d.js';
export * from './init.js';
export * from './linear.js';
export * from './module.js';
