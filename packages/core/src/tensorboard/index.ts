// TensorBoard output: event files of per-epoch scalars, readable by `tensorboard --logdir`.
export * from './event-writer.js';
