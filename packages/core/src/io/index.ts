// File-level helpers shared by checkpoints and TensorBoard output.
export * from './atomic-write.js';
export * from './crc32c.js';
