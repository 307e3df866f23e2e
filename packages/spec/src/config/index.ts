// Trial config, sweep spec and their expansion and hashing.
export * from './augmentation.js';
export * from './hash.js';
export * from './sweep-spec.js';
export * from './trial-config.js';
export * from './study-layout.js';
