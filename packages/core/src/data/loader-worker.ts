// A data-loader worker thread: holds the split (shared memory) and the pipeline, builds the batches it is asked for.
import { parentPort, workerData } from 'node:worker_threads';
import { createPipeline, type OpConfig } from '../augment/pipeline.js';
import { batchRng, makeBatch, type BatchSource } from './loader.js';

interface Init {
  src: BatchSource;
  norm: { mean: number[]; std: number[] };
  ops: OpConfig[];
  seed: number;
  batchSize: number;
}

const init = workerData as Init;
const pipeline = createPipeline(init.ops, init.norm);
const orders = new Map<number, Int32Array | undefined>();

parentPort!.on('message', (m: { type: 'order'; epoch: number; order?: Int32Array } | { type: 'batch'; epoch: number; index: number }) => {
  try {
    if (m.type === 'order') {
      orders.clear();
      orders.set(m.epoch, m.order);
      return;
    }
    const batch = makeBatch(init.src, orders.get(m.epoch), m.index, init.batchSize, pipeline, batchRng(init.seed, m.epoch, m.index));
    const transfer = [batch.x.buffer, batch.y.buffer, ...(batch.mix ? [batch.mix.y2.buffer] : [])] as ArrayBuffer[];
    parentPort!.postMessage({ type: 'batch', epoch: m.epoch, index: m.index, batch }, transfer);
  } catch (err) {
    parentPort!.postMessage({ type: 'error', message: (err as Error).stack ?? String(err) });
  }
});
