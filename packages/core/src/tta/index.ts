// Test-time augmentation: one per file; importing this index registers them all.
import './hflip.js';
import './hflip-crop.js';
import './none.js';

export * from './tta.js';
export { createTta, listTtas, registerTta, ttaRegistry } from './registry.js';
export { predictWithTta } from './predict.js';
