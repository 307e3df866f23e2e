// Offline migrations on a fresh database, Prisma-compatible bookkeeping, and a client that can write and read
// every model afterwards.
import { cpSync, mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createDatabase, createDb, dropDatabase, migrate, MIGRATIONS_DIR, readMigrations } from '../src/index.js';

function freshUrl(tag: string): string {
  const u = new URL(inject('templateDatabaseUrl'));
  u.pathname = `/ablate_test_${inject('runId')}_${tag}_${Math.random().toString(16).slice(2, 8)}`;
  return u.toString();
}
const created: string[] = [];
async function freshDb(tag: string) {
  const url = freshUrl(tag);
  await createDatabase(url);
  created.push(url);
  return url;
}
afterAll(async () => {
  for (const url of created) await dropDatabase(url);
});

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

describe('migrate', () => {
  it("applies every migration once, recording Prisma's checksum (sha256 of migration.sql)", async () => {
    const url = await freshDb('m1');
    const names = readMigrations().map((m) => m.name);
    expect(names.length).toBeGreaterThan(0);
    expect(await migrate(url)).toEqual(names);
    expect(await migrate(url)).toEqual([]);
    const rows = await query<{ migration_name: string; checksum: string; finished_at: Date }>(
      url,
      'SELECT * FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(rows.map((r) => r.migration_name)).toEqual(names);
    const first = readMigrations()[0]!;
    expect(rows[0]!.checksum).toBe(createHash('sha256').update(first.sql).digest('hex'));
    expect(rows.every((r) => r.finished_at instanceof Date)).toBe(true);
    const tables = await query<{ table_name: string }>(
      url,
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
    );
    expect(tables.map((t) => t.table_name)).toEqual([
      'ApiKey',
      'Artifact',
      'EpochMetric',
      'IdempotencyKey',
      'Project',
      'Sweep',
      'SweepTrial',
      'Trial',
      'TrialEvent',
      'Worker',
      '_prisma_migrations',
    ]);
  });

  it('refuses a migration edited after it was applied, and rolls back one that fails', async () => {
    const url = await freshDb('m2');
    const dir = mkdtempSync(join(tmpdir(), 'ablate-migrations-'));
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    await migrate(url, dir);
    const name = readMigrations(dir)[0]!.name;
    writeFileSync(join(dir, name, 'migration.sql'), `${readMigrations(dir)[0]!.sql}\n-- edited\n`);
    await expect(migrate(url, dir)).rejects.toThrow(/edited after it was applied/);

    const url2 = await freshDb('m3');
    const dir2 = mkdtempSync(join(tmpdir(), 'ablate-migrations-'));
    cpSync(MIGRATIONS_DIR, dir2, { recursive: true });
    mkdirSync(join(dir2, '29990101000000_broken'));
    writeFileSync(join(dir2, '29990101000000_broken', 'migration.sql'), 'CREATE TABLE "Half" (id int);\nSELECT no_such_function();\n');
    await expect(migrate(url2, dir2)).rejects.toThrow(/29990101000000_broken failed/);
    expect(await query(url2, `SELECT 1 FROM information_schema.tables WHERE table_name = 'Half'`)).toHaveLength(0);
    expect(await query(url2, `SELECT 1 FROM "_prisma_migrations" WHERE migration_name = '29990101000000_broken'`)).toHaveLength(0);
    // The migrations before it were applied and recorded.
    expect(await migrate(url2)).toEqual([]);
  });

  it('lets the generated client write and read every model and field', async () => {
    const url = await freshDb('m4');
    await migrate(url);
    const db = createDb(url);
    try {
      await db.sweep.create({
        data: {
          id: 's',
          name: 'n',
          spec: { a: [1] },
          resolved: { b: true },
          backend: 'gpu',
          trialCount: 1,
          status: 'paused',
          priority: 7,
          paused: true,
          cancelledAt: new Date(5),
          finishedAt: new Date(0),
        },
      });
      await db.trial.create({
        data: {
          id: 't',
          groupKey: 'g',
          config: { lr: 0.1 },
          seed: 3,
          status: 'done',
          attempts: 2,
          workerId: 'w',
          backend: 'wasm',
          device: 'cpu',
          runtime: { x: 1 },
          finalMetrics: { testTop1: 0.5 },
          testTop1: 0.5,
          error: { code: 'E' },
          startedAt: new Date(1),
          finishedAt: new Date(2),
          durationMs: 9,
          interruptions: 1,
          leaseLosses: 2,
          claims: 5,
          generation: 4,
          dispatchedGeneration: 3,
          dispatchedAt: new Date(3),
          leaseToken: 'tok',
          leaseExpiresAt: new Date(4),
          stopRequested: true,
          checkpointKey: 'trials/t/checkpoints/x.ckpt',
          checkpointEpochs: 2,
          checkpointBatches: 7,
          checkpointAt: new Date(6),
        },
      });
      await db.sweepTrial.create({ data: { sweepId: 's', trialId: 't', index: 0, rank: 3, labels: { model: 'm' } } });
      await db.worker.create({
        data: {
          id: 'h.1.ab',
          name: 'h',
          host: 'h',
          pid: 1,
          backend: 'wasm',
          device: 'cpu',
          queues: ['trials', 'trials-wasm'],
          versions: { node: 'v20' },
        },
      });
      expect(await db.worker.findUniqueOrThrow({ where: { id: 'h.1.ab' } })).toMatchObject({
        queues: ['trials', 'trials-wasm'],
        state: 'idle',
        drain: false,
      });
      await db.idempotencyKey.create({ data: { route: 'POST /sweeps', key: 'k', requestHash: 'h', statusCode: 201, response: { id: 's' } } });
      await expect(
        db.idempotencyKey.create({ data: { route: 'POST /sweeps', key: 'k', requestHash: 'h2', statusCode: 201, response: {} } }),
      ).rejects.toMatchObject({ code: 'P2002' });
      await db.epochMetric.create({
        data: { trialId: 't', epoch: 1, trainLoss: 1, trainAcc: 0.1, testLoss: 2, testTop1: 0.2, testTop5: 0.6, lr: 0.1, seconds: 3, attempt: 2 },
      });
      await db.artifact.create({ data: { trialId: 't', kind: 'confusion', data: { m: [[1]] }, uri: 'file:///x' } });
      const t = await db.trial.findUniqueOrThrow({
        where: { id: 't' },
        include: { epochs: true, artifacts: true, cells: { include: { sweep: true } } },
      });
      expect(t).toMatchObject({ status: 'done', attempts: 2, runtime: { x: 1 }, finalMetrics: { testTop1: 0.5 }, durationMs: 9 });
      expect(t).toMatchObject({ leaseLosses: 2, claims: 5, generation: 4, leaseToken: 'tok', stopRequested: true, checkpointBatches: 7 });
      // One artifact per kind per trial.
      await expect(db.artifact.create({ data: { trialId: 't', kind: 'confusion' } })).rejects.toMatchObject({ code: 'P2002' });
      expect(t.epochs[0]).toMatchObject({ epoch: 1, testTop5: 0.6, attempt: 2 });
      expect(typeof t.epochs[0]!.id).toBe('bigint');
      expect(t.artifacts[0]).toMatchObject({ kind: 'confusion', data: { m: [[1]] }, uri: 'file:///x' });
      expect(t.cells[0]!.sweep).toMatchObject({ backend: 'gpu', status: 'paused', priority: 7, paused: true, spec: { a: [1] } });
      expect(t.cells[0]!.rank).toBe(3);
      await expect(
        db.epochMetric.create({
          data: { trialId: 't', epoch: 1, trainLoss: 1, trainAcc: 0, testLoss: 0, testTop1: 0, testTop5: 0, lr: 0, seconds: 0, attempt: 1 },
        }),
      ).rejects.toMatchObject({ code: 'P2002' });
      // A trial in a sweep cannot be deleted under it; deleting the sweep removes only its membership.
      await expect(db.trial.delete({ where: { id: 't' } })).rejects.toThrow();
      await db.sweep.delete({ where: { id: 's' } });
      expect(await db.trial.count()).toBe(1);
      expect(await db.sweepTrial.count()).toBe(0);
    } finally {
      await db.$disconnect();
    }
  });
});
