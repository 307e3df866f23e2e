// Per-project quotas and the write rate limit, against the real API and Postgres: every limit in ProjectLimits, over its
// default and over a lowered value, answers a 4xx naming the limit, its value and the project; at the limit it passes.
import { createApiKey } from '@ablate/db';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../../tests/helpers/index.js';
import type { ErrorCode } from '../src/errors.js';
import { DEFAULT_LIMITS, LIMIT_CAPS, LIMIT_NAMES, type LimitName, updateProjectLimits } from '../src/quotas/limits.js';

const testbed = useTestApp();

const n = (x: number) => x.toLocaleString('en-US');
const dataset = { name: 'procedural', trainSize: 64, testSize: 32, imageSize: 8 };
const sweep = (o: Record<string, unknown> = {}, base: Record<string, unknown> = {}) => ({
  name: 'quota test',
  base: { dataset, model: 'tiny_cnn', optimizer: { name: 'sgd', lr: 0.1 }, epochs: 1, ...base },
  seeds: [0],
  ...o,
});

/** A project of its own (so counters and limits never mix) with a write key, and that key's headers. */
async function project(name: string, limits: Partial<Record<LimitName, number>> = {}) {
  const { key, keyId } = await createApiKey(testbed.env.db, { projectId: name, scope: 'write' });
  if (Object.keys(limits).length) await updateProjectLimits(testbed.env.db, name, { set: limits });
  return { name, keyId, headers: { authorization: `Bearer ${key}` } };
}

/** Leaves the project with exactly `count` running trials (leased far ahead, so no reconciler pass touches them). */
async function holdRunningTrials(projectId: string, count: number) {
  const db = testbed.env.db;
  const sweepId = `held-${projectId}`;
  await db.$executeRaw`DELETE FROM "Sweep" WHERE id = ${sweepId}`;
  await db.$executeRaw`DELETE FROM "Trial" WHERE id LIKE ${`${sweepId}-%`}`;
  await db.$executeRaw`
    INSERT INTO "Sweep" (id, name, spec, resolved, status, "trialCount", "projectId", "updatedAt")
    VALUES (${sweepId}, 'held', '{}', '{}', 'running', ${count}, ${projectId}, now())`;
  await db.$executeRaw`
    INSERT INTO "Trial" (id, "groupKey", config, seed, status, "leaseExpiresAt", "updatedAt")
    SELECT ${`${sweepId}-`} || g, 'held', '{}', 0, 'running', now() + interval '1 day', now() FROM generate_series(1, ${count}::int) g`;
  await db.$executeRaw`
    INSERT INTO "SweepTrial" ("sweepId", "trialId", index, labels)
    SELECT ${sweepId}, ${`${sweepId}-`} || g, g, '{}' FROM generate_series(1, ${count}::int) g`;
}

/** Per limit: a sweep whose measure of that limit is `value` (preparing the project where the measure lives in Postgres). */
const cases: Record<Exclude<LimitName, 'writesPerMinute'>, { code: ErrorCode; body(value: number, projectId: string): Promise<object> | object }> = {
  trialsPerSweep: {
    code: 'QUOTA_ERR_TRIALS_PER_SWEEP',
    body: (value) => {
      const seeds = Math.min(1000, value);
      const lrs = Math.ceil(value / seeds);
      expect(lrs * seeds, 'the case builds exactly `value` trials').toBe(value);
      return sweep({
        seeds: Array.from({ length: seeds }, (_, i) => i),
        axes: { 'optimizer.lr': Array.from({ length: lrs }, (_, i) => 0.1 + i / 1000) },
      });
    },
  },
  queuedTrials: {
    code: 'QUOTA_ERR_QUEUED_TRIALS',
    body: async (value, projectId) => {
      await holdRunningTrials(projectId, value - 1);
      // A seed no other test uses: one trial that exists nowhere yet.
      return sweep({ seeds: [100_000 + value] });
    },
  },
  epochsPerTrial: { code: 'QUOTA_ERR_EPOCHS_PER_TRIAL', body: (value) => sweep({}, { epochs: value }) },
  datasetSize: { code: 'QUOTA_ERR_DATASET_SIZE', body: (value) => sweep({}, { dataset: { ...dataset, trainSize: value - 1, testSize: 1 } }) },
  imageSize: {
    code: 'QUOTA_ERR_IMAGE_SIZE',
    // procedural draws at most 256 px; image_folder resizes to up to 512 (the quota is checked before the path).
    body: (value) =>
      sweep({}, { dataset: value <= 256 ? { ...dataset, imageSize: value } : { name: 'image_folder', path: 'quota-test', size: value } }),
  },
  nameLength: { code: 'QUOTA_ERR_NAME_LENGTH', body: (value) => sweep({ name: 'n'.repeat(value) }) },
  labelLength: { code: 'QUOTA_ERR_LABEL_LENGTH', body: (value) => sweep({ variants: [{ label: 'l'.repeat(value), set: { epochs: 1 } }] }) },
};

/** Lowered per-project values; an exact product for trialsPerSweep. */
const LOWERED: Record<LimitName, number> = {
  trialsPerSweep: 3,
  queuedTrials: 3,
  epochsPerTrial: 5,
  datasetSize: 1000,
  imageSize: 16,
  nameLength: 10,
  labelLength: 10,
  writesPerMinute: 3,
};

/** Over a default: the first product of seeds and lr values above it. */
const overDefault = (limit: LimitName) => (limit === 'trialsPerSweep' ? DEFAULT_LIMITS.trialsPerSweep + 1000 : DEFAULT_LIMITS[limit] + 1);

describe('quotas', () => {
  it('has a case and a lowered value for every limit in ProjectLimits', () => {
    for (const limit of LIMIT_NAMES) {
      if (limit !== 'writesPerMinute') expect(cases[limit], `add a case for ${limit} to quotas.test.ts`).toBeDefined();
      expect(LOWERED[limit], `add a lowered value for ${limit}`).toBeLessThan(DEFAULT_LIMITS[limit]);
    }
  });

  for (const limit of LIMIT_NAMES.filter((l): l is keyof typeof cases => l !== 'writesPerMinute')) {
    it(`${limit}: over a lowered limit is refused (dry run too), at it is accepted`, async () => {
      const value = LOWERED[limit];
      const p = await project(`low-${limit}`, { [limit]: value });
      for (const dryRun of [true, false]) {
        const r = await testbed.app.inject({
          method: 'POST',
          url: `/sweeps${dryRun ? '?dryRun=true' : ''}`,
          headers: p.headers,
          payload: await cases[limit].body(value + 1, p.name),
        });
        expect(r.statusCode, r.body).toBe(422);
        const body = r.json();
        expect(body).toMatchObject({ statusCode: 422, code: cases[limit].code, error: 'Unprocessable Entity' });
        expect(body.message).toContain(`limit ${limit}`);
        expect(body.message).toContain(`project '${p.name}'`);
        expect(body.message).toContain(`allows ${n(value)}`);
        expect(body.issues).toEqual([expect.objectContaining({ path: expect.any(String), message: expect.stringContaining(`limit ${limit}`) })]);
      }
      expect(await testbed.env.db.sweep.count({ where: { projectId: p.name, name: { not: 'held' } } })).toBe(0);
      const ok = await testbed.app.inject({ method: 'POST', url: '/sweeps', headers: p.headers, payload: await cases[limit].body(value, p.name) });
      expect(ok.statusCode, ok.body).toBe(201);
    });

    it(`${limit}: over the default (${n(DEFAULT_LIMITS[limit])}) is refused, naming the limit`, async () => {
      const p = await project(`default-${limit}`);
      const over = overDefault(limit);
      const r = await testbed.app.inject({
        method: 'POST',
        url: '/sweeps?dryRun=true',
        headers: p.headers,
        payload: await cases[limit].body(over, p.name),
      });
      const body = r.json();
      if (over > LIMIT_CAPS[limit]) {
        // The default is the spec's own hard cap: the spec validation refuses it, naming the cap.
        expect(r.statusCode, r.body).toBe(400);
        expect(body.code).toBe('SWEEP_ERR_INVALID_SPEC');
        expect(body.message).toMatch(new RegExp(`${DEFAULT_LIMITS[limit]}|${n(DEFAULT_LIMITS[limit])}`));
      } else {
        expect(r.statusCode, r.body).toBe(422);
        expect(body.code).toBe(cases[limit].code);
        expect(body.message).toContain(`project '${p.name}' allows ${n(DEFAULT_LIMITS[limit])}`);
        expect(body.message).toContain(`limit ${limit}`);
      }
    });
  }

  it('a sweep under every default is accepted with no limits stored', async () => {
    const p = await project('plain');
    const r = await testbed.app.inject({ method: 'POST', url: '/sweeps', headers: p.headers, payload: sweep({ name: 'plain', seeds: [0, 1] }) });
    expect(r.statusCode, r.body).toBe(201);
  });

  it('names every limit broken at once', async () => {
    const p = await project('many', { epochsPerTrial: 2, nameLength: 5 });
    const r = await testbed.app.inject({
      method: 'POST',
      url: '/sweeps?dryRun=true',
      headers: p.headers,
      payload: sweep({ name: 'too long', axes: { epochs: [1, 3] } }),
    });
    expect(r.statusCode).toBe(422);
    expect(r.json().code).toBe('QUOTA_ERR_EPOCHS_PER_TRIAL');
    expect(r.json().issues.map((i: { path: string }) => i.path)).toEqual(['axes.epochs', 'name']);
    expect(r.json().message).toContain('trial 1 (epochs=3) trains 3 epochs');
  });

  it('PATCH: an extension over a limit is refused and changes nothing', async () => {
    const p = await project('patch', { trialsPerSweep: 4, epochsPerTrial: 5 });
    const created = await testbed.app.inject({
      method: 'POST',
      url: '/sweeps',
      headers: p.headers,
      payload: sweep({ axes: { epochs: [1] }, seeds: [0, 1] }),
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    const seeds = await testbed.app.inject({ method: 'PATCH', url: `/sweeps/${id}`, headers: p.headers, payload: { seeds: [2, 3, 4] } });
    expect(seeds.statusCode, seeds.body).toBe(422);
    expect(seeds.json()).toMatchObject({
      code: 'QUOTA_ERR_TRIALS_PER_SWEEP',
      message: "this sweep has 5 trials; project 'patch' allows 4 per sweep (limit trialsPerSweep)",
    });
    const epochs = await testbed.app.inject({ method: 'PATCH', url: `/sweeps/${id}`, headers: p.headers, payload: { axes: { epochs: [6] } } });
    expect(epochs.statusCode, epochs.body).toBe(422);
    expect(epochs.json()).toMatchObject({ code: 'QUOTA_ERR_EPOCHS_PER_TRIAL', issues: [{ path: 'axes.epochs' }] });
    expect((await testbed.env.db.sweep.findUniqueOrThrow({ where: { id } })).trialCount).toBe(2);
    const within = await testbed.app.inject({ method: 'PATCH', url: `/sweeps/${id}`, headers: p.headers, payload: { axes: { epochs: [5] } } });
    expect(within.statusCode, within.body).toBe(200);
    expect(within.json().trialCount).toBe(4);
  });

  it('queuedTrials holds for concurrent sweeps: counted again inside the insert, under a project lock', async () => {
    const p = await project('race', { queuedTrials: 4 });
    const posts = [10, 20, 30].map((s) =>
      testbed.app.inject({ method: 'POST', url: '/sweeps', headers: p.headers, payload: sweep({ name: `race ${s}`, seeds: [s, s + 1, s + 2] }) }),
    );
    const codes = (await Promise.all(posts)).map((r) => r.statusCode).sort();
    expect(codes).toEqual([201, 422, 422]);
    expect(await testbed.env.db.trial.count({ where: { cells: { some: { sweep: { projectId: 'race' } } } } })).toBe(3);
  });

  it('finished trials do not count: a sweep reusing them adds nothing queued', async () => {
    const p = await project('reuse', { queuedTrials: 2 });
    const first = await testbed.app.inject({
      method: 'POST',
      url: '/sweeps',
      headers: p.headers,
      payload: sweep({ name: 'reuse', seeds: [500, 501] }),
    });
    expect(first.statusCode).toBe(201);
    await testbed.env.db.trial.updateMany({ where: { cells: { some: { sweepId: first.json().id } } }, data: { status: 'done' } });
    const again = await testbed.app.inject({
      method: 'POST',
      url: '/sweeps',
      headers: p.headers,
      payload: sweep({ name: 'reuse again', seeds: [500, 501] }),
    });
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json()).toMatchObject({ reused: 2, queued: 0 });
  });
});

describe('write rate limit', () => {
  const dryRun = (headers: Record<string, string>) => testbed.app.inject({ method: 'POST', url: '/sweeps?dryRun=true', headers, payload: sweep() });

  for (const kind of ['lowered', 'default'] as const) {
    it(`answers 429 RATE_ERR_LIMITED with retry-after after writesPerMinute writes (${kind}); GETs and other keys go on`, async () => {
      const limit = kind === 'lowered' ? LOWERED.writesPerMinute : DEFAULT_LIMITS.writesPerMinute;
      const p = await project(`rate-${kind}`, kind === 'lowered' ? { writesPerMinute: limit } : {});
      for (let i = 0; i < limit; i++) {
        // PATCH and DELETE count like POST (a 404 still counts).
        const r =
          i % 3 === 1
            ? await testbed.app.inject({ method: 'DELETE', url: '/sweeps/nope', headers: p.headers })
            : i % 3 === 2
              ? await testbed.app.inject({ method: 'PATCH', url: '/sweeps/nope', headers: p.headers, payload: { priority: 1 } })
              : await dryRun(p.headers);
        expect(r.statusCode, `write ${i + 1}: ${r.body}`).not.toBe(429);
      }
      const limited = await dryRun(p.headers);
      expect(limited.statusCode).toBe(429);
      expect(limited.json()).toMatchObject({ statusCode: 429, code: 'RATE_ERR_LIMITED', error: 'Too Many Requests' });
      expect(limited.json().message).toContain(`project '${p.name}' allows ${n(limit)} per minute per key (limit writesPerMinute)`);
      const retryAfter = Number(limited.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      // Reads are never limited; another key of the same project has its own count.
      for (let i = 0; i < 3; i++) expect((await testbed.app.inject({ method: 'GET', url: '/sweeps', headers: p.headers })).statusCode).toBe(200);
      const other = await createApiKey(testbed.env.db, { projectId: p.name, scope: 'write' });
      expect((await dryRun({ authorization: `Bearer ${other.key}` })).statusCode).toBe(200);
      expect((await dryRun(p.headers)).statusCode).toBe(429);
    });
  }

  it('leaves routes without a key alone (health, dashboard, docs)', async () => {
    for (const url of ['/health', '/', '/docs/json']) {
      const r = await testbed.app.inject({ method: 'GET', url, headers: { authorization: '' } });
      expect(r.statusCode, `${url}: ${r.body.slice(0, 200)}`).toBeLessThan(400);
    }
  });

  it('takes a raised limit at the next request', async () => {
    const p = await project('rate-raised', { writesPerMinute: 1 });
    expect((await dryRun(p.headers)).statusCode).toBe(200);
    expect((await dryRun(p.headers)).statusCode).toBe(429);
    await updateProjectLimits(testbed.env.db, p.name, { set: { writesPerMinute: 5 } });
    expect((await dryRun(p.headers)).statusCode).toBe(200);
  });
});
