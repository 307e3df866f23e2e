// The procedural dataset is deterministic and balanced; batching visits the given order and keeps the last batch.
import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { batchCount, createDataset, DataLoader, proceduralDataset } from './index.js';

const opts = { classes: 5, trainSize: 103, testSize: 20, imageSize: 12, noise: 32, maxShift: 2, dataSeed: 9 };

describe('procedural dataset', () => {
  it('is a pure function of its options', () => {
    const a = proceduralDataset(opts);
    const b = proceduralDataset(opts);
    expect(a.train.images).toEqual(b.train.images);
    expect(a.test.labels).toEqual(b.test.labels);
    expect(proceduralDataset({ ...opts, dataSeed: 10 }).train.images).not.toEqual(a.train.images);
  });

  it('has the requested shape, balanced labels and [0,1]-scale statistics', async () => {
    const d = await createDataset({ name: 'procedural', ...opts });
    expect(d.train.images.length).toBe(103 * 12 * 12 * 3);
    const counts = Array.from({ length: 5 }, (_, c) => d.train.labels.filter((l) => l === c).length);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    for (const m of d.mean) expect(m).toBeGreaterThan(0.2);
    for (const s of d.std) expect(s).toBeGreaterThan(0.05);
    expect(d.train.images).not.toEqual(d.test.images.subarray(0, d.train.images.length));
  });
});

describe('DataLoader', () => {
  const d = proceduralDataset(opts);
  const order = new Rng(1).permutation(d.train.size);

  it('visits every index once in the given order, keeps the last partial batch, and normalises', async () => {
    const loader = new DataLoader(d, d.train, { batchSize: 32, ops: [], seed: 0, workers: 0 });
    const all = [];
    for await (const b of loader.epoch(1, order)) all.push(b);
    expect(all.map((b) => b.size)).toEqual([32, 32, 32, 7]);
    expect(loader.batches()).toBe(batchCount(103, 32));
    expect(all.flatMap((b) => Array.from(b.y))).toEqual(Array.from(order, (i) => d.train.labels[i]!));
    const first = d.train.images[order[0]! * 12 * 12 * 3]!;
    expect(all[0]!.x[0]).toBeCloseTo((first / 255 - d.mean[0]!) / d.std[0]!, 5);
  });

  it('gives identical augmented batches with worker threads as inline, epoch after epoch', async () => {
    const ops = ['random_crop', 'hflip', 'random_rotation', 'random_erasing', 'mixup'];
    const inline = new DataLoader(d, d.train, { batchSize: 16, ops, seed: 3, workers: 0 });
    const threaded = new DataLoader(d, d.train, { batchSize: 16, ops, seed: 3, workers: 2, prefetch: 3 });
    try {
      expect(threaded.workerCount).toBe(2);
      for (const epoch of [1, 2]) {
        const a = [];
        const b = [];
        for await (const x of inline.epoch(epoch, order)) a.push(x);
        for await (const x of threaded.epoch(epoch, order)) b.push(x);
        expect(b).toEqual(a);
        expect(a[0]!.mix).toBeDefined();
      }
    } finally {
      await threaded.close();
    }
  });

  it('changes augmentation between epochs and seeds, and not between runs', async () => {
    const run = async (seed: number, epoch: number) => {
      const l = new DataLoader(d, d.train, { batchSize: 16, ops: ['random_crop', 'hflip'], seed, workers: 0 });
      const it = l.epoch(epoch, order);
      return (await it.next()).value!.x;
    };
    expect(await run(1, 1)).toEqual(await run(1, 1));
    expect(await run(1, 1)).not.toEqual(await run(1, 2));
    expect(await run(1, 1)).not.toEqual(await run(2, 1));
  });

  it('rejects a pipeline that cannot run, and fails instead of hanging when a worker dies', async () => {
    expect(() => new DataLoader(d, d.train, { batchSize: 16, ops: ['augmix', 'autoaugment'], seed: 3, workers: 1 })).toThrow(/needs uint8 pixels/);
    const loader = new DataLoader(d, d.train, { batchSize: 16, ops: ['hflip'], seed: 3, workers: 1, prefetch: 1 });
    const it = loader.epoch(1, order);
    expect((await it.next()).value!.size).toBe(16);
    await (loader as unknown as { workers: { terminate(): Promise<number> }[] }).workers[0]!.terminate();
    // A batch already on its way may still arrive; the epoch must then fail, not hang or finish.
    const drain = async () => {
      for (;;) if ((await it.next()).done) return 'finished';
    };
    await expect(drain()).rejects.toThrow(/worker exited/);
    await loader.close();
  });
});
