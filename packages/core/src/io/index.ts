// File and byte helpers shared by checkpoints, TensorBoard output, datasets and evaluation.
export * from './atomic-write.js';
export * from './concat.js';
export * from './crc32c.js';
