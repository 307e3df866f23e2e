// Workers that die or freeze mid-trial, on a private Postgres and Redis with the API (and its reconciler) as a real
// process: a kill -9 is detected and the trial resumes from its last checkpoint on another worker within the bound;
// a worker frozen past its lease and thawed writes nothing more and its trainer stops; a trial whose workers are killed
// twice is retried, never left running. The audit trigger proves each trial completed once.
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/index.js';
import { exactlyOnceViolations, type Stack, startStack, tinySpec, waitSweepsEnded } from '../harness/fault-stack.js';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

/** Pids of a process's children (the worker's trainer). */
function childrenOf(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return !execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).includes('Z');
  } catch {
    return false;
  }
};

async function postSweep(s: Stack, spec: unknown): Promise<string> {
  const r = await s.request('POST', '/sweeps', spec);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id;
}

async function trialOf(s: Stack, sweepId: string) {
  const cell = await s.db.sweepTrial.findFirstOrThrow({ where: { sweepId }, include: { trial: true } });
  return cell.trial;
}

describe('a worker killed with SIGKILL mid-trial', () => {
  it('is detected and its trial resumes from the last checkpoint on another worker within 15 s (production lease of 10 s)', async () => {
    // The production defaults: a 10 s lease renewed every 2 s.
    stack = await startStack({ worker: { LEASE_MS: '10000', LEASE_HEARTBEAT_MS: '2000' } });
    const workers = { w1: stack.startWorker(), w2: stack.startWorker() };
    await waitFor(async () => (await stack!.db.worker.count()) === 2, 30_000, 'both workers to register');
    const sweepId = await postSweep(stack, tinySpec('kill -9', { epochs: 10, trainSize: 2048 }));
    const t = await waitFor(
      async () => {
        const tr = await trialOf(stack!, sweepId);
        return (tr.checkpointEpochs ?? 0) >= 2 && tr.status === 'running' ? tr : undefined;
      },
      90_000,
      'a recorded checkpoint',
    );
    // Kill whichever worker holds it.
    const holder = t.workerId!.split('.')[0] as 'w1' | 'w2';
    const [w1, w2] = holder === 'w1' ? [workers.w1, workers.w2] : [workers.w2, workers.w1];
    const other = holder === 'w1' ? 'w2' : 'w1';
    const trainers = childrenOf(w1.pid!);
    expect(trainers.length).toBeGreaterThan(0);
    const before = await trialOf(stack, sweepId);
    const killedAt = new Date();
    w1.kill('SIGKILL');
    // The orphaned trainer notices its parent is gone and exits.
    await waitFor(async () => trainers.every((p) => !alive(p)), 10_000, "the dead worker's trainer to exit");
    await waitSweepsEnded(stack, [sweepId], 120_000);

    const audit = await stack.audit();
    const resumed = audit.find((a) => a.kind === 'status' && a.detail.to === 'running' && a.at > killedAt);
    expect(resumed, 'a second claim').toBeDefined();
    const detectionToResumeMs = resumed!.at.getTime() - killedAt.getTime();
    // The bound: the lease (10 s) + one reconciler pass (0.2 s here, 0.5 s by default) + a delivery and a claim.
    expect(detectionToResumeMs).toBeLessThan(15_000);
    process.stdout.write(`kill -9 → resumed on another worker after ${(detectionToResumeMs / 1000).toFixed(1)} s\n`);

    const done = await stack.db.trial.findUniqueOrThrow({ where: { id: t.id }, include: { epochs: { orderBy: { epoch: 'asc' } } } });
    // A lost worker is an infrastructure fault: it does not use up the trial's attempts.
    expect(done).toMatchObject({ status: 'done', attempts: 1, leaseLosses: 1, claims: 2, interruptions: 0 });
    expect(done.workerId).not.toBe(before.workerId);
    expect(done.workerId!.startsWith(`${other}.`)).toBe(true);
    // It resumed from the checkpoint recorded before the kill, not from the start.
    const resumedFrom = (done.runtime as { resumedFrom?: { epochsDone: number } }).resumedFrom;
    expect(resumedFrom?.epochsDone).toBeGreaterThanOrEqual(before.checkpointEpochs!);
    expect(done.epochs.filter((e) => e.epoch <= resumedFrom!.epochsDone).every((e) => e.attempt === 1)).toBe(true);
    // The requeue said why (a done trial's error is cleared; the audit keeps the history).
    const requeue = audit.find((a) => a.kind === 'status' && a.detail.from === 'running' && a.detail.to === 'queued');
    expect(requeue?.detail.error).toMatchObject({ code: 'ERR_WORKER_LOST', attempt: 1 });
    expect(await exactlyOnceViolations(stack, [sweepId])).toEqual([]);
    expect(w2.exitCode).toBeNull();
  }, 240_000);
});

describe('a worker frozen (SIGSTOP) past its lease, then thawed', () => {
  it('writes nothing more and its trainer stops; the other worker finishes the trial once', async () => {
    stack = await startStack();
    const w1 = stack.startWorker();
    const sweepId = await postSweep(stack, tinySpec('sigstop', { epochs: 10, trainSize: 2048 }));
    const t = await waitFor(
      async () => {
        const tr = await trialOf(stack!, sweepId);
        return (tr.checkpointEpochs ?? 0) >= 2 && tr.status === 'running' ? tr : undefined;
      },
      90_000,
      'two epochs',
    );
    stack.startWorker();
    const trainers = childrenOf(w1.pid!);
    w1.kill('SIGSTOP');
    const frozenAt = new Date();
    // Lease 3 s: the reconciler requeues the trial and w2 takes it.
    const takeover = await waitFor(
      async () => (await stack!.audit()).find((a) => a.kind === 'status' && a.detail.to === 'running' && a.at > frozenAt),
      30_000,
      'the takeover',
    );
    expect(takeover.detail.worker).toMatch(/^w2\./);
    // Stay frozen a while longer (the frozen worker's trainer keeps training and queueing its messages), then thaw.
    await new Promise((r) => setTimeout(r, 3000));
    w1.kill('SIGCONT');
    const thawedAt = new Date();
    await waitFor(async () => trainers.every((p) => !alive(p)), 15_000, "the thawed worker's trainer to be stopped");
    await waitSweepsEnded(stack, [sweepId], 120_000);
    await new Promise((r) => setTimeout(r, 2000));

    const audit = await stack.audit();
    // Nothing written by the first attempt after the takeover: no epoch row with its attempt number, no status change by it.
    const late = audit.filter(
      (a) =>
        a.at > takeover.at && ((a.kind === 'epoch' && a.detail.attempt === 1) || (a.kind === 'status' && String(a.detail.worker).startsWith('w1.'))),
    );
    expect(late).toEqual([]);
    const done = await stack.db.trial.findUniqueOrThrow({ where: { id: t.id } });
    expect(done).toMatchObject({ status: 'done', attempts: 1, leaseLosses: 1, claims: 2 });
    expect(done.workerId).toMatch(/^w2\./);
    expect(await exactlyOnceViolations(stack, [sweepId])).toEqual([]);
    expect(thawedAt.getTime()).toBeGreaterThan(takeover.at.getTime());
    // The thawed worker is still a working worker: it takes the next trial.
    const next = await postSweep(stack, tinySpec('after thaw', { epochs: 1, lrs: [0.07, 0.08, 0.09] }));
    await waitSweepsEnded(stack, [next], 60_000);
    expect(await exactlyOnceViolations(stack, [next])).toEqual([]);
    expect(w1.exitCode).toBeNull();
  }, 240_000);
});

describe('a trial whose worker is killed twice', () => {
  it('is resumed from its checkpoint each time and finishes on the third start without using up attempts; never left running', async () => {
    stack = await startStack();
    const sweepId = await postSweep(stack, tinySpec('killed twice', { epochs: 10, trainSize: 2048 }));
    for (let k = 1; k <= 2; k++) {
      const w = stack.startWorker();
      await waitFor(
        async () => {
          const tr = await trialOf(stack!, sweepId);
          return tr.status === 'running' && tr.claims === k && (tr.checkpointEpochs ?? 0) >= k * 2;
        },
        90_000,
        `attempt ${k} to checkpoint`,
      );
      w.kill('SIGKILL');
    }
    stack.startWorker();
    await waitSweepsEnded(stack, [sweepId], 120_000);
    const t = await trialOf(stack, sweepId);
    expect(t).toMatchObject({ status: 'done', attempts: 1, leaseLosses: 2, claims: 3 });
    const lost = (await stack.audit()).filter((a) => a.kind === 'status' && a.detail.from === 'running' && a.detail.to === 'queued');
    expect(lost.map((a) => (a.detail.error as { code: string }).code)).toEqual(['ERR_WORKER_LOST', 'ERR_WORKER_LOST']);
    expect(await exactlyOnceViolations(stack, [sweepId])).toEqual([]);
  }, 240_000);
});

describe('a worker whose trainers keep crashing', () => {
  it('stops taking work after 3 crashes in a row and says why in GET /workers; the trials go to a healthy worker', async () => {
    stack = await startStack();
    const sick = stack.startWorker();
    const sweepId = await postSweep(stack, tinySpec('crashing', { epochs: 10, trainSize: 2048, lrs: [0.01, 0.02, 0.03, 0.04, 0.05, 0.06] }));
    // Three times, the trainer dies under it (as the kernel's OOM killer would do).
    const crashes = async () =>
      (await stack!.audit()).filter(
        (a) => a.kind === 'status' && a.detail.from === 'running' && (a.detail.error as { code?: string } | null)?.code === 'ERR_TRAINER_CRASHED',
      ).length;
    for (let k = 1; k <= 3; k++) {
      // A trial running past its first epoch, so the worker's child is its trainer (not the start-up backend probe).
      const pid = await waitFor(
        async () => {
          const running = await stack!.db.trial.count({ where: { status: 'running', epochs: { some: {} } } });
          return running ? childrenOf(sick.pid!)[0] : undefined;
        },
        60_000,
        `a trainer to kill (${k})`,
      );
      process.kill(pid, 'SIGKILL');
      await waitFor(async () => (await crashes()) === k, 30_000, `crash ${k} recorded`);
    }
    const w = await waitFor(
      async () => (await stack!.request('GET', '/workers')).body.items.find((x: { state: string }) => x.state === 'unhealthy'),
      15_000,
      'the worker to report itself unhealthy',
    );
    expect(w.reason).toMatch(/3 trials failed in a row on this worker \(.*ERR_TRAINER_CRASHED/);
    // It takes nothing more: the queued trials wait, then a healthy worker runs them all.
    await new Promise((r) => setTimeout(r, 3000));
    expect(await stack.db.trial.count({ where: { status: 'running' } })).toBe(0);
    stack.startWorker();
    await waitSweepsEnded(stack, [sweepId], 180_000);
    // Each crash counted as an attempt of the trial it hit; a trial hit 3 times (its budget) failed with the reason.
    expect(await crashes()).toBe(3);
    const trials = await stack.db.trial.findMany();
    for (const t of trials) {
      if (t.status === 'failed') expect(t).toMatchObject({ attempts: 3, error: { code: 'ERR_TRAINER_CRASHED' } });
      else expect(t.status).toBe('done');
    }
    expect(trials.reduce((n, t) => n + t.attempts, 0)).toBe(trials.filter((t) => t.status === 'done').length + 3);
    // retry gives a failed trial a fresh budget; the healthy worker finishes it.
    expect((await stack.request('POST', `/sweeps/${sweepId}/retry`)).status).toBe(200);
    await waitSweepsEnded(stack, [sweepId], 120_000);
    expect((await stack.db.trial.findMany()).map((t) => t.status)).toEqual(Array(6).fill('done'));
    expect(sick.exitCode).toBeNull();
  }, 300_000);
});
