// Store outages mid-sweep, on private servers (the shared ones are never touched): Redis restarted with its data,
// Redis restarted empty, Postgres stopped for 10 s. During each, the API answers within 2 s (503 from what needs the
// store that is down); afterwards every sweep completes with every trial exactly once and nothing stuck.
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/index.js';
import { type Answer, exactlyOnceViolations, type Stack, startStack, tinySpec, waitSweepsEnded } from '../harness/fault-stack.js';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

/** A sweep of 6 trials of a few seconds each, two workers, and the outage once 2 are done and others running. */
async function midSweep(s: Stack): Promise<string> {
  s.startWorker();
  s.startWorker();
  const r = await s.request('POST', '/sweeps', tinySpec('outage', { epochs: 4, trainSize: 1024, lrs: [0.01, 0.02, 0.03], seeds: [0, 1] }));
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  const id = r.body.id as string;
  await waitFor(
    async () => {
      const c = (await s.request('GET', `/sweeps/${id}`)).body.counts;
      return c?.done >= 2 && c?.running >= 1;
    },
    120_000,
    'two trials done and one running',
  );
  return id;
}

/** Probes the API every 500 ms for `ms`: every answer, with its time. */
async function probe(s: Stack, sweepId: string, ms: number): Promise<Record<string, Answer[]>> {
  const out: Record<string, Answer[]> = { health: [], sweep: [], post: [] };
  const t0 = Date.now();
  let k = 0;
  while (Date.now() - t0 < ms) {
    out.health!.push(await s.request('GET', '/health'));
    out.sweep!.push(await s.request('GET', `/sweeps/${sweepId}`));
    out.post!.push(await s.request('POST', '/sweeps?dryRun=false', tinySpec(`during outage ${k++}`, { epochs: 1, lrs: [0.5 + k / 100] })));
    await new Promise((r) => setTimeout(r, 500));
  }
  return out;
}

const slowest = (as: Answer[]) => Math.max(...as.map((a) => a.ms));
const statuses = (as: Answer[]) => [...new Set(as.map((a) => a.status))].sort();

async function finishes(s: Stack, sweepIds: string[]) {
  await waitSweepsEnded(s, sweepIds, 180_000);
  expect(await exactlyOnceViolations(s, sweepIds)).toEqual([]);
  for (const id of sweepIds) expect((await s.request('GET', `/sweeps/${id}`)).body.status).toBe('done');
}

/** Sweeps posted (and accepted) during the outage: they must run too. */
const accepted = (as: Answer[]) => as.filter((a) => a.status === 201).map((a) => a.body.id as string);

describe('Redis restarted mid-sweep', () => {
  for (const keepData of [true, false]) {
    it(`${keepData ? 'with its data' : 'empty'}: health says 503 within 2 s, sweeps are still accepted, every trial finishes exactly once`, async () => {
      stack = await startStack();
      const id = await midSweep(stack);
      await stack.redis.stop({ keepData });
      const during = await probe(stack, id, 4_000);
      await stack.redis.start();
      expect(statuses(during.health!)).toEqual([503]);
      expect(during.health![0]!.body).toEqual({ status: 'degraded' });
      expect(slowest(during.health!)).toBeLessThan(2_000);
      // Postgres is the truth: reading and submitting need only Postgres, so they keep working while the queue is away.
      expect(statuses(during.sweep!)).toEqual([200]);
      expect(statuses(during.post!)).toEqual([201]);
      expect(slowest([...during.sweep!, ...during.post!])).toBeLessThan(2_000);
      await finishes(stack, [id, ...accepted(during.post!)]);
      process.stdout.write(
        `redis ${keepData ? 'restart' : 'wiped'}: health ${slowest(during.health!).toFixed(0)} ms, GET ${slowest(during.sweep!).toFixed(0)} ms, POST ${slowest(during.post!).toFixed(0)} ms (slowest)\n`,
      );
    }, 300_000);
  }
});

describe('Postgres stopped for 10 s mid-sweep', () => {
  it('every route answers 503 within 2 s; workers wait; afterwards every trial finishes exactly once, none stuck', async () => {
    stack = await startStack();
    const id = await midSweep(stack);
    await stack.pg.stop();
    const during = await probe(stack, id, 10_000);
    await stack.pg.start();
    for (const [route, answers] of Object.entries(during)) {
      expect(statuses(answers), route).toEqual([503]);
      expect(slowest(answers), route).toBeLessThan(2_000);
    }
    expect(during.health![0]!.body).toEqual({ status: 'degraded' });
    expect(during.sweep![0]!.body).toMatchObject({ code: 'DB_ERR_UNAVAILABLE' });
    expect(during.post![0]!.body).toMatchObject({ code: 'DB_ERR_UNAVAILABLE' });
    await finishes(stack, [id]);
    // Nothing was lost to the outage: no attempt was counted against the trials the workers held through it.
    const t = await stack.db.trial.findMany();
    expect(t.filter((x) => x.attempts !== 1).map((x) => [x.id, x.attempts])).toEqual([]);
    process.stdout.write(
      `postgres stopped 10 s: health ${slowest(during.health!).toFixed(0)} ms, GET ${slowest(during.sweep!).toFixed(0)} ms, POST ${slowest(during.post!).toFixed(0)} ms (slowest)\n`,
    );
  }, 300_000);
});
