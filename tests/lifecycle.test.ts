// The sweep lifecycle with real worker processes: Idempotency-Key, cancel (a trial another sweep shares keeps running)
// and retry (resumes from the cancel's checkpoint), delete, pause/resume, extend, and draining a worker; asserted on
// Postgres, the blob store and the API's answers.
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stopProcess, useTestApp, waitFor } from './helpers/index.js';

const testbed = useTestApp();

const dataset = { name: 'procedural', classes: 4, trainSize: 256, testSize: 32, imageSize: 8 };
/** Trains in about a second (plus the trainer's start). Each test sets its own lr, so no trial is shared by accident. */
const tiny = (lr: number) => ({
  dataset,
  model: { name: 'tiny_cnn', width: 4 },
  optimizer: { name: 'sgd', lr, momentum: 0.9 },
  epochs: 2,
  batchSize: 32,
});
/** About 0.3 s an epoch on a free core: with 10+ epochs still training seconds after it started. */
const slow = (lr: number) => ({ ...tiny(lr), dataset: { ...dataset, trainSize: 2048 } });

/** A short heartbeat: cancels and drains reach the worker within a few hundred milliseconds. */
const WORKER_ENV = { LEASE_HEARTBEAT_MS: '300' };
let worker: ChildProcess | undefined;
/** The file's CPU worker (two trials at once), started when a test first needs it. */
function cpuWorker(): ChildProcess {
  if (!worker || worker.exitCode !== null || worker.signalCode !== null) {
    worker = testbed.startWorker({ ...WORKER_ENV, WORKER_NAME: 'lifecycle', WORKER_CONCURRENCY: '2' });
  }
  return worker;
}

type Json = Record<string, unknown>;
interface Created {
  id: string;
  trials: number;
  created: number;
  reused: number;
  queued: number;
}

async function call(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: Json) {
  return testbed.app.inject({ method, url, ...(payload ? { payload } : {}) });
}

async function post(payload: Json): Promise<Created> {
  const r = await call('POST', '/sweeps', payload);
  expect(r.statusCode, r.body).toBe(201);
  return r.json();
}

async function getSweep(id: string) {
  return (await call('GET', `/sweeps/${id}`)).json();
}

async function waitSweep(id: string, status: string, ms: number) {
  return waitFor(
    async () => {
      const s = await getSweep(id);
      return s.status === status ? s : undefined;
    },
    ms,
    `sweep ${id} to be ${status}`,
  );
}

/** The sweep's trial ids in grid order. */
async function trialIds(sweepId: string): Promise<string[]> {
  const cells = await testbed.env.db.sweepTrial.findMany({ where: { sweepId }, orderBy: { index: 'asc' }, select: { trialId: true } });
  return cells.map((c) => c.trialId);
}

function trial(id: string) {
  return testbed.env.db.trial.findUniqueOrThrow({ where: { id }, include: { epochs: { orderBy: { epoch: 'asc' } } } });
}

/** The worker's exit code, or a message once 90 s passed without an exit. */
function exitCode(child: ChildProcess): Promise<number | null | string> {
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return Promise.race([exit, new Promise<string>((resolve) => setTimeout(() => resolve('still running after 90 s'), 90_000).unref())]);
}

/** Waits until the trial runs and has recorded an epoch (so it is training, not starting). */
function training(id: string, what: string) {
  return waitFor(
    async () => {
      const t = await trial(id);
      return t.status === 'running' && t.epochs.length >= 1 ? t : undefined;
    },
    90_000,
    what,
  );
}

describe('sweep lifecycle with real workers', () => {
  it('Idempotency-Key: a repeated POST returns the first answer; the same key with another body is a 422', async () => {
    const { db } = testbed.env;
    // GPU-only: no worker of this test file can take it, so it stays queued and says what it waits for.
    const spec = { name: 'idempotent', base: tiny(0.025), backend: 'gpu' };
    const send = (body: Json, key: string) =>
      testbed.app.inject({ method: 'POST', url: '/sweeps', payload: body, headers: { 'idempotency-key': key } });
    const first = await send(spec, 'key-1');
    expect(first.statusCode, first.body).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(first.json()).toMatchObject({ trials: 1, created: 1, reused: 0, queued: 1 });
    const again = await send(spec, 'key-1');
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect(await db.sweep.count()).toBe(1);

    const reused = await send({ ...spec, name: 'idempotent, renamed' }, 'key-1');
    expect(reused.statusCode).toBe(422);
    expect(reused.json().code).toBe('IDEMPOTENCY_ERR_KEY_REUSED');
    expect(await db.sweep.count()).toBe(1);
    // Another key is another request: a second sweep, reusing the first one's trial.
    const other = await send(spec, 'key-2');
    expect(other.statusCode).toBe(201);
    expect(other.json()).toMatchObject({ trials: 1, created: 0, reused: 1 });
    expect(other.json().id).not.toBe(first.json().id);
    expect(await db.sweep.count()).toBe(2);
    expect(await db.trial.count()).toBe(1);
    expect(await getSweep(first.json().id)).toMatchObject({ status: 'queued', waitingFor: 'gpu worker' });
  });

  it("cancel stops the sweep's own trials (the running one with a checkpoint) but not a trial another sweep shares; retry resumes it", async () => {
    const { env } = testbed;
    const base = slow(0.05);
    // B first, at priority 1: it creates the shared trial, which is delivered ahead of A's own.
    const b = await post({ name: 'B', base: { ...base, epochs: 16 }, priority: 1 });
    const a = await post({ name: 'A', base, axes: { epochs: [12, 2, 16] } });
    expect(a).toMatchObject({ trials: 3, created: 2, reused: 1 });
    const [own, ownQueued, shared] = (await trialIds(a.id)) as [string, string, string];
    expect(await trialIds(b.id)).toEqual([shared]);
    await waitFor(async () => (await env.queue.countsByQueue()).trials?.prioritized === 3, 15_000, 'three deliveries');
    // Two slots: the shared trial (priority 1) and A's first (rank 0); A's second waits in the queue.
    cpuWorker();
    await training(own, "A's own first trial training");
    expect((await trial(shared)).status).toBe('running');
    expect((await trial(ownQueued)).status).toBe('queued');

    const busy = await call('DELETE', `/sweeps/${a.id}`);
    expect(busy.statusCode).toBe(409);
    expect(busy.json().code).toBe('SWEEP_ERR_BUSY');

    const c = await call('POST', `/sweeps/${a.id}/cancel`);
    expect(c.json()).toEqual({ id: a.id, status: 'cancelled', cancelled: 1, stopping: 1, shared: 1 });
    const stopped = await waitFor(
      async () => {
        const t = await trial(own);
        return t.status !== 'running' ? t : undefined;
      },
      30_000,
      "A's running trial to stop",
    );
    // Stopped at a batch with a checkpoint in the blob store; the interruption is not an attempt.
    expect(stopped).toMatchObject({ status: 'cancelled', attempts: 0, interruptions: 1, stopRequested: false, leaseToken: null });
    expect(stopped.finishedAt).not.toBeNull();
    expect(stopped.epochs).toHaveLength(stopped.checkpointEpochs!);
    expect(stopped.epochs.length).toBeLessThan(12);
    expect(stopped.checkpointKey).toMatch(new RegExp(`^trials/${own}/checkpoints/`));
    expect(existsSync(join(env.storeDir, stopped.checkpointKey!))).toBe(true);
    expect(await trial(ownQueued)).toMatchObject({ status: 'cancelled', startedAt: null, attempts: 0, error: { code: 'ERR_CANCELLED' } });
    // The shared trial was never asked to stop: B still needs it.
    expect(await trial(shared)).toMatchObject({ status: 'running', stopRequested: false });
    expect(await getSweep(a.id)).toMatchObject({ status: 'cancelled', counts: { running: 1, cancelled: 2, total: 3 }, waitingFor: null });
    const listed = (await call('GET', '/sweeps?status=cancelled')).json();
    expect(listed.items.map((s: { id: string }) => s.id)).toEqual([a.id]);
    const cancelledTrials = (await call('GET', `/sweeps/${a.id}/trials?status=cancelled`)).json();
    expect(cancelledTrials.items.map((t: { id: string }) => t.id).sort()).toEqual([own, ownQueued].sort());

    const bDone = await waitSweep(b.id, 'done', 120_000);
    expect(bDone.counts).toMatchObject({ done: 1, total: 1 });
    const s = await trial(shared);
    expect(s).toMatchObject({ status: 'done', attempts: 1, interruptions: 0 });
    expect(s.epochs.map((e) => e.epoch)).toEqual(Array.from({ length: 16 }, (_, k) => k + 1));
    expect(await getSweep(a.id)).toMatchObject({ status: 'cancelled', counts: { done: 1, cancelled: 2, queued: 0, running: 0 } });

    // As if the never-started trial had spent its attempts before the cancel: retry must reset them.
    await env.db.trial.update({ where: { id: ownQueued }, data: { attempts: 3 } });
    const r = await call('POST', `/sweeps/${a.id}/retry`);
    expect(r.json()).toEqual({ id: a.id, status: 'running', paused: false, requeued: 2 });
    const done = await waitSweep(a.id, 'done', 120_000);
    expect(done.counts).toEqual({ queued: 0, running: 0, done: 3, failed: 0, cancelled: 0, total: 3 });
    const resumed = await trial(own);
    expect(resumed).toMatchObject({ status: 'done', attempts: 1, interruptions: 1, error: null });
    expect((resumed.runtime as { resumedFrom?: unknown }).resumedFrom).toEqual({
      epochsDone: stopped.checkpointEpochs,
      batchesDone: stopped.checkpointBatches,
      key: stopped.checkpointKey,
    });
    expect(resumed.epochs.map((e) => e.epoch)).toEqual(Array.from({ length: 12 }, (_, k) => k + 1));
    // Epochs the checkpoint held were not trained again: written before the attempt stopped, the others after.
    const kept = resumed.epochs.slice(0, stopped.checkpointEpochs!);
    expect(kept.map((e) => e.epoch)).toEqual(stopped.epochs.slice(0, stopped.checkpointEpochs!).map((e) => e.epoch));
    expect(kept.every((e) => e.createdAt <= stopped.finishedAt!)).toBe(true);
    expect(resumed.epochs.slice(stopped.checkpointEpochs!).every((e) => e.createdAt > stopped.finishedAt!)).toBe(true);
    expect(await trial(ownQueued)).toMatchObject({ status: 'done', attempts: 1, interruptions: 0 });
    // The shared trial was not trained again by A's retry.
    expect((await trial(shared)).finishedAt).toEqual(s.finishedAt);
  }, 240_000);

  it('delete is refused while active, then removes the sweep and its unshared trials with their files; shared trials stay', async () => {
    const { env } = testbed;
    const base = tiny(0.035);
    const keeper = await post({ name: 'keeps one', base: { ...base, epochs: 1 } });
    const x = await post({ name: 'delete me', base, axes: { epochs: [1, 2] } });
    expect(x).toMatchObject({ trials: 2, created: 1, reused: 1 });
    const [shared, own] = (await trialIds(x.id)) as [string, string];
    cpuWorker();
    const busy = await call('DELETE', `/sweeps/${x.id}`);
    expect(busy.statusCode).toBe(409);
    expect(busy.json()).toMatchObject({ code: 'SWEEP_ERR_BUSY', message: expect.stringContaining('cancel it first') });
    await waitSweep(x.id, 'done', 90_000);
    await waitSweep(keeper.id, 'done', 30_000);
    expect(await env.db.artifact.count({ where: { trialId: own } })).toBeGreaterThan(0);
    expect(existsSync(join(env.storeDir, 'trials', own))).toBe(true);
    expect(existsSync(join(env.storeDir, 'trials', shared))).toBe(true);

    const del = await call('DELETE', `/sweeps/${x.id}`);
    expect(del.statusCode, del.body).toBe(200);
    expect(del.json()).toEqual({ id: x.id, deletedTrials: 1 });
    expect(await env.db.sweep.findUnique({ where: { id: x.id } })).toBeNull();
    expect(await env.db.sweepTrial.count({ where: { sweepId: x.id } })).toBe(0);
    expect(await env.db.trial.findUnique({ where: { id: own } })).toBeNull();
    expect(await env.db.epochMetric.count({ where: { trialId: own } })).toBe(0);
    expect(await env.db.artifact.count({ where: { trialId: own } })).toBe(0);
    expect(existsSync(join(env.storeDir, 'trials', own))).toBe(false);
    // The shared trial, its files and the other sweep are untouched.
    expect(await trial(shared)).toMatchObject({ status: 'done' });
    expect(existsSync(join(env.storeDir, 'trials', shared))).toBe(true);
    expect(await getSweep(keeper.id)).toMatchObject({ status: 'done', counts: { done: 1, total: 1 } });
    expect((await call('GET', `/sweeps/${x.id}`)).json()).toMatchObject({ statusCode: 404, code: 'SWEEP_ERR_NOT_FOUND' });
    expect((await call('DELETE', `/sweeps/${x.id}`)).statusCode).toBe(404);
    expect((await call('GET', '/sweeps?limit=100')).json().items.map((s: { id: string }) => s.id)).not.toContain(x.id);

    // A cancelled sweep is deleted too (GPU-only: it never leaves the queue here).
    const g = await post({ name: 'gpu, cancelled', base: { ...base, epochs: 3 }, backend: 'gpu' });
    const [gTrial] = (await trialIds(g.id)) as [string];
    expect((await call('DELETE', `/sweeps/${g.id}`)).statusCode).toBe(409);
    expect((await call('POST', `/sweeps/${g.id}/cancel`)).json()).toEqual({ id: g.id, status: 'cancelled', cancelled: 1, stopping: 0, shared: 0 });
    expect((await call('DELETE', `/sweeps/${g.id}`)).json()).toEqual({ id: g.id, deletedTrials: 1 });
    expect(await env.db.trial.findUnique({ where: { id: gTrial } })).toBeNull();
    expect((await call('GET', `/sweeps/${g.id}`)).statusCode).toBe(404);
  }, 120_000);

  it('pause: no trial of the sweep starts while a worker is idle, the running one finishes; resume runs the rest', async () => {
    const { env } = testbed;
    const p = await post({ name: 'pause me', base: slow(0.045), axes: { epochs: [12, 1, 2, 3] } });
    const ids = await trialIds(p.id);
    cpuWorker();
    await training(ids[0]!, 'the long trial training');
    const r = await call('POST', `/sweeps/${p.id}/pause`);
    expect(r.json()).toEqual({ id: p.id, status: 'paused', paused: true });
    // Read after the pause committed: a claim checks the flag in the same statement, so no other trial can start.
    const before = await env.db.trial.findMany({ where: { id: { in: ids } } });
    const startedBefore = before.filter((t) => t.startedAt).map((t) => t.id);
    const waiting = ids.filter((id) => !startedBefore.includes(id));
    expect(startedBefore).toContain(ids[0]);
    expect(waiting.length).toBeGreaterThan(0);

    // The trials that had started finish (they are not stopped)...
    await waitFor(
      async () => (await env.db.trial.count({ where: { id: { in: ids }, status: 'running' } })) === 0,
      90_000,
      'running trials to finish',
    );
    for (const id of startedBefore) expect(await trial(id), id).toMatchObject({ status: 'done', attempts: 1, interruptions: 0 });
    // ...and then, with the worker idle, nothing else of the paused sweep starts.
    const w = await waitFor(
      async () =>
        (await call('GET', '/workers')).json().items.find((i: { name: string; state: string }) => i.name === 'lifecycle' && i.state === 'idle'),
      10_000,
      'the worker to be idle',
    );
    expect(w.trialId).toBeNull();
    const idleFrom = Date.now();
    while (Date.now() - idleFrom < 3_000) {
      const started = await env.db.trial.count({ where: { id: { in: waiting }, OR: [{ startedAt: { not: null } }, { status: { not: 'queued' } }] } });
      expect(started).toBe(0);
      await new Promise((res) => setTimeout(res, 250));
    }
    for (const id of waiting) expect(await trial(id), id).toMatchObject({ status: 'queued', attempts: 0, startedAt: null });
    expect(await getSweep(p.id)).toMatchObject({ status: 'paused', paused: true, waitingFor: null, counts: { queued: waiting.length, running: 0 } });

    const resumed = await call('POST', `/sweeps/${p.id}/resume`);
    expect(resumed.json()).toEqual({ id: p.id, status: 'running', paused: false });
    const done = await waitSweep(p.id, 'done', 90_000);
    expect(done.counts).toEqual({ queued: 0, running: 0, done: 4, failed: 0, cancelled: 0, total: 4 });
    for (const id of ids) expect(await trial(id), id).toMatchObject({ status: 'done', attempts: 1, interruptions: 0 });
  }, 180_000);

  it('extend: new seeds and axis values add only new cells; old trials are not retrained; invalid extensions store nothing', async () => {
    const { env } = testbed;
    const base = tiny(0.04);
    const e = await post({ name: 'extend me', base, axes: { 'optimizer.lr': [0.04] } });
    cpuWorker();
    await waitSweep(e.id, 'done', 60_000);
    const [t0] = (await trialIds(e.id)) as [string];
    const firstDone = (await trial(t0)).finishedAt;
    // The API derives a sweep's status from its trials at once; the stored row follows right after the trial's commit.
    await waitFor(async () => (await env.db.sweep.findUniqueOrThrow({ where: { id: e.id } })).finishedAt !== null, 10_000, 'the stored status');

    // Refused extensions, each naming the field; nothing is stored.
    const snapshot = async () => ({
      sweep: await env.db.sweep.findUniqueOrThrow({ where: { id: e.id } }),
      cells: await env.db.sweepTrial.count({ where: { sweepId: e.id } }),
      trials: await env.db.trial.count(),
    });
    const before = await snapshot();
    const refused = async (payload: Json, path: string, message: RegExp) => {
      const r = await call('PATCH', `/sweeps/${e.id}`, payload);
      expect(r.statusCode, r.body).toBe(400);
      const body = r.json();
      expect(body.code).toBe('SWEEP_ERR_INVALID_EXTENSION');
      expect(body.message).toContain(path);
      expect(body.issues).toContainEqual({ path, message: expect.stringMatching(message) });
    };
    await refused({ axes: { 'model.width': [8] } }, 'axes.model.width', /no axis 'model.width'/);
    await refused({ seeds: [0] }, 'seeds', /seed 0 is already in the sweep/);
    await refused({ seeds: [2, 2] }, 'seeds', /distinct/);
    // A valid part does not go in with an invalid one.
    await refused({ seeds: [1], axes: { 'model.width': [8] } }, 'axes.model.width', /no axis/);
    expect(await snapshot()).toEqual(before);

    const s1 = await call('PATCH', `/sweeps/${e.id}`, { seeds: [1] });
    expect(s1.json()).toEqual({ id: e.id, priority: 0, trialCount: 2, added: 1, created: 1, queued: 1 });
    expect(await getSweep(e.id)).toMatchObject({ status: 'running', finishedAt: null, trialCount: 2, seeds: [0, 1] });
    await waitSweep(e.id, 'done', 60_000);
    expect(await trial(t0)).toMatchObject({ finishedAt: firstDone, attempts: 1 });
    const t1 = (await call('GET', `/sweeps/${e.id}/table`)).json();
    expect(t1.rows).toHaveLength(1);
    expect(t1.rows[0]).toMatchObject({ labels: { 'optimizer.lr': '0.04' }, n: 2 });
    expect([...t1.rows[0].seeds].sort()).toEqual([0, 1]);

    // Another sweep trains lr 0.02 seed 0; extending with lr 0.02 reuses that trial and creates only seed 1's.
    const other = await post({ name: 'lr 0.02', base: { ...base, optimizer: { ...base.optimizer, lr: 0.02 } } });
    await waitSweep(other.id, 'done', 60_000);
    const [reused] = (await trialIds(other.id)) as [string];
    const reusedDone = (await trial(reused)).finishedAt;
    const s2 = await call('PATCH', `/sweeps/${e.id}`, { axes: { 'optimizer.lr': [0.02] } });
    expect(s2.json()).toEqual({ id: e.id, priority: 0, trialCount: 4, added: 2, created: 1, queued: 1 });
    expect((await trialIds(e.id)).includes(reused)).toBe(true);
    await waitSweep(e.id, 'done', 60_000);
    expect(await trial(t0)).toMatchObject({ finishedAt: firstDone, attempts: 1 });
    expect(await trial(reused)).toMatchObject({ finishedAt: reusedDone, attempts: 1 });
    const s = await getSweep(e.id);
    expect(s).toMatchObject({ trialCount: 4, counts: { done: 4, total: 4 }, axes: [{ key: 'optimizer.lr', labels: ['0.04', '0.02'] }] });
    const t2 = (await call('GET', `/sweeps/${e.id}/table`)).json();
    expect(t2.rows.map((r: { labels: Json; n: number }) => [r.labels['optimizer.lr'], r.n])).toEqual([
      ['0.04', 2],
      ['0.02', 2],
    ]);
  }, 180_000);

  it('drain: the worker finishes its current trial, takes no queued one, exits 0 and is listed stopped; the sweep then waits for a worker', async () => {
    if (worker) await stopProcess(worker);
    const d = testbed.startWorker({ ...WORKER_ENV, WORKER_NAME: 'drain-me', WORKER_CONCURRENCY: '1' });
    const exited = exitCode(d);
    const s = await post({ name: 'drain', base: slow(0.03), axes: { epochs: [12, 1] } });
    const [long, next] = (await trialIds(s.id)) as [string, string];
    await training(long, 'the long trial training');
    const w = (await call('GET', '/workers')).json().items.find((i: { name: string }) => i.name === 'drain-me');
    expect(w).toMatchObject({ state: 'training', trialId: long, live: true, drain: false });
    expect((await call('POST', '/workers/nobody/drain')).json()).toMatchObject({ statusCode: 404, code: 'WORKER_ERR_NOT_FOUND' });

    const r = await call('POST', `/workers/${w.id}/drain`);
    expect(r.statusCode).toBe(202);
    expect(r.json()).toEqual({ id: w.id, drain: true });
    expect(await exited).toBe(0);
    const t = await trial(long);
    expect(t).toMatchObject({ status: 'done', attempts: 1, interruptions: 0, error: null });
    expect(t.epochs).toHaveLength(12);
    expect(await trial(next)).toMatchObject({ status: 'queued', attempts: 0, startedAt: null });

    const all = (await call('GET', '/workers?all=true')).json().items;
    expect(all.find((i: { id: string }) => i.id === w.id)).toMatchObject({
      state: 'stopped',
      reason: 'drained',
      trialId: null,
      live: false,
      drain: true,
      trialsDone: 1,
      stoppedAt: expect.any(String),
    });
    expect((await call('GET', '/workers')).json().items.map((i: { id: string }) => i.id)).not.toContain(w.id);
    // No live worker is left for its queued trial: the sweep says so.
    expect(await getSweep(s.id)).toMatchObject({ status: 'running', counts: { done: 1, queued: 1 }, waitingFor: 'a worker' });
    // Leave nothing queued for the next test's worker.
    expect((await call('POST', `/sweeps/${s.id}/cancel`)).json()).toMatchObject({ cancelled: 1, stopping: 0 });
  }, 150_000);

  // BullMQ's Worker.pause() does not stop a slot already blocked waiting for a job (its _getNextJob moves the next job
  // to active without checking `paused` again): a draining worker with a free slot must give such a job back
  // (packages/queue/src/trial-queue.ts, `guarded`). Without that, this failed on nearly every run.
  it('drain (SIGUSR2): a worker with a free slot takes no trial that arrives while it drains', async () => {
    const d = testbed.startWorker({ ...WORKER_ENV, WORKER_NAME: 'drain-free-slot', WORKER_CONCURRENCY: '2' });
    const exited = exitCode(d);
    const s = await post({ name: 'drain, free slot', base: { ...slow(0.015), epochs: 12 } });
    const [long] = (await trialIds(s.id)) as [string];
    await training(long, 'the long trial training');
    d.kill('SIGUSR2');
    const late = await post({ name: 'arrives while draining', base: tiny(0.015) });
    const [next] = (await trialIds(late.id)) as [string];
    expect(await exited).toBe(0);
    expect(await trial(long)).toMatchObject({ status: 'done', attempts: 1, interruptions: 0 });
    expect(await trial(next)).toMatchObject({ status: 'queued', attempts: 0, startedAt: null });
  }, 150_000);
});
