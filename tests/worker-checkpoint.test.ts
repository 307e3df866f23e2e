// Checkpoints through the worker: a worker stopped with SIGTERM mid-trial writes a checkpoint to the blob store, the
// next attempt on another worker resumes from it (the epochs already done are not retrained, and the interruption does
// not count as an attempt), and the trial ends with its evaluation report, curves, checkpoint and TensorBoard artifacts,
// files referenced by store keys, never by paths. An LR range test runs as its own trial kind with its trace as an artifact, and
// its stored suggestion is the documented rule recomputed from that trace.
import { existsSync, readdirSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { train } from '@ablate/core';
import { configHash, TrialConfig } from '@ablate/spec';
import { describe, expect, it } from 'vitest';
import { lrRangeRule } from '../packages/core/test/lr-range-rule.js';
import { stopProcess, useTestApp, waitFor, waitForTrialDone } from './helpers/index.js';

const dataset = { name: 'procedural', classes: 4, trainSize: 512, testSize: 64, imageSize: 16 };

const testbed = useTestApp();

describe('checkpoints through the worker', () => {
  it("a SIGTERM'd trial resumes from its checkpoint on the next attempt and keeps the epochs already done", async () => {
    const { env, app } = testbed;
    const first = testbed.startWorker({ ABLATE_CHECKPOINT_EVERY: '1' });
    const r = await app.inject({
      method: 'POST',
      url: '/sweeps',
      payload: {
        name: 'resume',
        base: { dataset, model: 'tiny_cnn', optimizer: { name: 'sgd', lr: 0.05, momentum: 0.9 }, epochs: 6, batchSize: 32, tta: 'hflip' },
      },
    });
    expect(r.statusCode).toBe(201);
    await waitFor(async () => (await env.db.epochMetric.count()) >= 2, 60_000, 'two epochs');
    await stopProcess(first);
    const stopped = await env.db.trial.findFirstOrThrow({ include: { epochs: true } });
    const stoppedAt = new Date();
    expect(stopped).toMatchObject({ status: 'queued', attempts: 0, interruptions: 1 });
    expect((stopped.error as { code: string }).code).toBe('ERR_INTERRUPTED');
    const done = stopped.epochs.length;
    // The checkpoint went to the blob store (the worker's scratch folder is gone) and is recorded on the trial.
    expect(stopped.checkpointKey).toMatch(new RegExp(`^trials/${stopped.id}/checkpoints/[0-9a-f]{8}-e\\d{5}-b\\d{7}\\.ckpt$`));
    expect(existsSync(join(env.storeDir, stopped.checkpointKey!))).toBe(true);
    expect(existsSync(join(env.runsDir, stopped.id))).toBe(false);

    testbed.startWorker();
    const t = await waitForTrialDone(env.db, 90_000, 'the resumed trial');
    expect([t.attempts, t.interruptions]).toEqual([1, 1]);
    expect(t.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    // Epochs trained before the SIGTERM were not trained again: their rows were written before it.
    expect(t.epochs.slice(0, done).every((e) => e.createdAt < stoppedAt)).toBe(true);
    expect(t.epochs.slice(done).every((e) => e.createdAt > stoppedAt)).toBe(true);
    const final = t.finalMetrics as Record<string, number>;
    expect(final.resumedFromEpoch).toBe(done);
    expect(final.ttaTop1).toBeGreaterThan(0);
    expect(final.rocAucMacro).toBeGreaterThan(0.5);
    expect((t.runtime as { resumedFrom?: { epochsDone: number } }).resumedFrom?.epochsDone).toBe(done);

    const exp = (await app.inject({ method: 'GET', url: `/experiments/${t.id}` })).json();
    const kinds = exp.artifacts.map((a: { kind: string }) => a.kind).sort();
    expect(kinds).toEqual(['checkpoint', 'curves', 'evaluation', 'tensorboard']);
    // Files are store keys: no path of the worker's machine reaches the API.
    const uris = exp.artifacts.map((a: { uri: string | null }) => a.uri).filter(Boolean);
    for (const uri of uris) expect(uri).toMatch(/^trials\//);
    expect(JSON.stringify(exp)).not.toContain(env.runsDir);
    const tbKey = exp.artifacts.find((a: { kind: string }) => a.kind === 'tensorboard').uri;
    // Two attempts, two event files (each run of the trainer writes its own).
    expect(readdirSync(join(env.storeDir, tbKey)).filter((f) => f.startsWith('events.out.tfevents')).length).toBe(2);
    const evaluation = exp.artifacts.find((a: { kind: string }) => a.kind === 'evaluation');
    const report = (await app.inject({ method: 'GET', url: `/experiments/${t.id}/artifacts/${evaluation.id}` })).json();
    expect(report.data.confusion.length).toBe(16);
    expect(report.data.confusion.reduce((a: number, b: number) => a + b, 0)).toBe(64);
    expect(report.data.tta).toMatchObject({ name: 'hflip', merge: 'logits' });
    const missing = await app.inject({ method: 'GET', url: `/experiments/${t.id}/artifacts/999999` });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('ARTIFACT_ERR_NOT_FOUND');
  }, 180_000);

  it('runs an LR range test as a trial kind and stores its trace', async () => {
    const { env, app } = testbed;
    // Its own worker, so the test does not depend on the one the test above left running (and runs alone with -t).
    testbed.startWorker();
    const r = await app.inject({
      method: 'POST',
      url: '/sweeps',
      payload: {
        name: 'lr-finder',
        base: {
          kind: 'lr_finder',
          dataset,
          model: 'tiny_cnn',
          optimizer: { name: 'sgd', momentum: 0.9 },
          epochs: 1,
          batchSize: 32,
          lrFinder: { iterations: 30, startLr: 1e-5, endLr: 10 },
        },
      },
    });
    expect(r.statusCode).toBe(201);
    const t = await waitFor(
      async () => {
        const trial = await env.db.trial.findFirst({ where: { config: { path: ['kind'], equals: 'lr_finder' } } });
        return trial?.status === 'done' ? trial : undefined;
      },
      60_000,
      'the LR range test',
    );
    const final = t.finalMetrics as Record<string, number>;
    const exp = (await app.inject({ method: 'GET', url: `/experiments/${t.id}` })).json();
    expect(exp.epochs).toEqual([]);
    const trace = exp.artifacts.find((a: { kind: string }) => a.kind === 'lr_finder');
    const a = (await app.inject({ method: 'GET', url: `/experiments/${t.id}/artifacts/${trace.id}` })).json();
    const points = a.data.points as { iteration: number; lr: number; loss: number; smoothed: number }[];
    expect(points.length).toBe(final.iterations);
    expect(a.data.rule).toMatch(/steepest/);
    // The stored suggestion is the rule's on the stored trace, recomputed here (β 0.98, skipping the first 10 and the
    // last 5 points by default), not merely some lr inside the swept range.
    expect(points.map((p) => p.iteration)).toEqual(Array.from({ length: points.length }, (_, k) => k + 1));
    for (const p of points) expect(Math.abs(p.lr / (1e-5 * (10 / 1e-5) ** (p.iteration / 30)) - 1), `lr ${p.iteration}`).toBeLessThan(1e-12);
    const rule = lrRangeRule(points, { smoothing: 0.98, skipStart: 10, skipEnd: 5 });
    for (const [k, p] of points.entries()) expect(p.smoothed, `smoothed ${k + 1}`).toBeCloseTo(rule.smoothed[k]!, 12);
    expect(final.suggestedLr, `steepest at point ${rule.steepestIndex + 1}`).toBe(rule.suggestedLr);
    expect(final.minLossLr).toBe(rule.minLossLr);
    expect(final.minSmoothedLoss).toBe(rule.minSmoothedLoss);
    expect(a.data.suggestedLr).toBe(rule.suggestedLr);
  }, 120_000);

  it('a trial resumed from its final checkpoint (its worker died before recording the result) writes every epoch once', async () => {
    const { env, app } = testbed;
    // The state an earlier worker left: the final checkpoint stored and recorded, but no epoch row and no result
    // (before this issue such a trial ended done with the epochs it happened to have written, and without epoch 3).
    const spec = {
      name: 'resume from the final checkpoint',
      base: { dataset, model: 'tiny_cnn', optimizer: { name: 'sgd', lr: 0.05 }, epochs: 3, batchSize: 32 },
      backend: 'gpu',
    };
    const r = await app.inject({ method: 'POST', url: '/sweeps', payload: spec });
    expect(r.statusCode).toBe(201);
    const config = TrialConfig.parse(spec.base);
    const trialId = configHash(config);
    const dir = await mkdtemp(join(tmpdir(), 'ablate-final-ckpt-'));
    try {
      const straight = await train(config, { backend: 'wasm', loaderWorkers: 0, checkpoint: { dir, everyEpochs: 0, resume: false } });
      const key = `trials/${trialId}/checkpoints/0badc0de-e00003-b0000000.ckpt`;
      await mkdir(join(env.storeDir, `trials/${trialId}/checkpoints`), { recursive: true });
      await copyFile(join(dir, 'e00003-b0000000.ckpt'), join(env.storeDir, key));
      // Its sweep asked for a GPU (no worker here has one) so it stayed queued while the state was set up; now any worker may take it.
      await env.db.trial.update({ where: { id: trialId }, data: { checkpointKey: key, checkpointEpochs: 3, checkpointBatches: 0, queue: 'trials' } });
      await env.db.sweep.update({ where: { id: r.json().id }, data: { backend: 'any' } });
      await env.db.trial.update({ where: { id: trialId }, data: { generation: { increment: 1 } } });
      testbed.startWorker();
      const t = await waitFor(
        async () => {
          const tr = await env.db.trial.findUniqueOrThrow({ where: { id: trialId }, include: { epochs: { orderBy: { epoch: 'asc' } } } });
          return tr.status === 'done' ? tr : undefined;
        },
        90_000,
        'the trial resumed from its final checkpoint',
      );
      expect(t.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
      // The epochs are the checkpoint's history, exactly what the first run measured.
      expect(t.epochs.map((e) => e.testTop1)).toEqual(straight.epochs.map((e) => e.testTop1));
      expect((t.runtime as { resumedFrom?: { epochsDone: number } }).resumedFrom?.epochsDone).toBe(3);
      const final = t.finalMetrics as Record<string, number>;
      expect([final.testTop1, final.resumedFromEpoch]).toEqual([straight.final.testTop1, 3]);
      const kinds = (await env.db.artifact.findMany({ where: { trialId } })).map((a) => a.kind).sort();
      // One of each, the checkpoint being the one it resumed from (it had nothing left to train, so saved none).
      expect(kinds).toEqual(['checkpoint', 'curves', 'evaluation', 'tensorboard']);
      expect((await env.db.artifact.findFirstOrThrow({ where: { trialId, kind: 'checkpoint' } })).uri).toBe(key);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
