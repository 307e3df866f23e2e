// Losses: one per file; importing this index registers them all.
import './cross-entropy.js';
import './label-smoothing.js';

export * from './loss.js';
export { createLoss, listLosses, lossRegistry, registerLoss } from './registry.js';
export { crossEntropy } from './cross-entropy.js';
export { labelSmoothingCrossEntropy } from './label-smoothing.js';
export { mixedLoss } from './mixing.js';
