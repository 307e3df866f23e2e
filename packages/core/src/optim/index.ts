// Optimizers: one per file; importing this index registers them all.
import './adam.js';
import './lookahead.js';
import './radam.js';
import './ranger-va.js';
import './sam.js';
import './sgd.js';

export * from './optimizer.js';
export { createOptimizer, listOptimizers, optimizerRegistry, registerOptimizer } from './registry.js';
