// The trial state machine on a real Postgres: every write of an attempt is fenced by its lease (a stale token writes
// nothing, whatever the write), expired leases are requeued or failed, interruptions never count, deliveries come out
// in priority then interleaved order, concurrent completions leave the sweep's stored status right, and the lifecycle
// transitions treat shared trials as the issue says.
import { SweepRequest } from '@ablate/spec';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setupTestEnv, type TestEnv } from '../../../tests/helpers/index.js';
import {
  cancelSweep,
  claimTrial,
  completeTrial,
  deleteSweep,
  deliverableTrials,
  endAttempt,
  expireLeases,
  extendSweep,
  insertSweep,
  LeaseLostError,
  markDelivered,
  putArtifact,
  recordCheckpoint,
  recordEpoch,
  recordRuntime,
  renewLease,
  retrySweep,
  setPaused,
  sweepStatusCounts,
  type Claimed,
  type Db,
} from '../src/index.js';

let env: TestEnv;
let db: Db;
beforeAll(async () => {
  env = await setupTestEnv();
  db = env.db;
});
afterAll(async () => {
  await env.close();
});
beforeEach(async () => {
  await db.$executeRaw`TRUNCATE "Sweep", "Trial", "SweepTrial", "EpochMetric", "Artifact" CASCADE`;
});

let n = 0;
function plan(over: Record<string, unknown> = {}) {
  const base = { dataset: 'procedural', model: 'mlp', optimizer: 'sgd', epochs: 3 };
  return SweepRequest.parse({ name: `s${n++}`, base, axes: { 'optimizer.lr': [0.1, 0.2, 0.3] }, seeds: [0, 1], ...over });
}
async function store(p = plan(), priority = 0) {
  const id = `sweep-${n++}`;
  await insertSweep(db, { id, name: p.spec.name, spec: {}, resolved: {}, backend: 'any', priority, cells: p.cells, queue: 'trials' });
  return { id, plan: p };
}
const epoch = (e: number) => ({ epoch: e, trainLoss: 1, trainAcc: 0.5, testLoss: 1, testTop1: 0.5, testTop5: 0.9, lr: 0.1, seconds: 1 });
async function claim(trialId: string, workerId = 'w1', leaseMs = 10_000): Promise<Claimed> {
  const t = await db.trial.findUniqueOrThrow({ where: { id: trialId } });
  const r = await claimTrial(db, { trialId, generation: t.generation, workerId, leaseMs });
  if (!('claimed' in r)) throw new Error(`not claimed: ${JSON.stringify(r)}`);
  return r.claimed;
}

describe('fenced writes', () => {
  it('a worker whose lease was taken over writes nothing: every kind of write throws LeaseLostError and changes no row', async () => {
    const { plan: p } = await store();
    const trialId = p.cells[0]!.trialId;
    const first = await claim(trialId, 'w1', 50);
    await recordEpoch(db, first, epoch(1));
    await new Promise((r) => setTimeout(r, 80));
    // The lease expired: the reconciler requeues the trial, a second worker claims it.
    expect((await expireLeases(db, { maxLeaseLosses: 3 })).map((e) => e.status)).toEqual(['queued']);
    const second = await claim(trialId, 'w2');
    expect(second.attempt).toBe(2);
    const writes: [string, () => Promise<unknown>][] = [
      ['renew', () => renewLease(db, first, 10_000)],
      ['epoch', () => recordEpoch(db, first, epoch(2))],
      ['replayed epoch', () => recordEpoch(db, first, epoch(3), { replay: true })],
      ['runtime', () => recordRuntime(db, first, { backend: 'x', device: 'y', runtime: {} })],
      ['artifact', () => putArtifact(db, first, { kind: 'curves', data: { late: true } })],
      ['checkpoint', () => recordCheckpoint(db, first, { key: 'late', epochsDone: 9, batchesDone: 0 })],
      ['result', () => completeTrial(db, first, { finalMetrics: { testTop1: 1 }, durationMs: 1 })],
      ['end', () => endAttempt(db, first, 'failed', { code: 'X', message: 'late' }, { maxAttempts: 3 })],
    ];
    for (const [what, write] of writes) await expect(write(), what).rejects.toBeInstanceOf(LeaseLostError);
    const t = await db.trial.findUniqueOrThrow({ where: { id: trialId }, include: { epochs: true, artifacts: true } });
    expect(t).toMatchObject({ status: 'running', workerId: 'w2', checkpointKey: null, backend: null, finalMetrics: null });
    expect(t.epochs.map((e) => [e.epoch, e.attempt])).toEqual([[1, 1]]);
    expect(t.artifacts).toEqual([]);
    // The holder writes; epochs are one row each, artifacts one per kind.
    await recordEpoch(db, second, epoch(1));
    await recordEpoch(db, second, epoch(2));
    await putArtifact(db, second, { kind: 'curves', data: { a: 1 } });
    await putArtifact(db, second, { kind: 'curves', data: { a: 2 } });
    await completeTrial(db, second, { finalMetrics: { testTop1: 0.7 }, durationMs: 5 });
    await expect(completeTrial(db, second, { finalMetrics: { testTop1: 0.9 }, durationMs: 5 })).rejects.toBeInstanceOf(LeaseLostError);
    const done = await db.trial.findUniqueOrThrow({ where: { id: trialId }, include: { epochs: true, artifacts: true } });
    expect([done.status, done.testTop1, done.leaseToken]).toEqual(['done', 0.7, null]);
    expect(done.epochs.map((e) => [e.epoch, e.attempt])).toEqual([
      [1, 2],
      [2, 2],
    ]);
    expect(done.artifacts.map((a) => [a.kind, a.data])).toEqual([['curves', { a: 2 }]]);
  });

  it('a replayed epoch fills a gap but never overwrites what an attempt trained', async () => {
    const { plan: p } = await store();
    const lease = await claim(p.cells[0]!.trialId);
    await recordEpoch(db, lease, { ...epoch(1), testTop1: 0.1 });
    await recordEpoch(db, lease, { ...epoch(1), testTop1: 0.9 }, { replay: true });
    await recordEpoch(db, lease, { ...epoch(2), testTop1: 0.2 }, { replay: true });
    const rows = await db.epochMetric.findMany({ orderBy: { epoch: 'asc' } });
    expect(rows.map((r) => [r.epoch, r.testTop1])).toEqual([
      [1, 0.1],
      [2, 0.2],
    ]);
  });

  it('the latest checkpoint recorded is the one the next attempt resumes from', async () => {
    const { plan: p } = await store();
    const lease = await claim(p.cells[0]!.trialId);
    await recordCheckpoint(db, lease, { key: 'k1', epochsDone: 1, batchesDone: 0 });
    await recordCheckpoint(db, lease, { key: 'k2', epochsDone: 2, batchesDone: 0 });
    await endAttempt(db, lease, 'retry', { code: 'ERR_TRAINER_CRASHED', message: 'x' }, { maxAttempts: 3 });
    const next = await claim(p.cells[0]!.trialId);
    expect(next.checkpoint).toEqual({ key: 'k2', epochsDone: 2, batchesDone: 0 });
  });
});

describe('attempts', () => {
  it('interruptions and releases never count; crashes do, and the last allowed one fails the trial with its reason', async () => {
    const { id, plan: p } = await store();
    const trialId = p.cells[0]!.trialId;
    for (const outcome of ['interrupted', 'released', 'interrupted'] as const) {
      const l = await claim(trialId);
      expect(await endAttempt(db, l, outcome, { code: 'ERR_INTERRUPTED', message: 'SIGTERM' }, { maxAttempts: 3 })).toEqual({ status: 'queued' });
    }
    let t = await db.trial.findUniqueOrThrow({ where: { id: trialId } });
    expect([t.attempts, t.interruptions, t.generation]).toEqual([0, 2, 3]);
    for (const expected of ['queued', 'queued', 'failed']) {
      const l = await claim(trialId);
      expect(await endAttempt(db, l, 'retry', { code: 'ERR_TRAINER_CRASHED', message: 'boom' }, { maxAttempts: 3 })).toEqual({ status: expected });
    }
    t = await db.trial.findUniqueOrThrow({ where: { id: trialId } });
    // The error names the start it ended (the 6th: three interrupted or released ones came first).
    expect(t).toMatchObject({ status: 'failed', attempts: 3, claims: 6, error: { code: 'ERR_TRAINER_CRASHED', attempt: 6 } });
    expect(t.finishedAt).not.toBeNull();
    expect((await sweepStatusCounts(db, id)).failed).toBe(1);
  });

  it('lost leases do not use up attempts; past their own budget the trial fails with ERR_WORKER_LOST, never left running', async () => {
    const { plan: p } = await store();
    const trialId = p.cells[0]!.trialId;
    for (const expected of ['queued', 'failed']) {
      await claim(trialId, 'w', 20);
      await new Promise((r) => setTimeout(r, 40));
      const [e] = await expireLeases(db, { maxLeaseLosses: 2 });
      expect(e).toMatchObject({ id: trialId, status: expected });
    }
    const t = await db.trial.findUniqueOrThrow({ where: { id: trialId } });
    expect(t).toMatchObject({ status: 'failed', attempts: 0, leaseLosses: 2, claims: 2 });
    expect(t.error).toMatchObject({ code: 'ERR_WORKER_LOST', attempt: 2 });
    expect((t.error as { message: string }).message).toMatch(/stopped renewing its lease.*lost 2 of at most 2 times: giving up/);
  });

  it('a stale delivery (older generation) cannot claim; a takeover of an expired lease can', async () => {
    const { plan: p } = await store();
    const trialId = p.cells[0]!.trialId;
    const l = await claim(trialId, 'w1', 20);
    expect(await claimTrial(db, { trialId, generation: 0, workerId: 'w2', leaseMs: 1000 })).toEqual({
      notClaimed: { reason: 'running', status: 'running' },
    });
    await new Promise((r) => setTimeout(r, 40));
    const taken = await claimTrial(db, { trialId, generation: 0, workerId: 'w2', leaseMs: 1000 });
    expect('claimed' in taken && taken.claimed.attempt).toBe(2);
    // The lost attempt is uncounted: one counted attempt, one lease loss.
    expect(await db.trial.findUniqueOrThrow({ where: { id: trialId } })).toMatchObject({ attempts: 1, leaseLosses: 1, claims: 2 });
    await expect(renewLease(db, l, 1000)).rejects.toBeInstanceOf(LeaseLostError);
    await endAttempt(db, (taken as { claimed: Claimed }).claimed, 'interrupted', { code: 'ERR_INTERRUPTED', message: '' }, { maxAttempts: 3 });
    expect(await claimTrial(db, { trialId, generation: 0, workerId: 'w3', leaseMs: 1000 })).toMatchObject({
      notClaimed: { reason: 'stale-generation' },
    });
  });
});

describe('delivery order', () => {
  it('highest sweep priority first; within a sweep every row gets its first seed before any row gets its second', async () => {
    const low = await store(plan({ axes: { 'optimizer.lr': [0.1, 0.2, 0.3] }, seeds: [0, 1] }), 0);
    const high = await store(plan({ axes: { 'optimizer.lr': [0.5, 0.6] }, seeds: [5, 6] }), 10);
    const ds = await deliverableTrials(db, 100);
    const label = (id: string) => {
      const c = [...low.plan.cells, ...high.plan.cells].find((x) => x.trialId === id)!;
      return `${c.labels['optimizer.lr']}/${c.seed}`;
    };
    expect(ds.map((d) => label(d.id))).toEqual(['0.5/5', '0.6/5', '0.5/6', '0.6/6', '0.1/0', '0.2/0', '0.3/0', '0.1/1', '0.2/1', '0.3/1']);
    await markDelivered(db, ds.slice(0, 4));
    expect(await deliverableTrials(db, 100)).toHaveLength(6);
    await setPaused(db, low.id, true);
    expect(await deliverableTrials(db, 100)).toHaveLength(0);
  });
});

describe('sweep status', () => {
  it('stays right when many trials of one sweep complete concurrently', async () => {
    const { id, plan: p } = await store(plan({ axes: { 'optimizer.lr': [0.1, 0.2, 0.3, 0.4, 0.5, 0.6] }, seeds: [0] }));
    const leases = await Promise.all(p.cells.map((c) => claim(c.trialId)));
    await Promise.all(leases.map((l) => completeTrial(db, l, { finalMetrics: { testTop1: 0.5 }, durationMs: 1 })));
    const s = await db.sweep.findUniqueOrThrow({ where: { id } });
    expect([s.status, s.finishedAt !== null]).toEqual(['done', true]);
  });
});

describe('lifecycle', () => {
  it('cancel leaves trials another active sweep needs; running ones are asked to stop and end cancelled', async () => {
    const a = await store(plan({ axes: { 'optimizer.lr': [0.1, 0.2] }, seeds: [0] }));
    const b = await store(plan({ axes: { 'optimizer.lr': [0.2, 0.3] }, seeds: [0] }));
    const shared = a.plan.cells[1]!.trialId;
    const own = a.plan.cells[0]!.trialId;
    const running = await claim(own);
    expect(await cancelSweep(db, a.id)).toEqual({ cancelled: 0, stopping: 1, shared: 1 });
    expect(await renewLease(db, running, 1000)).toEqual({ stopRequested: true });
    expect(await endAttempt(db, running, 'interrupted', { code: 'ERR_INTERRUPTED', message: 'cancel' }, { maxAttempts: 3 })).toEqual({
      status: 'cancelled',
    });
    expect((await db.trial.findUniqueOrThrow({ where: { id: shared } })).status).toBe('queued');
    expect((await db.sweep.findUniqueOrThrow({ where: { id: a.id } })).status).toBe('cancelled');
    expect((await db.sweep.findUniqueOrThrow({ where: { id: b.id } })).status).toBe('queued');
    // The shared trial is still delivered (for b); a's own cancelled trial is not.
    expect((await deliverableTrials(db, 10)).map((d) => d.id).sort()).toEqual(b.plan.cells.map((c) => c.trialId).sort());
    // Retry brings a's cancelled trial back with attempts reset.
    expect(await retrySweep(db, a.id)).toEqual({ requeued: 1 });
    expect(await db.trial.findUniqueOrThrow({ where: { id: own } })).toMatchObject({ status: 'queued', attempts: 0 });
    expect((await db.sweep.findUniqueOrThrow({ where: { id: a.id } })).status).toBe('queued');
  });

  it('extend adds only new cells; delete removes trials no other sweep holds and refuses an active sweep', async () => {
    const a = await store(plan({ axes: { 'optimizer.lr': [0.1, 0.2] }, seeds: [0] }));
    const b = await store(plan({ axes: { 'optimizer.lr': [0.2] }, seeds: [0] }));
    const bigger = plan({ axes: { 'optimizer.lr': [0.1, 0.2, 0.3] }, seeds: [0, 1] });
    expect(await extendSweep(db, { sweepId: a.id, spec: {}, resolved: {}, cells: bigger.cells, queue: 'trials' })).toEqual({
      added: 4,
      created: 4,
      queued: 6,
    });
    expect(await db.trial.count()).toBe(6);
    await expect(deleteSweep(db, a.id)).rejects.toMatchObject({ code: 'SWEEP_ERR_BUSY' });
    await cancelSweep(db, a.id);
    expect((await deleteSweep(db, a.id))!.trials).toHaveLength(5);
    // b's trial (shared with a) survives with b.
    expect((await db.trial.findMany()).map((t) => t.id)).toEqual([b.plan.cells[0]!.trialId]);
    expect(await deleteSweep(db, a.id)).toBeNull();
  });
});
