// A worker killed with SIGKILL mid-trial: its trainer exits too, the queue notices the expired lock, another worker
// trains the trial again from the start, and the trial ends done with two attempts and one row per epoch.
import { describe, expect, it } from 'vitest';
import { useTestApp, waitFor, waitForTrialDone } from './helpers/index.js';

const FAST_STALL = { LOCK_DURATION_MS: '2000', STALLED_INTERVAL_MS: '1000' };
const testbed = useTestApp();

describe('worker killed mid-trial', () => {
  it('gets its trial retrained by another worker', async () => {
    const { env, app } = testbed;
    const first = testbed.startWorker(FAST_STALL);
    const r = await app.inject({
      method: 'POST',
      url: '/sweeps',
      payload: {
        name: 'recovery',
        base: {
          dataset: { name: 'procedural', classes: 4, trainSize: 512, testSize: 64, imageSize: 16 },
          model: 'tiny_cnn',
          optimizer: 'adam',
          epochs: 6,
          batchSize: 32,
        },
      },
    });
    expect(r.statusCode).toBe(201);
    await waitFor(async () => (await env.db.epochMetric.count()) >= 1, 60_000, 'the first epoch');
    first.kill('SIGKILL');
    await new Promise((res) => first.once('exit', res));
    expect((await env.db.trial.findFirstOrThrow()).status).toBe('running');

    testbed.startWorker(FAST_STALL);
    const t = await waitForTrialDone(env.db, 90_000, 'the retried trial');
    expect(t.attempts).toBe(2);
    expect(t.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(t.epochs.every((e) => e.attempt === 2)).toBe(true);
    const s = (await app.inject({ method: 'GET', url: `/sweeps/${r.json().id}` })).json();
    expect(s).toMatchObject({ status: 'done', counts: { done: 1 } });
  }, 180_000);
});
