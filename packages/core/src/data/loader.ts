// The data loader: a seeded order per epoch, batches assembled and augmented off the training thread by worker
// threads (prefetched), or inline with workers=0. A batch's content depends only on (seed, epoch, batch index), never
// on which thread made it, so runs are identical whatever the worker count. drop_last=False, like the study.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { createPipeline, type OpConfig, type Pipeline } from '../augment/pipeline.js';
import type { BatchTensor } from '../augment/image.js';
import { Rng } from '../rng.js';
import type { ImageDataset, ImageSplit } from './dataset.js';

export type Batch = BatchTensor;

export function batchCount(size: number, batchSize: number): number {
  return Math.ceil(size / batchSize);
}

export interface BatchSource {
  split: ImageSplit;
  height: number;
  width: number;
  channels: number;
}

/** Batch `b` of an epoch: images order[b·bs …], each through the pipeline, then the batch ops; one Rng stream per batch. */
export function makeBatch(src: BatchSource, order: Int32Array | undefined, b: number, batchSize: number, pipeline: Pipeline, rng: Rng): BatchTensor {
  const { split, height, width, channels } = src;
  const pixels = height * width * channels;
  const start = b * batchSize;
  const size = Math.min(batchSize, split.size - start);
  const x = new Float32Array(size * pixels);
  const y = new Int32Array(size);
  for (let i = 0; i < size; i++) {
    const idx = order ? order[start + i]! : start + i;
    y[i] = split.labels[idx]!;
    const img = { data: split.images.subarray(idx * pixels, (idx + 1) * pixels), height, width, channels };
    pipeline.run(img, rng, x, i * pixels);
  }
  const batch: BatchTensor = { x, y, size, height, width, channels };
  pipeline.runBatch(batch, rng);
  return batch;
}

/** The Rng of one batch: named streams, so any thread can rebuild it. */
export function batchRng(seed: number, epoch: number, b: number): Rng {
  return new Rng(seed, `augment/epoch-${epoch}/batch-${b}`);
}

export interface LoaderOptions {
  batchSize: number;
  /** Augmentation ops (uint8, float and batch stages); [] = normalise only. */
  ops: OpConfig[];
  seed: number;
  /** Worker threads preparing batches; 0 = in this thread. Default: env ABLATE_LOADER_WORKERS, else cores-1 (max 4). */
  workers?: number;
  /** Batches requested ahead of the one being trained on. Default 2 per worker + 1. */
  prefetch?: number;
}

export function defaultLoaderWorkers(env: NodeJS.ProcessEnv = process.env): number {
  if (env.ABLATE_LOADER_WORKERS !== undefined) return Math.max(0, Number.parseInt(env.ABLATE_LOADER_WORKERS, 10) || 0);
  return Math.max(0, Math.min(4, availableParallelism() - 1));
}

type FromWorker = { type: 'batch'; epoch: number; index: number; batch: BatchTensor } | { type: 'error'; message: string };

export class DataLoader {
  private readonly pipeline: Pipeline;
  private readonly workers: Worker[] = [];
  private readonly src: BatchSource;
  private readonly waiting = new Map<string, { resolve: (b: BatchTensor) => void; reject: (e: Error) => void }>();
  private failure?: Error;
  private closing = false;

  constructor(
    ds: ImageDataset,
    split: ImageSplit,
    private readonly o: LoaderOptions,
  ) {
    this.pipeline = createPipeline(o.ops, ds);
    const n = o.workers ?? defaultLoaderWorkers();
    const shared = n > 0 ? { ...split, images: toShared(split.images), labels: toShared(split.labels) } : split;
    this.src = { split: shared, height: ds.height, width: ds.width, channels: ds.channels };
    for (let i = 0; i < n; i++) {
      const w = new Worker(new URL('./loader-worker.mjs', import.meta.url), {
        workerData: { src: this.src, norm: { mean: ds.mean, std: ds.std }, ops: o.ops, seed: o.seed, batchSize: o.batchSize },
      });
      w.on('message', (m: FromWorker) => this.onMessage(m));
      w.on('error', (err) => this.fail(err));
      w.on('exit', (code) => {
        if (!this.closing) this.fail(new Error(`data loader worker exited (code ${code}) while batches were expected`));
      });
      this.workers.push(w);
    }
  }

  get workerCount(): number {
    return this.workers.length;
  }

  batches(): number {
    return batchCount(this.src.split.size, this.o.batchSize);
  }

  /** The batches of one epoch, in order, from batch `from` on. `order` = image indices to visit (undefined: 0..n-1). */
  async *epoch(epoch: number, order?: Int32Array, from = 0): AsyncGenerator<BatchTensor> {
    const n = this.batches();
    if (!this.workers.length) {
      for (let b = from; b < n; b++) yield makeBatch(this.src, order, b, this.o.batchSize, this.pipeline, batchRng(this.o.seed, epoch, b));
      return;
    }
    for (const w of this.workers) w.postMessage({ type: 'order', epoch, order });
    const ahead = this.o.prefetch ?? 2 * this.workers.length + 1;
    const pending: Promise<BatchTensor>[] = [];
    const request = (b: number) => {
      pending[b] = new Promise<BatchTensor>((resolve, reject) => {
        if (this.failure) return reject(this.failure);
        this.waiting.set(`${epoch}/${b}`, { resolve, reject });
        this.workers[b % this.workers.length]!.postMessage({ type: 'batch', epoch, index: b });
      });
      // Rejections are observed when the batch is awaited below.
      pending[b].catch(() => undefined);
    };
    for (let b = from; b < Math.min(from + ahead, n); b++) request(b);
    for (let b = from; b < n; b++) {
      const batch = await pending[b]!;
      delete pending[b];
      if (b + ahead < n) request(b + ahead);
      yield batch;
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
  }

  private onMessage(m: FromWorker): void {
    if (m.type === 'error') {
      this.fail(new Error(`data loader worker: ${m.message}`));
      return;
    }
    const key = `${m.epoch}/${m.index}`;
    const w = this.waiting.get(key);
    if (!w) return; // a batch of an abandoned epoch
    this.waiting.delete(key);
    w.resolve(m.batch);
  }

  private fail(err: Error): void {
    this.failure = err;
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }
}

function toShared<T extends Uint8Array | Int32Array>(a: T): T {
  const sab = new SharedArrayBuffer(a.byteLength);
  const out = new (a.constructor as new (b: SharedArrayBuffer) => T)(sab);
  out.set(a);
  return out;
}
