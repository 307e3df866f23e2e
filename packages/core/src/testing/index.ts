// Helpers for tests of the engine; not part of the runtime surface.
export * from './expect-no-leaked-tensors.js';
export * from './tensor-memory.js';
export * from './kernel-count.js';
