// Benchmark: the study's full training transform (AutoAugment → crop → flip → rotation → ToTensor+Normalize →
// random erasing), images per second per core, ours (one thread, and the worker-thread loader) beside torchvision on
// PIL images, run by Debian's python3-torch in the same command on the same images.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CIFAR10_FULL, createPipeline, DataLoader, effectiveMagnitude, proceduralDataset, Rng } from '@ablate/core';
import { expandAugmentationString } from '@ablate/spec';
import type { BenchResult } from './run.js';

const STUDY = 'baseline+erase+autoaugment';

export async function benchAugment(opts: { images: number; repeats: number }): Promise<BenchResult> {
  const ds = proceduralDataset({ classes: 10, trainSize: opts.images, testSize: 1, imageSize: 32, noise: 32, maxShift: 4, dataSeed: 7 });
  const ops = expandAugmentationString(STUDY) as { name: string }[];
  const norm = {
    mean: [0.5070751592371323, 0.48654887331495095, 0.4409178433670343],
    std: [0.2673342858792401, 0.2564384629170883, 0.27615047132568404],
  };
  const data = { ...ds, ...norm };
  const pipeline = createPipeline(ops, norm);
  const pixels = 32 * 32 * 3;
  const out = new Float32Array(pixels);
  const rng = new Rng(0);
  const run = (n: number) => {
    for (let r = 0; r < n; r++) {
      for (let i = 0; i < ds.train.size; i++) {
        pipeline.run({ data: ds.train.images.subarray(i * pixels, (i + 1) * pixels), height: 32, width: 32, channels: 3 }, rng, out, 0);
      }
    }
  };
  run(1); // warm-up (JIT)
  let t0 = performance.now();
  run(opts.repeats);
  const oursPerCore = (opts.repeats * ds.train.size) / ((performance.now() - t0) / 1000);

  const workers = 2;
  const loader = new DataLoader(data, data.train, { batchSize: 128, ops, seed: 0, workers });
  for await (const _ of loader.epoch(0)) void _;
  t0 = performance.now();
  for (let e = 1; e <= opts.repeats; e++) for await (const _ of loader.epoch(e)) void _;
  const oursLoader = (opts.repeats * ds.train.size) / ((performance.now() - t0) / 1000);
  await loader.close();

  const dir = mkdtempSync(join(tmpdir(), 'ablate-bench-'));
  writeFileSync(join(dir, 'images.bin'), ds.train.images);
  writeFileSync(join(dir, 'meta.json'), JSON.stringify({ n: ds.train.size }));
  // The Python side gets the same policy with magnitudes already converted, so there is one policy table.
  writeFileSync(
    join(dir, 'policy.json'),
    JSON.stringify(CIFAR10_FULL.map((sub) => sub.map(([name, p, level]) => [name, p, effectiveMagnitude(name, level)]))),
  );
  const py = spawnSync('/usr/bin/python3', [join(import.meta.dirname, 'augment_torchvision.py'), dir, String(opts.repeats)], { encoding: 'utf8' });
  let tv: { imagesPerSecond: number; torch: string; pillow: string } | undefined;
  if (py.status === 0) tv = JSON.parse(py.stdout.trim().split('\n').pop()!);
  const note = tv
    ? `torch ${tv.torch}, Pillow ${tv.pillow}`
    : `torchvision unavailable: ${(py.stderr || py.error?.message || '').trim().split('\n').pop()}`;
  return {
    title: `Augmentation throughput: the study's training transform (${STUDY}), ${ds.train.size} CIFAR-sized images × ${opts.repeats}`,
    columns: ['pipeline', 'ablate (JS)', 'torchvision (PIL)', 'ablate / torchvision'],
    rows: [
      ['images/s, one core', fmt(oursPerCore), tv ? fmt(tv.imagesPerSecond) : '—', tv ? `${(oursPerCore / tv.imagesPerSecond).toFixed(2)}×` : '—'],
      [`images/s, loader with ${workers} worker threads`, fmt(oursLoader), '—', '—'],
    ],
    notes: [note, 'one core: ablate in this Node thread; torchvision in one Python process with torch.set_num_threads(1)'],
  };
}

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
