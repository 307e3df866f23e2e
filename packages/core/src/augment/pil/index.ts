// Pillow-exact image primitives the augmentations are built from (not augmentations themselves).
export * from './affine.js';
export * from './draw.js';
export * from './enhance.js';
export * from './lut.js';
