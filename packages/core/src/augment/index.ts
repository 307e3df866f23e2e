// Augmentations: one op per file; importing this index registers them all.
import './hflip.js';
import './random-crop.js';

export * from './image.js';
export * from './pipeline.js';
export { augmentationRegistry, createAugmentation, listAugmentations, registerAugmentation } from './registry.js';
export { flipHorizontal } from './hflip.js';
export { cropPadded } from './random-crop.js';
