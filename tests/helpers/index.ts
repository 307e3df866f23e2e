// Per-file test resources: a database cloned from the run's migrated template, a Redis key prefix, a queue,
// and the API built on them. Each is dropped after the file.
import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from '@ablate/api';
import { Reconciler } from '../../apps/api/src/reconciler/reconciler.js';
import { createApiKey, createDb, type Db } from '@ablate/db';
import { openTrialQueue, type QueueConnection, type TrialQueue } from '@ablate/queue';
import { DirStore } from '@ablate/store';
import { pino } from 'pino';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface TestEnv {
  databaseUrl: string;
  redisUrl: string;
  prefix: string;
  queueConnection: QueueConnection;
  db: Db;
  queue: TrialQueue;
  /** This test's files: workers' scratch in <dir>/runs, the blob store (checkpoints, TensorBoard) in <dir>/store. */
  runsDir: string;
  storeDir: string;
  close(): Promise<void>;
}

/** CREATE DATABASE … TEMPLATE: a migrated database in ~100 ms. */
export async function cloneTestDatabase(): Promise<string> {
  const template = new URL(inject('templateDatabaseUrl'));
  const name = `ablate_test_${inject('runId')}_${randomBytes(4).toString('hex')}`;
  const admin = new URL(template.toString());
  admin.pathname = '/postgres';
  const c = new pg.Client({ connectionString: admin.toString() });
  await c.connect();
  try {
    await c.query(`CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE ${pg.escapeIdentifier(template.pathname.slice(1))}`);
  } finally {
    await c.end();
  }
  template.pathname = `/${name}`;
  return template.toString();
}

export async function setupTestEnv(): Promise<TestEnv> {
  const databaseUrl = await cloneTestDatabase();
  const redisUrl = inject('redisUrl');
  const prefix = `ablate-test-${inject('runId')}-${randomBytes(3).toString('hex')}`;
  const queueConnection: QueueConnection = { kind: 'redis', url: redisUrl, prefix };
  const db = createDb(databaseUrl, { max: 4 });
  const queue = openTrialQueue(queueConnection);
  const dir = await mkdtemp(join(tmpdir(), 'ablate-test-runs-'));
  return {
    databaseUrl,
    redisUrl,
    prefix,
    queueConnection,
    db,
    queue,
    runsDir: join(dir, 'runs'),
    storeDir: join(dir, 'store'),
    async close() {
      await rm(dir, { recursive: true, force: true });
      await queue.obliterate().catch(() => undefined);
      await queue.close();
      await db.$disconnect();
      const { dropDatabase } = await import('@ablate/db');
      await dropDatabase(databaseUrl);
    },
  };
}

export async function testApp(env: TestEnv) {
  return buildApp({ db: env.db, trialQueue: env.queue, store: new DirStore(env.storeDir) });
}

/**
 * The app with an admin key of the project "default" sent on every `inject` that names no Authorization header of its
 * own (`headers: { authorization: '' }` sends none), so tests read as requests of one signed-in user.
 */
async function keyedTestApp(env: TestEnv) {
  const app = await testApp(env);
  const { key } = await createApiKey(env.db, { projectId: 'default', scope: 'admin', name: 'tests' });
  const inject = app.inject.bind(app);
  const withKey = (opts: unknown) => {
    if (typeof opts !== 'object' || opts === null) return opts;
    const o = opts as { headers?: Record<string, unknown> };
    const headers = { authorization: `Bearer ${key}`, ...o.headers };
    if (headers.authorization === '') delete (headers as { authorization?: unknown }).authorization;
    return { ...o, headers };
  };
  app.inject = ((opts?: unknown, cb?: unknown) => (inject as (a: unknown, b?: unknown) => unknown)(withKey(opts), cb)) as typeof app.inject;
  return { app, key };
}

/** The reconciler on the test's database and queue, passing every 200 ms (the API process runs one in production). */
export function startReconciler(env: TestEnv, o: { leaseGraceMs?: number; intervalMs?: number } = {}): Reconciler {
  return new Reconciler({
    databaseUrl: env.databaseUrl,
    db: env.db,
    queue: env.queue,
    log: pino({ level: process.env.ABLATE_TEST_WORKER_LOG ?? 'warn' }),
    intervalMs: o.intervalMs ?? 200,
    leaseGraceMs: o.leaseGraceMs ?? 1_000,
    verifyAfterMs: 1_000,
  }).start();
}

/** The environment a worker process gets to run on the test database, queue and runs directory. */
export function workerEnv(env: TestEnv, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: env.databaseUrl,
    ABLATE_QUEUE: 'redis',
    REDIS_URL: env.redisUrl,
    ABLATE_QUEUE_PREFIX: env.prefix,
    ABLATE_RUNS_DIR: env.runsDir,
    ABLATE_STORE: 'dir',
    ABLATE_STORE_DIR: env.storeDir,
    LOG_LEVEL: process.env.ABLATE_TEST_WORKER_LOG ?? 'warn',
    ...extra,
  };
}

/** Starts a real worker process (apps/worker) on the test database and queue. */
export function startWorker(env: TestEnv, extra: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', `${ROOT}apps/worker/src/main.ts`], {
    cwd: ROOT,
    env: workerEnv(env, extra),
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

/**
 * A test file's resources, set up before its tests and released after them: the test environment, the API on it, and
 * every worker started through `startWorker` (stopped first).
 */
export function useTestApp() {
  let env: TestEnv | undefined;
  let app: Awaited<ReturnType<typeof testApp>> | undefined;
  let key = '';
  let reconciler: Reconciler | undefined;
  const workers: ChildProcess[] = [];
  beforeAll(async () => {
    env = await setupTestEnv();
    ({ app, key } = await keyedTestApp(env));
    reconciler = startReconciler(env);
  });
  afterAll(async () => {
    for (const w of workers) await stopProcess(w);
    await reconciler?.stop();
    await app?.close();
    await env?.close();
  });
  return {
    get env(): TestEnv {
      return env!;
    },
    get app(): Awaited<ReturnType<typeof testApp>> {
      return app!;
    },
    /** An admin key of the project "default"; `inject` sends it unless told otherwise. */
    get key(): string {
      return key;
    },
    /** Headers for a request from outside (fetch, the CLI, a browser) with that key. */
    get authHeaders(): Record<string, string> {
      return { authorization: `Bearer ${key}` };
    },
    startWorker(extra: NodeJS.ProcessEnv = {}): ChildProcess {
      const w = startWorker(env!, extra);
      workers.push(w);
      return w;
    },
  };
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(t);
}

/** Polls `fn` until it returns a truthy value or the timeout passes. */
export async function waitFor<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs: number, what: string): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Waits until the test database's only trial is done; returns it with its epochs in order. */
export function waitForTrialDone(db: Db, timeoutMs: number, what: string) {
  return waitFor(
    async () => {
      const trial = await db.trial.findFirstOrThrow({ include: { epochs: { orderBy: { epoch: 'asc' } } } });
      return trial.status === 'done' ? trial : undefined;
    },
    timeoutMs,
    what,
  );
}
