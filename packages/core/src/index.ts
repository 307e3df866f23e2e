// @ablate/core: the training engine. Knows nothing of HTTP, Redis or SQL.
export * from './augment/index.js';
export * from './backend/index.js';
export * from './checkpoint/index.js';
export * from './data/index.js';
export * from './errors.js';
export * from './io/index.js';
export * from './losses/index.js';
export * from './metrics/index.js';
export * from './models/index.js';
export * from './nn/index.js';
export * from './optim/index.js';
export * from './registry.js';
export * from './rng.js';
export * from './schedules/index.js';
export * from './tensorboard/index.js';
export * from './train/index.js';
export * from './tta/index.js';
export { tf } from './tf.js';
