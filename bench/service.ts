// `npm run bench -- service`: the API under the loads of a big study, on its own database (created, migrated and
// dropped here) and its own Redis key prefix: POST of a 10,000-trial sweep; table, pivot and leaderboard latency on
// 10,000 trials × 200 epochs; 50 SSE listeners on one sweep while its trials report epochs.
import { randomBytes } from 'node:crypto';
import { buildApp } from '@ablate/api';
import { createApiKey, createDatabase, createDb, dropDatabase, migrate } from '@ablate/db';
import { openTrialQueue } from '@ablate/queue';
import { pino } from 'pino';
import { Reconciler } from '../apps/api/src/reconciler/reconciler.js';
import type { BenchResult } from './run.js';

export interface ServiceBenchOptions {
  /** Trials per POSTed sweep (a 100 × 100 grid at 10,000). */
  trials: number;
  /** Epoch rows seeded per trial for the read endpoints. */
  epochs: number;
  /** POSTs timed (each a new sweep of new trials), and requests timed per read endpoint. */
  posts: number;
  reads: number;
  listeners: number;
}

const PG = process.env.ABLATE_BENCH_PG_URL ?? process.env.ABLATE_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS = process.env.ABLATE_BENCH_REDIS_URL ?? process.env.ABLATE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
};
const ms = (x: number) => `${x.toFixed(0)} ms`;

/** A grid of `trials` cells: two axes (optimizer.lr × batchSize), one seed; `variant` makes every trial new. */
function bigSpec(trials: number, variant: number) {
  let side = Math.floor(Math.sqrt(trials));
  while (trials % side) side--;
  const lrs = Array.from({ length: side }, (_, i) => Number((0.001 * (i + 1)).toFixed(6)));
  const batches = Array.from({ length: trials / side }, (_, i) => 8 + i);
  return {
    name: `bench ${variant}`,
    base: {
      dataset: { name: 'procedural', classes: 10, trainSize: 256, testSize: 64 },
      model: 'tiny_cnn',
      optimizer: { name: 'sgd', lr: 0.1, momentum: 0.9 },
      augmentation: 'none',
      epochs: 200 + variant,
    },
    axes: { 'optimizer.lr': lrs, batchSize: batches },
    seeds: [0],
  };
}

export async function benchService(o: ServiceBenchOptions): Promise<BenchResult> {
  const id = randomBytes(4).toString('hex');
  const url = new URL(PG);
  url.pathname = `/ablate_bench_${id}`;
  const databaseUrl = url.toString();
  await createDatabase(databaseUrl);
  await migrate(databaseUrl);
  const db = createDb(databaseUrl, { max: 10 });
  const queue = openTrialQueue({ kind: 'redis', url: REDIS, prefix: `ablate-bench-${id}` });
  const app = await buildApp({ db, trialQueue: queue });
  const log = pino({ level: 'warn' });
  const reconciler = new Reconciler({ databaseUrl, db, queue, log, intervalMs: 500, leaseGraceMs: 10_000 }).start();
  const rows: string[][] = [];
  const notes: string[] = [];
  const say = (line: string) => process.stderr.write(`[bench service] ${line}\n`);
  try {
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    // Every request carries an admin key of the default project, as a client of a real deployment would.
    const { key } = await createApiKey(db, { projectId: 'default', scope: 'admin', name: 'bench' });
    const auth = { authorization: `Bearer ${key}` };

    // 1. POST /sweeps: validated, expanded, stored; then delivered to the queue by the reconciler.
    const postMs: number[] = [];
    const deliverMs: number[] = [];
    const sweepIds: string[] = [];
    for (let i = 0; i < o.posts; i++) {
      const body = JSON.stringify(bigSpec(o.trials, i));
      const t0 = performance.now();
      const r = await fetch(`${base}/sweeps`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body });
      const answer = (await r.json()) as { id: string; trials: number; created: number };
      postMs.push(performance.now() - t0);
      if (r.status !== 201 || answer.created !== o.trials)
        throw new Error(`POST /sweeps answered ${r.status}: ${JSON.stringify(answer).slice(0, 300)}`);
      sweepIds.push(answer.id);
      // Delivered: every trial of the sweep has a job in the queue (counted in Postgres: dispatchedGeneration = generation).
      for (;;) {
        const [count] = await db.$queryRaw<{ n: bigint }[]>`
          SELECT count(*) AS n FROM "SweepTrial" st JOIN "Trial" t ON t.id = st."trialId"
          WHERE st."sweepId" = ${answer.id} AND t."dispatchedGeneration" = t.generation`;
        if (Number(count?.n ?? 0) >= o.trials) break;
        await new Promise((res) => setTimeout(res, 50));
      }
      deliverMs.push(performance.now() - t0);
      say(`POST ${i + 1}/${o.posts}: ${ms(postMs.at(-1)!)}, all delivered after ${ms(deliverMs.at(-1)!)}`);
    }
    rows.push([
      `POST /sweeps, ${o.trials.toLocaleString('en-US')} trials (validate, expand, store)`,
      `p50 ${ms(quantile(postMs, 0.5))}, max ${ms(Math.max(...postMs))}`,
      '< 2,000 ms',
      verdict(Math.max(...postMs) < 2000),
    ]);
    rows.push([
      `… and every trial delivered to the queue (reconciler)`,
      `p50 ${ms(quantile(deliverMs, 0.5))}, max ${ms(Math.max(...deliverMs))}`,
      '—',
      '—',
    ]);

    // 2. Seed the first sweep's trials: done, final metrics, `epochs` epoch rows each (SQL, triggers off while seeding).
    const t1 = performance.now();
    const target = sweepIds[0]!;
    await db.$executeRawUnsafe(`ALTER TABLE "EpochMetric" DISABLE TRIGGER ablate_epoch_event`);
    await db.$executeRawUnsafe(`ALTER TABLE "Trial" DISABLE TRIGGER ablate_trial_event`);
    await db.$executeRaw`
      INSERT INTO "EpochMetric" ("trialId", epoch, "trainLoss", "trainAcc", "testLoss", "testTop1", "testTop5", lr, seconds, attempt)
      SELECT st."trialId", e, 2.0 / e, 1 - 1.0 / (e + 1), 2.5 / e, 0.5 + 0.3 * (e::float / ${o.epochs}) + 0.05 * random(), 0.9, 0.1, 1.0, 1
      FROM "SweepTrial" st CROSS JOIN generate_series(1, ${o.epochs}) AS e WHERE st."sweepId" = ${target}`;
    await db.$executeRaw`
      UPDATE "Trial" t SET status = 'done', "finishedAt" = now(), "testTop1" = m."testTop1",
        "finalMetrics" = jsonb_build_object('testTop1', m."testTop1", 'bestTop1', m.best, 'testTop5', 0.9, 'testLoss', 1.0)
      FROM (SELECT "trialId", (array_agg("testTop1" ORDER BY epoch DESC))[1] AS "testTop1", max("testTop1") AS best
            FROM "EpochMetric" GROUP BY "trialId") m
      WHERE m."trialId" = t.id`;
    await db.$executeRawUnsafe(`ALTER TABLE "EpochMetric" ENABLE TRIGGER ablate_epoch_event`);
    await db.$executeRawUnsafe(`ALTER TABLE "Trial" ENABLE TRIGGER ablate_trial_event`);
    await db.$executeRawUnsafe('VACUUM ANALYZE');
    const epochRows = (await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM "EpochMetric"`)[0]?.n ?? 0n;
    say(`seeded ${Number(epochRows).toLocaleString('en-US')} epoch rows in ${ms(performance.now() - t1)}`);
    notes.push(
      `Seeding: ${o.posts} sweeps of ${o.trials.toLocaleString('en-US')} new trials POSTed through the API; the first sweep's trials set done with final metrics and ${o.epochs} epoch rows each (${Number(epochRows).toLocaleString('en-US')} rows, one INSERT … generate_series with the event triggers off while seeding, then VACUUM ANALYZE). Reads: ${o.reads} timed requests per endpoint after 2 warm-ups, one at a time over HTTP on 127.0.0.1, the reconciler running.`,
    );

    // 3. Read endpoints: p95 of sequential requests.
    const reads: [string, string][] = [
      ['GET /sweeps/:id/table (final metric, JSON)', `/sweeps/${target}/table`],
      [
        'GET /sweeps/:id/table, baseline (Δ + CI per row)',
        `/sweeps/${target}/table?baseline=${encodeURIComponent('optimizer.lr=0.001;batchSize=8')}`,
      ],
      ['GET /sweeps/:id/table?reduce=best (over the epochs)', `/sweeps/${target}/table?reduce=best`],
      ['GET /sweeps/:id/table?reduce=lastK&k=5', `/sweeps/${target}/table?reduce=lastK&k=5`],
      ['GET /sweeps/:id/table pivot (cols=batchSize, markdown)', `/sweeps/${target}/table?cols=batchSize&format=markdown`],
      ['GET /sweeps/:id/table pivot (LaTeX)', `/sweeps/${target}/table?cols=batchSize&format=latex`],
      ['GET /leaderboard (JSON, top 20)', `/leaderboard?metric=testTop1`],
      ['GET /leaderboard?dataset=procedural&where=batchSize=8', `/leaderboard?dataset=procedural&where=${encodeURIComponent('batchSize=8')}`],
    ];
    for (const [label, path] of reads) {
      const times: number[] = [];
      for (let i = 0; i < o.reads + 2; i++) {
        const t0 = performance.now();
        const r = await fetch(`${base}${path}`, { headers: auth });
        await r.arrayBuffer();
        if (r.status !== 200) throw new Error(`${path} answered ${r.status}`);
        if (i >= 2) times.push(performance.now() - t0);
      }
      const p95 = quantile(times, 0.95);
      rows.push([label, `p50 ${ms(quantile(times, 0.5))}, p95 ${ms(p95)}`, 'p95 < 300 ms', verdict(p95 < 300)]);
      say(`${label}: p95 ${ms(p95)}`);
    }

    // 4. SSE: listeners on one small sweep while its trials report epochs (inserted as a worker's writes would be).
    rows.push(await benchSse(base, db, auth, o.listeners, say));
  } finally {
    await reconciler.stop();
    await app.close();
    await queue.obliterate().catch(() => undefined);
    await queue.close();
    await db.$disconnect();
    await dropDatabase(databaseUrl);
  }
  return {
    title: 'service: API under a big study',
    columns: ['what', 'measured', 'target', 'verdict'],
    rows,
    notes,
  };
}

function verdict(ok: boolean): string {
  return ok ? 'met' : 'MISSED';
}

interface Received {
  ids: number[];
  at: Map<number, number>;
}

async function benchSse(
  base: string,
  db: ReturnType<typeof createDb>,
  auth: Record<string, string>,
  listeners: number,
  say: (l: string) => void,
): Promise<string[]> {
  const trials = 20;
  const epochs = 10;
  const big = bigSpec(trials, 0);
  const spec = { ...big, name: 'bench sse', base: { ...big.base, epochs: epochs + 1 } };
  spec.axes = { 'optimizer.lr': spec.axes['optimizer.lr'].slice(0, 4), batchSize: spec.axes.batchSize.slice(0, 5) };
  const created = (await (
    await fetch(`${base}/sweeps`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify(spec) })
  ).json()) as { id?: string };
  if (!created.id) throw new Error(`POST /sweeps for the SSE sweep failed: ${JSON.stringify(created).slice(0, 300)}`);
  const controller = new AbortController();
  const received: Received[] = [];
  const streams = Array.from({ length: listeners }, async () => {
    const mine: Received = { ids: [], at: new Map() };
    received.push(mine);
    const r = await fetch(`${base}/sweeps/${created.id}/events`, { headers: auth, signal: controller.signal });
    const reader = r.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        for (let cut = buffer.indexOf('\n\n'); cut !== -1; cut = buffer.indexOf('\n\n')) {
          const frame = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const idLine = frame.split('\n').find((l) => l.startsWith('id: '));
          if (!idLine) continue;
          const n = Number(idLine.slice(4));
          mine.ids.push(n);
          mine.at.set(n, performance.now());
        }
      }
    } catch {
      /* aborted */
    }
  });
  await new Promise((res) => setTimeout(res, 1500));
  const cells = await db.sweepTrial.findMany({ where: { sweepId: created.id }, select: { trialId: true } });
  const written = new Map<number, number>();
  const t0 = performance.now();
  for (let e = 1; e <= epochs; e++) {
    for (const { trialId } of cells) {
      await db.$executeRaw`
        INSERT INTO "EpochMetric" ("trialId", epoch, "trainLoss", "trainAcc", "testLoss", "testTop1", "testTop5", lr, seconds, attempt)
        VALUES (${trialId}, ${e}, 1, 0.5, 1, 0.5, 0.9, 0.1, 1.5, 1)`;
      const [row] = await db.$queryRaw<{ id: bigint }[]>`
        SELECT id FROM "TrialEvent" WHERE "trialId" = ${trialId} AND type = 'epoch' ORDER BY id DESC LIMIT 1`;
      written.set(Number(row!.id), performance.now());
    }
    await new Promise((res) => setTimeout(res, 100));
  }
  const events = (
    await db.$queryRaw<{ id: bigint }[]>`
    SELECT e.id FROM "TrialEvent" e JOIN "SweepTrial" st ON st."trialId" = e."trialId" WHERE st."sweepId" = ${created.id} ORDER BY e.id`
  ).map((e) => Number(e.id));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && received.some((r) => r.ids.length < events.length)) await new Promise((res) => setTimeout(res, 100));
  const sent = performance.now() - t0;
  controller.abort();
  await Promise.allSettled(streams);
  const complete = received.filter((r) => r.ids.length === events.length && r.ids.every((id, i) => id === events[i])).length;
  const lags: number[] = [];
  for (const r of received) for (const [id, at] of r.at) if (written.has(id)) lags.push(at - written.get(id)!);
  say(`SSE: ${complete}/${listeners} listeners got all ${events.length} events in order (${ms(sent)})`);
  return [
    `SSE: ${listeners} listeners, ${trials} trials × ${epochs} epochs reported (${events.length} events)`,
    `${complete}/${listeners} complete and in order; delivery lag p50 ${ms(quantile(lags, 0.5))}, p95 ${ms(quantile(lags, 0.95))}`,
    'all, in order',
    verdict(complete === listeners),
  ];
}
