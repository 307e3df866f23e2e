// Delivery order, observed in the order trials start on one real worker (WORKER_CONCURRENCY=1): sweep priority first
// (higher sooner), then interleaved rank within a sweep (every row's first seed before any row's second), and a PATCHed
// priority reorders the trials still queued.
import { describe, expect, it } from 'vitest';
import { useTestApp, waitFor } from './helpers/index.js';

const testbed = useTestApp();

/** Trains in about a second; each sweep gets its own lr so no trial is shared between them. */
const base = (lr: number) => ({
  dataset: { name: 'procedural', classes: 4, trainSize: 256, testSize: 32, imageSize: 8 },
  model: { name: 'tiny_cnn', width: 4 },
  optimizer: { name: 'sgd', lr, momentum: 0.9 },
  epochs: 1,
  batchSize: 32,
});

async function post(payload: Record<string, unknown>): Promise<{ id: string; trials: number; created: number; priority: number }> {
  const r = await testbed.app.inject({ method: 'POST', url: '/sweeps', payload });
  expect(r.statusCode, r.body).toBe(201);
  return r.json();
}

describe('delivery order', () => {
  it('starts trials by sweep priority, then every row once before any row twice; a PATCHed priority reorders what is left', async () => {
    const { env, app } = testbed;
    // No worker yet: everything is delivered to the queue first, so the worker's choices are the queue's order alone.
    const low = await post({ name: 'low', base: base(0.05), axes: { 'optimizer.momentum': [0.9, 0.8, 0.7] }, seeds: [0, 1] });
    const high = await post({ name: 'high', base: base(0.04), axes: { 'optimizer.momentum': [0.9, 0.8] }, seeds: [0, 1], priority: 10 });
    // Would run last; raised to 5 (between high and low) while the first high trial trains.
    const raised = await post({ name: 'raised', base: base(0.03), axes: { 'optimizer.momentum': [0.9, 0.8] }, priority: -10 });
    expect([low.created, high.created, raised.created]).toEqual([6, 4, 2]);
    await waitFor(async () => (await env.queue.countsByQueue()).trials?.prioritized === 12, 15_000, 'the reconciler to deliver all 12 trials');
    expect(await env.db.trial.count({ where: { dispatchedGeneration: 0, generation: 0 } })).toBe(12);

    testbed.startWorker({ WORKER_NAME: 'order', WORKER_CONCURRENCY: '1', LEASE_HEARTBEAT_MS: '300' });
    const first = await waitFor(async () => env.db.trial.findFirst({ where: { startedAt: { not: null } } }), 60_000, 'the first trial to start');
    const p = await app.inject({ method: 'PATCH', url: `/sweeps/${raised.id}`, payload: { priority: 5 } });
    expect(p.json()).toMatchObject({ id: raised.id, priority: 5, trialCount: 2, added: 0, created: 0 });
    // Only one trial had started when the priority changed: the raised sweep's trials went back to the queue at 5.
    expect(await env.db.trial.count({ where: { startedAt: { not: null } } })).toBe(1);

    await waitFor(async () => (await env.db.trial.count({ where: { status: 'done' } })) === 12, 120_000, 'all 12 trials done');
    const cells = await env.db.sweepTrial.findMany({ include: { trial: true } });
    const started = cells.sort((a, b) => a.trial.startedAt!.getTime() - b.trial.startedAt!.getTime());
    const name = new Map([
      [low.id, 'low'],
      [high.id, 'high'],
      [raised.id, 'raised'],
    ]);
    const order = started.map((c) => `${name.get(c.sweepId)}:${c.rank}`);
    expect(first.id).toBe(started[0]!.trialId);
    // Exactly the queue's order: priority 10, then 5 (raised from -10), then 0; within a sweep by interleaved rank.
    expect(order).toEqual(['high:0', 'high:1', 'high:2', 'high:3', 'raised:0', 'raised:1', 'low:0', 'low:1', 'low:2', 'low:3', 'low:4', 'low:5']);
    // The same, said in labels and seeds: every row's seed 0 starts before any row's seed 1.
    const seq = (sweepId: string) =>
      started.filter((c) => c.sweepId === sweepId).map((c) => `${(c.labels as Record<string, string>)['optimizer.momentum']}/${c.trial.seed}`);
    expect(seq(high.id)).toEqual(['0.9/0', '0.8/0', '0.9/1', '0.8/1']);
    expect(seq(low.id)).toEqual(['0.9/0', '0.8/0', '0.7/0', '0.9/1', '0.8/1', '0.7/1']);
    // One attempt each; the raised sweep's stale deliveries were dropped, not trained twice.
    expect(started.every((c) => c.trial.attempts === 1 && c.trial.interruptions === 0)).toBe(true);
    expect(started.filter((c) => c.sweepId === raised.id).every((c) => c.trial.generation === 1)).toBe(true);
    expect(await env.db.epochMetric.count()).toBe(12);
  }, 150_000);

  // PatchSweepResponse documents `queued` as the trials queued now, for a priority change as for an extension.
  it("a priority-only PATCH answers how many of the sweep's trials are queued", async () => {
    // GPU-only: no worker here takes it, so both trials stay queued.
    const s = await post({ name: 'gpu, reprioritized', base: base(0.02), axes: { 'optimizer.momentum': [0.9, 0.8] }, backend: 'gpu' });
    const p = await testbed.app.inject({ method: 'PATCH', url: `/sweeps/${s.id}`, payload: { priority: 3 } });
    expect(p.statusCode).toBe(200);
    expect(p.json()).toEqual({ id: s.id, priority: 3, trialCount: 2, added: 0, created: 0, queued: 2 });
  });
});
