// Losses: one per file; importing this index registers them all.
import './class-balanced.js';
import './cross-entropy.js';
import './focal.js';
import './label-smoothing.js';

export * from './loss.js';
export { createLoss, listLosses, lossRegistry, registerLoss } from './registry.js';
export { classBalancedWeights } from './class-balanced.js';
export { crossEntropy } from './cross-entropy.js';
export { focalLoss } from './focal.js';
export { labelSmoothingCrossEntropy } from './label-smoothing.js';
export { mixedLoss } from './mixing.js';
