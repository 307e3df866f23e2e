// Building blocks for models: the module tree, layers and PyTorch-default initialisers.
export * from './batch-norm.js';
export * from './conv2d.js';
export * from './dropout.js';
export * from './init.js';
export * from './layers.js';
export * from './linear.js';
export * from './module.js';
