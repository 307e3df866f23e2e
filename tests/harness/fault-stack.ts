// A whole ablate stack on private servers a test may break: its own Postgres and Redis (never the shared ones), the
// API as a real process (with the reconciler inside), worker processes each with its own local scratch folder, and a
// blob store (a directory, or S3 when given). An audit trigger records every trial status change, epoch write and
// artifact write, so a test can prove that nothing was written twice or by a worker that had lost its lease.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase, createDb, type Db, migrate } from '@ablate/db';
import pg from 'pg';
import { ROOT } from '../helpers/index.js';
import { type PostgresServer, startPostgresServer } from './postgres-server.js';
import { freePort } from './processes.js';
import { type RedisServer, startRedisServer } from './redis-server.js';

export interface StackOptions {
  /** Worker environment overrides (lease, checkpoints). */
  worker?: NodeJS.ProcessEnv;
  /** API environment overrides (reconciler interval, lease grace). */
  api?: NodeJS.ProcessEnv;
  /** Blob store variables (e.g. an S3 server's env); default: a directory store in the stack's folder. */
  store?: Record<string, string>;
  log?: string;
}

/** Test defaults: a 3 s lease renewed every 500 ms, a checkpoint every epoch, a reconciler pass every 200 ms. */
export const FAST_WORKER = { LEASE_MS: '3000', LEASE_HEARTBEAT_MS: '500', ABLATE_CHECKPOINT_EVERY: '1', STALLED_INTERVAL_MS: '5000' };

export interface Stack {
  pg: PostgresServer;
  redis: RedisServer;
  databaseUrl: string;
  apiUrl: string;
  db: Db;
  dir: string;
  api: ChildProcess;
  workers: ChildProcess[];
  startWorker(extra?: NodeJS.ProcessEnv): ChildProcess;
  restartApi(): Promise<void>;
  /** fetch against the API with a deadline; resolves with status, body and how long it took. */
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Answer>;
  audit(): Promise<AuditRow[]>;
  close(): Promise<void>;
}

export interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read answers of many routes loosely, asserting on what they check.
  body: any;
  ms: number;
}

export interface AuditRow {
  id: number;
  kind: 'status' | 'epoch' | 'artifact';
  trialId: string;
  detail: Record<string, unknown>;
  at: Date;
}

export async function startStack(o: StackOptions = {}): Promise<Stack> {
  const dir = await mkdtemp(join(tmpdir(), 'ablate-fault-'));
  const [pgServer, redis] = await Promise.all([startPostgresServer(), startRedisServer()]);
  const databaseUrl = pgServer.url('ablate');
  await createDatabase(databaseUrl);
  await migrate(databaseUrl);
  await installAudit(databaseUrl);
  const port = await freePort();
  const common = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    ABLATE_QUEUE: 'redis',
    REDIS_URL: redis.url,
    ABLATE_STORE: 'dir',
    ABLATE_STORE_DIR: join(dir, 'store'),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    LOG_LEVEL: o.log ?? process.env.ABLATE_TEST_WORKER_LOG ?? 'error',
    ...o.store,
  };
  // The API makes an admin key for the harness's requests and keeps it in this file.
  const keyFile = join(dir, 'api-key');
  const apiEnv = {
    ...common,
    PORT: String(port),
    HOST: '127.0.0.1',
    RECONCILER_INTERVAL_MS: '200',
    LEASE_GRACE_MS: '3000',
    ABLATE_KEY_FILE: keyFile,
    ...o.api,
  };
  const startApi = () => spawn(process.execPath, ['--import', 'tsx', `${ROOT}apps/api/src/server.ts`], { cwd: ROOT, env: apiEnv, stdio: 'inherit' });
  const apiUrl = `http://127.0.0.1:${port}`;
  const db = createDb(databaseUrl, { max: 3, connectTimeoutMs: 1000 });
  const workers: ChildProcess[] = [];
  let n = 0;
  const stack: Stack = {
    pg: pgServer,
    redis,
    databaseUrl,
    apiUrl,
    db,
    dir,
    api: startApi(),
    workers,
    startWorker(extra = {}) {
      n++;
      const w = spawn(process.execPath, ['--import', 'tsx', `${ROOT}apps/worker/src/main.ts`], {
        cwd: ROOT,
        env: { ...common, ABLATE_RUNS_DIR: join(dir, `runs-${n}`), WORKER_NAME: `w${n}`, ...FAST_WORKER, ...o.worker, ...extra },
        stdio: 'inherit',
      });
      workers.push(w);
      return w;
    },
    async restartApi() {
      await stopChild(stack.api);
      stack.api = startApi();
      await waitUp(apiUrl);
    },
    async request(method, path, body, headers = {}) {
      const t0 = performance.now();
      try {
        const auth = { authorization: `Bearer ${(await readFile(keyFile, 'utf8').catch(() => '')).trim()}` };
        const r = await fetch(`${apiUrl}${path}`, {
          method,
          headers: body === undefined ? { ...auth, ...headers } : { 'content-type': 'application/json', ...auth, ...headers },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(10_000),
        });
        const text = await r.text();
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {}
        return { status: r.status, body: parsed, ms: performance.now() - t0 };
      } catch (err) {
        return { status: 0, body: String(err), ms: performance.now() - t0 };
      }
    },
    async audit() {
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      try {
        const r = await c.query(`SELECT id, kind, trial_id AS "trialId", detail, at FROM ablate_audit ORDER BY id`);
        return r.rows.map((row) => ({ ...row, id: Number(row.id) }));
      } finally {
        await c.end();
      }
    },
    async close() {
      for (const w of workers) await stopChild(w);
      await stopChild(stack.api);
      await db.$disconnect().catch(() => undefined);
      await Promise.all([pgServer.close(), redis.close()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
  await waitUp(apiUrl);
  return stack;
}

async function waitUp(apiUrl: string): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    try {
      const r = await fetch(`${apiUrl}/health`, { signal: AbortSignal.timeout(2000) });
      if (r.status === 200) return;
    } catch {}
    if (Date.now() - t0 > 60_000) throw new Error('the API did not come up within 60 s');
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** SIGKILL (a frozen process cannot act on SIGTERM) and wait for the exit. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  if (signal === 'SIGKILL') child.kill('SIGCONT');
  child.kill(signal);
  await exited;
}

/** Trigger-written history of the trial table's status changes and of every epoch and artifact write. */
async function installAudit(databaseUrl: string): Promise<void> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    await c.query(`
      CREATE TABLE ablate_audit (id bigserial PRIMARY KEY, kind text NOT NULL, trial_id text NOT NULL, detail jsonb NOT NULL,
                                 at timestamptz NOT NULL DEFAULT clock_timestamp());
      CREATE FUNCTION ablate_audit_trial() RETURNS trigger AS $$ BEGIN
        IF NEW.status IS DISTINCT FROM OLD.status THEN
          INSERT INTO ablate_audit (kind, trial_id, detail) VALUES ('status', NEW.id,
            jsonb_build_object('from', OLD.status, 'to', NEW.status, 'worker', NEW."workerId", 'attempts', NEW.attempts, 'error', NEW.error));
        END IF; RETURN NEW; END $$ LANGUAGE plpgsql;
      CREATE TRIGGER ablate_audit_trial AFTER UPDATE ON "Trial" FOR EACH ROW EXECUTE FUNCTION ablate_audit_trial();
      CREATE FUNCTION ablate_audit_epoch() RETURNS trigger AS $$ BEGIN
        INSERT INTO ablate_audit (kind, trial_id, detail) VALUES ('epoch', NEW."trialId",
          jsonb_build_object('epoch', NEW.epoch, 'attempt', NEW.attempt, 'op', TG_OP));
        RETURN NEW; END $$ LANGUAGE plpgsql;
      CREATE TRIGGER ablate_audit_epoch AFTER INSERT OR UPDATE ON "EpochMetric" FOR EACH ROW EXECUTE FUNCTION ablate_audit_epoch();
      CREATE FUNCTION ablate_audit_artifact() RETURNS trigger AS $$ BEGIN
        INSERT INTO ablate_audit (kind, trial_id, detail) VALUES ('artifact', NEW."trialId", jsonb_build_object('kind', NEW.kind, 'op', TG_OP));
        RETURN NEW; END $$ LANGUAGE plpgsql;
      CREATE TRIGGER ablate_audit_artifact AFTER INSERT OR UPDATE ON "Artifact" FOR EACH ROW EXECUTE FUNCTION ablate_audit_artifact();
    `);
  } finally {
    await c.end();
  }
}

/**
 * What every finished sweep must show: each trial done exactly once (one transition to done in the audit), with one
 * EpochMetric per epoch 1..E and one artifact per kind; no trial left queued or running. Returns a list of violations.
 */
export async function exactlyOnceViolations(stack: Stack, sweepIds: string[]): Promise<string[]> {
  const out: string[] = [];
  const audit = await stack.audit();
  const doneTransitions = new Map<string, number>();
  for (const a of audit) if (a.kind === 'status' && a.detail.to === 'done') doneTransitions.set(a.trialId, (doneTransitions.get(a.trialId) ?? 0) + 1);
  const cells = await stack.db.sweepTrial.findMany({
    where: { sweepId: { in: sweepIds } },
    include: { trial: { include: { epochs: { orderBy: { epoch: 'asc' } }, artifacts: true } } },
  });
  for (const { trial: t } of cells) {
    const epochs = (t.config as { epochs: number }).epochs;
    if (t.status !== 'done') out.push(`${t.id}: ${t.status} (${JSON.stringify(t.error)})`);
    if ((doneTransitions.get(t.id) ?? 0) !== 1) out.push(`${t.id}: completed ${doneTransitions.get(t.id) ?? 0} times`);
    const seen = t.epochs.map((e) => e.epoch).join(',');
    const want = Array.from({ length: epochs }, (_, i) => i + 1).join(',');
    if (seen !== want) out.push(`${t.id}: epochs [${seen}], want [${want}]`);
    const kinds = t.artifacts.map((a) => a.kind).sort();
    if (new Set(kinds).size !== kinds.length) out.push(`${t.id}: duplicate artifacts ${kinds}`);
    for (const k of ['checkpoint', 'curves', 'evaluation']) if (!kinds.includes(k)) out.push(`${t.id}: no ${k} artifact`);
  }
  return out;
}

/** Polls until every trial of the sweeps ended (no queued or running left). */
export async function waitSweepsEnded(stack: Stack, sweepIds: string[], timeoutMs: number): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    try {
      const open = await stack.db.sweepTrial.count({ where: { sweepId: { in: sweepIds }, trial: { status: { in: ['queued', 'running'] } } } });
      if (open === 0) return;
    } catch {}
    if (Date.now() - t0 > timeoutMs) throw new Error(`sweeps not finished after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** A tiny trial config for fault tests: a few seconds per trial on wasm, `epochs` epochs. */
export function tinySpec(name: string, o: { epochs?: number; lrs?: number[]; seeds?: number[]; trainSize?: number } = {}) {
  return {
    name,
    base: {
      dataset: { name: 'procedural', classes: 4, trainSize: o.trainSize ?? 256, testSize: 32, imageSize: 8 },
      model: { name: 'tiny_cnn', width: 4 },
      optimizer: { name: 'sgd', lr: 0.05, momentum: 0.9 },
      epochs: o.epochs ?? 4,
      batchSize: 32,
    },
    axes: { 'optimizer.lr': o.lrs ?? [0.05] },
    seeds: o.seeds ?? [0],
  };
}
