// Component catalogues: the only place where names become valid config values.
export * from './catalog.js';
export * from './models.js';
export * from './optimizers.js';
export * from './losses.js';
export * from './schedules.js';
export * from './augmentations.js';
export * from './datasets.js';
export * from './tta.js';
