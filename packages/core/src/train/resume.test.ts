// Checkpoint and resume: a run stopped after epoch 2 of 4 (and one stopped in the middle of epoch 3) and resumed from
// its checkpoint ends with bit-identical weights, BatchNorm statistics, optimizer state (compared tensor by tensor) and
// metrics to a run never stopped — with dropout, augmentation, a per-iteration schedule and a nested optimizer (SAM
// over Lookahead over Adam).
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrialConfig } from '@ablate/spec';
import { afterAll, describe, expect, it } from 'vitest';
import { tensorDifferences } from '../../test/bit-exact.js';
import { decodeCheckpoint } from '../checkpoint/format.js';
import { CheckpointStore } from '../checkpoint/store.js';
import { train } from './train.js';
import type { EpochMetrics, TrainOptions } from './types.js';

const config = TrialConfig.parse({
  dataset: { name: 'procedural', classes: 4, trainSize: 256, testSize: 64, imageSize: 8 },
  model: { name: 'tiny_cnn', width: 4, dropout: 0.2 },
  optimizer: { name: 'sam', rho: 0.05, base: { name: 'lookahead', k: 3, base: { name: 'adam', lr: 3e-3 } } },
  schedule: { name: 'warmup_cosine', warmupEpochs: 1, granularity: 'iteration' },
  loss: { name: 'label_smoothing', smoothing: 0.1 },
  augmentation: 'baseline',
  epochs: 4,
  batchSize: 32,
  seed: 11,
});
const dirs: string[] = [];
const tempDir = async () => {
  const d = await mkdtemp(join(tmpdir(), 'ablate-resume-'));
  dirs.push(d);
  return d;
};
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

const base: TrainOptions = { backend: 'wasm', loaderWorkers: 0 };
const finalCheckpoint = async (dir: string) => {
  const files = await new CheckpointStore(dir).files();
  return decodeCheckpoint(new Uint8Array(await readFile(join(dir, files.at(-1)!))));
};
/** Runs until `stop` says so (after an epoch or a batch), then resumes from the checkpoint directory. */
async function interruptedRun(dir: string, stop: { afterEpoch?: number; afterBatch?: [number, number] }) {
  const ac = new AbortController();
  const seen: EpochMetrics[] = [];
  const checkpoint = { dir, everyEpochs: 1, resume: true };
  await expect(
    train(config, {
      ...base,
      signal: ac.signal,
      checkpoint,
      onEpochEnd: (m) => {
        seen.push(m);
        if (m.epoch === stop.afterEpoch) ac.abort();
      },
      onBatchEnd: (epoch, n) => {
        if (stop.afterBatch && epoch === stop.afterBatch[0] && n === stop.afterBatch[1]) ac.abort();
      },
    }),
  ).rejects.toMatchObject({ code: 'ERR_INTERRUPTED' });
  let resumedFrom: unknown;
  const r = await train(config, {
    ...base,
    checkpoint,
    onStart: (s) => {
      resumedFrom = s.resumedFrom;
    },
    onEpochEnd: (m) => void seen.push(m),
  });
  return { r, seen, resumedFrom };
}
const strip = (ms: EpochMetrics[]) => ms.map(({ seconds: _s, ...m }) => m);

describe('checkpoint and resume', () => {
  let straight: Awaited<ReturnType<typeof train>>;
  let straightDir: string;

  it('an uninterrupted run writes a checkpoint per epoch and a final one, keeping the newest two', async () => {
    straightDir = await tempDir();
    straight = await train(config, { ...base, checkpoint: { dir: straightDir, everyEpochs: 1, resume: true } });
    expect(straight.start.resumedFrom).toBeUndefined();
    expect(straight.final.resumedFromEpoch).toBe(0);
    expect(await readdir(straightDir)).toEqual(['e00003-b0000000.ckpt', 'e00004-b0000000.ckpt']);
    const ck = decodeCheckpoint(new Uint8Array(await readFile(join(straightDir, 'e00004-b0000000.ckpt'))));
    expect(ck.header.config).toEqual(config);
    expect(ck.header.history.map((m) => m.epoch)).toEqual([1, 2, 3, 4]);
    expect(Object.keys(ck.header.rngs)).toEqual(['dropout.rng']);
    // What the resume checks compare tensor by tensor: weights, BatchNorm statistics, every optimizer level's slots.
    const names = [...ck.tensors.keys()];
    for (const part of [
      /^model\/.*weight$/,
      /^model\/.*bias$/,
      /^model\/.*running_mean$/,
      /^model\/.*running_var$/,
      /^optimizer\/inner\/slow\//,
      /^optimizer\/inner\/inner\/exp_avg\//,
      /^optimizer\/inner\/inner\/exp_avg_sq\//,
    ]) {
      expect(
        names.some((k) => part.test(k)),
        `${part}`,
      ).toBe(true);
    }
  });

  for (const [what, stop, resumedFrom] of [
    ['stopped after epoch 2 of 4', { afterEpoch: 2 }, { epochsDone: 2, batchesDone: 0 }],
    ['stopped after batch 3 of epoch 3 (SIGTERM mid-epoch)', { afterBatch: [3, 3] as [number, number] }, { epochsDone: 2, batchesDone: 3 }],
  ] as const) {
    it(`${what} and resumed: bit-identical weights, statistics, optimizer state and metrics`, async () => {
      const dir = await tempDir();
      const run = await interruptedRun(dir, stop);
      expect(run.resumedFrom).toMatchObject(resumedFrom);
      expect(run.r.final.resumedFromEpoch).toBe(2);
      expect(strip(run.seen)).toEqual(strip(straight.epochs));
      expect(strip(run.r.epochs)).toEqual(strip(straight.epochs));
      for (const k of ['testTop1', 'testLoss', 'trainLoss', 'rocAucMacro', 'apMicro'] as const) expect(run.r.final[k], k).toBe(straight.final[k]);
      const [a, b] = [await finalCheckpoint(straightDir), await finalCheckpoint(dir)];
      expect([...b.tensors.keys()]).toEqual([...a.tensors.keys()]);
      // Tensor by tensor, each parameter, BatchNorm buffer and optimizer slot on its own bytes: a failure names it.
      expect(tensorDifferences(a.tensors, b.tensors).join('\n')).toBe('');
      // The optimizer's step counts at every level and the dropout stream's position.
      expect(b.header.optimizer).toEqual(a.header.optimizer);
      expect(b.header.rngs).toEqual(a.header.rngs);
    });
  }

  it('checkpoints by wall time at batch boundaries without changing the run, and resumes bit-exactly from one', async () => {
    const dir = await tempDir();
    const written: { epochsDone: number; batchesDone: number; reason: string; path: string }[] = [];
    // Every batch boundary is "due" with a nanosecond budget: the run saves mid-epoch checkpoints all along.
    const timed = await train(config, {
      ...base,
      checkpoint: { dir, everyEpochs: 0, everySeconds: 1e-9, resume: false, keep: 1000 },
      onCheckpoint: (c) => void written.push(c),
    });
    expect(strip(timed.epochs)).toEqual(strip(straight.epochs));
    expect(timed.final.testTop1).toBe(straight.final.testTop1);
    const mid = written.filter((c) => c.reason === 'time' && c.batchesDone > 0);
    expect(mid.length).toBeGreaterThan(10);
    expect(written.at(-1)).toMatchObject({ reason: 'final', epochsDone: 4, batchesDone: 0 });
    // Resume from the one written after batch 5 of epoch 3, alone in a fresh directory.
    const pick = written.find((c) => c.epochsDone === 2 && c.batchesDone === 5)!;
    const alone = await tempDir();
    const { copyFile } = await import('node:fs/promises');
    await copyFile(pick.path, join(alone, CheckpointStore.fileName(2, 5)));
    let resumedFrom: { epochsDone: number; batchesDone: number; history: EpochMetrics[] } | undefined;
    const resumed = await train(config, {
      ...base,
      checkpoint: { dir: alone, everyEpochs: 0, resume: true },
      onStart: (s) => {
        resumedFrom = s.resumedFrom;
      },
    });
    expect(resumedFrom).toMatchObject({ epochsDone: 2, batchesDone: 5 });
    expect(strip(resumedFrom!.history)).toEqual(strip(straight.epochs.slice(0, 2)));
    expect(strip(resumed.epochs)).toEqual(strip(straight.epochs));
    const [a, b] = [await finalCheckpoint(straightDir), await finalCheckpoint(alone)];
    expect(tensorDifferences(a.tensors, b.tensors).join('\n')).toBe('');
  });

  it('starts afresh when the directory holds only a checkpoint of another config, and skips corrupt files', async () => {
    const dir = await tempDir();
    const other = TrialConfig.parse({ ...config, seed: 12, epochs: 1 });
    await train(other, { ...base, checkpoint: { dir, everyEpochs: 1, resume: true } });
    const files = await readdir(dir);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'e00009-b0000000.ckpt'), 'not a checkpoint');
    let resumedFrom: unknown = 'unset';
    const r = await train(TrialConfig.parse({ ...config, epochs: 1 }), {
      ...base,
      checkpoint: { dir, everyEpochs: 1, resume: true },
      onStart: (s) => {
        resumedFrom = s.resumedFrom;
      },
    });
    expect(files.length).toBe(1);
    expect(resumedFrom).toBeUndefined();
    expect(r.epochs.length).toBe(1);
  });
});
