// The procedural dataset is deterministic and balanced; batching visits the given order and keeps the last batch.
import { describe, expect, it } from 'vitest';
import { createPipeline } from '../augment/pipeline.js';
import { Rng } from '../rng.js';
import { batchCount, batches, createDataset, proceduralDataset } from './index.js';

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

describe('batches', () => {
  it('visits every index once in the given order, keeps the last partial batch, and normalises', () => {
    const d = proceduralDataset(opts);
    const order = new Rng(1).permutation(d.train.size);
    const pipeline = createPipeline([], d);
    const all = [...batches(d, d.train, { batchSize: 32, order, pipeline, rng: new Rng(0) })];
    expect(all.map((b) => b.size)).toEqual([32, 32, 32, 7]);
    expect(batchCount(103, 32)).toBe(4);
    expect(Array.from(all.flatMap((b) => Array.from(b.y)))).toEqual(Array.from(order, (i) => d.train.labels[i]!));
    const first = d.train.images[order[0]! * 12 * 12 * 3]!;
    expect(all[0]!.x[0]).toBeCloseTo((first / 255 - d.mean[0]!) / d.std[0]!, 5);
  });
});
