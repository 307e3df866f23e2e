// Batching: a seeded order per epoch, each batch augmented with its own Rng stream (so a batch's content depends only on
// seed, epoch and batch index), normalised into one NHWC Float32Array. drop_last=False, like the study's DataLoader.
import type { Pipeline } from '../augment/pipeline.js';
import type { Rng } from '../rng.js';
import type { ImageDataset, ImageSplit } from './dataset.js';

export interface Batch {
  /** size × H × W × C normalised floats. */
  x: Float32Array;
  y: Int32Array;
  size: number;
}

export interface BatchOptions {
  batchSize: number;
  /** Image indices in visiting order; default 0..n-1. */
  order?: Int32Array;
  pipeline: Pipeline;
  /** Stream for augmentation; batch b uses rng.fork(`batch-${b}`). */
  rng: Rng;
}

export function batchCount(size: number, batchSize: number): number {
  return Math.ceil(size / batchSize);
}

export function* batches(ds: ImageDataset, split: ImageSplit, o: BatchOptions): Generator<Batch> {
  const pixels = ds.height * ds.width * ds.channels;
  const n = split.size;
  for (let b = 0; b * o.batchSize < n; b++) {
    const start = b * o.batchSize;
    const size = Math.min(o.batchSize, n - start);
    const x = new Float32Array(size * pixels);
    const y = new Int32Array(size);
    const rng = o.rng.fork(`batch-${b}`);
    for (let i = 0; i < size; i++) {
      const idx = o.order ? o.order[start + i]! : start + i;
      y[i] = split.labels[idx]!;
      const img = { data: split.images.subarray(idx * pixels, (idx + 1) * pixels), height: ds.height, width: ds.width, channels: ds.channels };
      o.pipeline.run(img, rng, x, i * pixels);
    }
    yield { x, y, size };
  }
}
