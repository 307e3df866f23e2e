// The training loop on the wasm backend: learns the procedural data above chance, reports each epoch, is
// deterministic for a seed, leaks no tensors, and trains on MixUp/CutMix batches with their known λ-weighted loss.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrialConfig } from '@ablate/spec';
import { describe, expect, it } from 'vitest';
import { readEvents } from '../../test/tfevents.js';
import type { BatchTensor } from '../augment/index.js';
import type { EvaluationReport } from '../metrics/report.js';
import { tf } from '../tf.js';
import { setupRun } from './setup.js';
import { trainStep } from './step.js';
import { train } from './train.js';
import type { Artifact, EpochMetrics } from './types.js';

const config = TrialConfig.parse({
  dataset: { name: 'procedural', classes: 4, trainSize: 512, testSize: 128, imageSize: 16 },
  model: { name: 'tiny_cnn', width: 8 },
  optimizer: { name: 'adam', lr: 3e-3 },
  augmentation: 'hflip',
  epochs: 4,
  batchSize: 32,
  seed: 3,
});

describe('train', () => {
  it('learns above chance, reports every epoch and repeats exactly for the same seed', async () => {
    const seen: EpochMetrics[] = [];
    const tensorsBefore = tf.memory().numTensors;
    const a = await train(config, { backend: 'wasm', loaderWorkers: 0, onEpochEnd: (m) => void seen.push(m) });
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(seen.map((m) => m.epoch)).toEqual([1, 2, 3, 4]);
    expect(a.start.backend.name).toBe('wasm');
    expect(a.start.itersPerEpoch).toBe(16);
    // 4 classes: chance is 0.25; 0.35 on 128 test images is 2.6 standard errors above it.
    expect(a.final.testTop1).toBeGreaterThan(0.35);
    expect(a.epochs[3]!.trainAcc).toBeGreaterThan(a.epochs[0]!.trainAcc + 0.1);
    expect(a.epochs[3]!.trainLoss).toBeLessThan(a.epochs[0]!.trainLoss);
    // Same seed, batches prepared by two loader threads instead of inline: identical run.
    const b = await train(config, { backend: 'wasm', loaderWorkers: 2 });
    expect(b.epochs.map((m) => m.trainLoss)).toEqual(a.epochs.map((m) => m.trainLoss));
    expect(b.final.testTop1).toBe(a.final.testTop1);
    const c = await train({ ...config, seed: 4 }, { backend: 'wasm' });
    expect(c.epochs[0]!.trainLoss).not.toBe(a.epochs[0]!.trainLoss);
  });

  it('trains with the batch-mixing and float-stage augmentations (λ-weighted loss and accuracy), in loader threads', async () => {
    for (const augmentation of ['augmix+gridmask+mixup', 'baseline+erase+autoaugment+cutmix']) {
      const cfg = TrialConfig.parse({ ...config, augmentation, epochs: 1 });
      // A mixed batch from a loader thread, stepped as the loop steps it: its loss and accuracy must be the known
      // λ·CE(y) + (1-λ)·CE(y2) and λ·[top1 = y] + (1-λ)·[top1 = y2], recomputed here from the same logits.
      const run = await setupRun(cfg, { backend: 'wasm', loaderWorkers: 1 });
      try {
        expect(run.start.loaderWorkers).toBe(1);
        run.model.train();
        let b: BatchTensor | undefined;
        // λ away from 0, ½ and 1 so that a dropped, swapped or halved λ changes the value; y2 really permuted.
        const telling = (m: BatchTensor['mix']) => m && Math.abs(m.lam - 0.5) > 0.1 && m.lam > 0.05 && m.lam < 0.95;
        for await (const x of run.trainLoader.epoch(1, run.epochOrder(1))) {
          if (telling(x.mix) && x.mix!.y2.some((v, i) => v !== x.y[i])) {
            b = x;
            break;
          }
        }
        expect(b, `${augmentation}: no mixed batch (λ not near 0, ½, 1; labels permuted) reached the training step`).toBeDefined();
        const { lam, y2 } = b!.mix!;
        const logits = tf.tidy(() => run.model.forward(tf.tensor4d(b!.x, [b!.size, b!.height, b!.width, b!.channels])));
        const z = (await logits.array()) as number[][];
        logits.dispose();
        let loss = 0;
        let correct = 0;
        for (const [i, row] of z.entries()) {
          const lse = Math.log(row.reduce((a, v) => a + Math.exp(v), 0));
          const top = row.indexOf(Math.max(...row));
          loss += (lam * (lse - row[b!.y[i]!]!) + (1 - lam) * (lse - row[y2[i]!]!)) / b!.size;
          correct += lam * Number(top === b!.y[i]) + (1 - lam) * Number(top === y2[i]);
        }
        const stats = trainStep(run.model, run.optimizer, run.loss, run.params, b!);
        const [lossN, got] = await stats.data();
        stats.dispose();
        expect(lossN! / b!.size, `${augmentation}: mixed loss (λ ${lam})`).toBeCloseTo(loss, 5);
        expect(got, `${augmentation}: mixed correct count (λ ${lam})`).toBeCloseTo(correct, 4);
      } finally {
        await run.close();
      }
      // The whole epoch through the loop, batches from a loader thread.
      const r = await train(cfg, { backend: 'wasm', loaderWorkers: 1 });
      expect(r.start.loaderWorkers).toBe(1);
      expect(Number.isFinite(r.final.trainLoss)).toBe(true);
      expect(r.final.trainAcc).toBeGreaterThanOrEqual(0);
      expect(r.final.trainAcc).toBeLessThanOrEqual(1);
    }
  });

  it('ends with the evaluation report through the TTA, curves, and TensorBoard scalars per epoch', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ablate-tb-'));
    try {
      const artifacts: Artifact[] = [];
      const cfg = TrialConfig.parse({ ...config, epochs: 2, tta: { name: 'hflip', merge: 'softmax' } });
      const r = await train(cfg, { backend: 'wasm', loaderWorkers: 0, tensorboardDir: dir, onArtifact: (a) => void artifacts.push(a) });
      expect(artifacts.map((a) => a.kind)).toEqual(['tensorboard', 'evaluation', 'curves']);
      const report = artifacts[1]!.data as EvaluationReport;
      // Rows are true classes: each row sums to that class's test count; the report is of the TTA's scores.
      const counts = [0, 0, 0, 0];
      for (let t = 0; t < 4; t++) counts[t] = report.confusion.slice(t * 4, t * 4 + 4).reduce((a, b) => a + b, 0);
      expect(counts).toEqual(report.support);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(128);
      const diagonal = [0, 1, 2, 3].reduce((a, k) => a + report.confusion[k * 5]!, 0);
      expect(r.final.ttaTop1).toBeCloseTo(diagonal / 128, 12);
      expect(r.final.rocAucMacro).toBe(report.rocAucMacro);
      expect(r.final.rocAucMacro!).toBeGreaterThan(0.5);
      expect(r.final.apMicro).toBe(report.apMicro);
      const files = await readdir(dir);
      expect(files.length).toBe(1);
      const events = readEvents(new Uint8Array(await readFile(join(dir, files[0]!))));
      expect(events.slice(1).map((e) => e.step)).toEqual([1, 2]);
      expect(events[2]!.scalars['accuracy/test_top1']).toBe(Math.fround(r.epochs[1]!.testTop1));
      expect(events[2]!.scalars.lr).toBe(Math.fround(r.epochs[1]!.lr));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('stops between batches when aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(train(config, { backend: 'wasm', signal: ac.signal })).rejects.toMatchObject({ code: 'ERR_INTERRUPTED' });
  });

  it('fails with ERR_DIVERGED when the loss is not finite', async () => {
    // No BatchNorm to tame it: the MLP's logits overflow within a few steps at this lr.
    const diverging = TrialConfig.parse({ ...config, model: 'mlp', optimizer: { name: 'sgd', lr: 100, momentum: 0.9 }, epochs: 3 });
    await expect(train(diverging, { backend: 'wasm' })).rejects.toMatchObject({ code: 'ERR_DIVERGED', retryable: false });
  });
});
