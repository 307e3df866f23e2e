// The worker process: loads its backend once (in a probe child) to learn which trials it may run, registers itself in
// Postgres (unique id: name, pid, random suffix) with a heartbeat, and consumes the matching queues (trials, plus
// trials-gpu / trials-<backend> it satisfies), one child trainer per trial under a fenced lease (attempt.ts).
// SIGTERM/SIGINT: stop taking jobs, interrupt running trainers (they checkpoint; an interruption is never an attempt),
// exit; a second signal exits at once. SIGUSR2 or a drain request (POST /workers/:id/drain): finish the current
// trial, then exit. After MAX_FAILURES_IN_ROW trials in a row fail on it (crashes, not bad configs) it stops taking
// work and says why in GET /workers.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { countWorkerTrial, createDb, registerWorker, workerHeartbeat, workerStopped, type WorkerState } from '@ablate/db';
import { queueConnectionFromEnv, startTrialWorkers } from '@ablate/queue';
import { openStoreFromEnv } from '@ablate/store';
import { jobCatalog, queuesForBackend, redactingLogOptions } from '@ablate/spec';
import { pino } from 'pino';
import { runDelivery, type DeliveryResult } from './attempt.js';
import { parseEnv } from './env.js';
import { withRetry } from './infra-retry.js';
import { probeBackend, type TrainerHandle } from './trainer/spawn.js';

const env = parseEnv();
const workerId = `${env.WORKER_NAME}.${process.pid}.${randomBytes(2).toString('hex')}`;
const log = pino({ level: env.LOG_LEVEL, base: { service: 'ablate-worker', workerId }, ...redactingLogOptions });
// Until the worker runs, a stop signal is only noted; start-up then ends cleanly (the worker recorded stopped if it
// was already registered) instead of dying half-registered.
let stopBeforeStart: string | undefined;
const noteStop = (signal: string) => {
  stopBeforeStart = signal;
};
process.on('SIGTERM', noteStop);
process.on('SIGINT', noteStop);
process.on('SIGUSR2', noteStop);

let backend: Awaited<ReturnType<typeof probeBackend>>;
try {
  backend = await probeBackend(env.ABLATE_BACKEND);
} catch (err) {
  log.fatal({ backend: env.ABLATE_BACKEND, err: (err as Error).message }, 'cannot load the backend; not starting');
  process.exit(1);
}
if (stopBeforeStart) process.exit(0);
const queues = queuesForBackend(backend);
if (!queues.includes(`trials${env.WORKER_REQUIRE === 'any' ? '' : `-${env.WORKER_REQUIRE}`}`)) {
  log.fatal(
    { backend: backend.name, device: backend.device, require: env.WORKER_REQUIRE },
    `loaded backend does not satisfy WORKER_REQUIRE=${env.WORKER_REQUIRE}; not starting`,
  );
  process.exit(1);
}

const db = createDb(env.DATABASE_URL, { max: 4, connectTimeoutMs: 3_000 });
const store = openStoreFromEnv(process.env);
const retry = { maxMs: env.INFRA_RETRY_MS, firstDelayMs: 250, maxDelayMs: 5_000 };
await withRetry(
  'register worker',
  () =>
    registerWorker(db, {
      id: workerId,
      name: env.WORKER_NAME,
      host: hostname(),
      pid: process.pid,
      backend: backend.name,
      device: backend.device,
      queues,
      versions: { node: process.version, backendPackage: backend.package, backendVersion: backend.version, store: store.describe() },
    }),
  log,
  retry,
);
if (stopBeforeStart) {
  await workerStopped(db, workerId, stopBeforeStart).catch(() => undefined);
  process.exit(0);
}
// From here on (same tick as the check above) signals stop the running worker.
process.off('SIGTERM', noteStop);
process.off('SIGINT', noteStop);
process.off('SIGUSR2', noteStop);
process.on('SIGTERM', () => void shutdown('SIGTERM', 'SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT', 'SIGINT'));
process.on('SIGUSR2', () => startDrain('SIGUSR2'));

const active = new Set<TrainerHandle>();
let current: string | null = null;
let state: WorkerState = 'idle';
let reason: string | null = null;
let failuresInRow = 0;
const recentFailures: string[] = [];
let stopping = false;

const workers = startTrialWorkers(
  queueConnectionFromEnv(process.env),
  queues,
  async (job) => {
    const r = await runDelivery(job, {
      db,
      store,
      log,
      workerId,
      backend: env.ABLATE_BACKEND,
      active,
      runsDir: env.ABLATE_RUNS_DIR,
      checkpointEvery: env.ABLATE_CHECKPOINT_EVERY,
      checkpointSeconds: env.ABLATE_CHECKPOINT_SECONDS,
      tensorboard: env.ABLATE_TENSORBOARD,
      leaseMs: env.LEASE_MS,
      heartbeatMs: env.LEASE_HEARTBEAT_MS,
      maxAttempts: jobCatalog['trial.run'].maxAttempts,
      retry,
      onTrial: (trialId) => {
        current = trialId;
        if (state === 'idle' || state === 'training') state = trialId ? 'training' : 'idle';
      },
    });
    await afterDelivery(r);
    return r;
  },
  { concurrency: env.WORKER_CONCURRENCY, lockDurationMs: env.LOCK_DURATION_MS, stalledIntervalMs: env.STALLED_INTERVAL_MS, name: workerId },
);
// The queue's connection errors while Redis is away: BullMQ reconnects by itself; say so once in a while, not per retry.
let lastQueueError = 0;
workers.on('error', (err) => {
  if (Date.now() - lastQueueError > 10_000) log.warn({ err: err.message }, 'queue error (reconnecting)');
  lastQueueError = Date.now();
});
log.info(
  { queue: env.ABLATE_QUEUE, backend: backend.name, device: backend.device, version: backend.version, queues, store: store.describe() },
  'worker started',
);

/** Failures that are the trial's own (its config), not the worker's. */
const TRIAL_FAULTS = new Set(['ERR_INVALID_CONFIG', 'ERR_UNKNOWN_COMPONENT', 'ERR_DIVERGED', 'ERR_CONFIG_HASH']);

async function afterDelivery(r: DeliveryResult): Promise<void> {
  if (r.kind === 'done') {
    failuresInRow = 0;
    await countWorkerTrial(db, workerId, 'done').catch(() => undefined);
  } else if (r.kind === 'ended' && (r.outcome === 'retry' || (r.outcome === 'failed' && !TRIAL_FAULTS.has(r.code)))) {
    // Crashes, out of memory, a trainer that cannot start: the worker may be the problem. A config that cannot run
    // (invalid, diverging) says nothing about the worker and never counts here.
    failuresInRow++;
    recentFailures.push(`${r.trialId}: ${r.code}`);
    if (recentFailures.length > env.MAX_FAILURES_IN_ROW) recentFailures.shift();
    await countWorkerTrial(db, workerId, 'failed').catch(() => undefined);
    if (failuresInRow >= env.MAX_FAILURES_IN_ROW && state !== 'unhealthy') {
      state = 'unhealthy';
      reason = `${failuresInRow} trials failed in a row on this worker (${recentFailures.join('; ')}); it takes no more work until restarted`;
      log.error({ reason }, 'stopping taking work');
      await workers.pause();
      void beat();
    }
  }
  if (state === 'draining' && active.size === 0) void shutdown('drained', 'drain');
}

async function beat(): Promise<void> {
  try {
    const { drain } = await workerHeartbeat(db, workerId, { state, trialId: current, reason });
    if (drain && state !== 'draining' && !stopping) startDrain('drain requested through the API');
  } catch (err) {
    log.debug({ err: (err as Error).message }, 'worker heartbeat failed');
  }
}
const heartbeat = setInterval(() => void beat(), env.LEASE_HEARTBEAT_MS);

function startDrain(why: string): void {
  log.info({ why, running: active.size }, 'draining: finishing the current trial, then exiting');
  state = 'draining';
  reason = why;
  void workers.pause().then(() => {
    if (active.size === 0) void shutdown('drained', 'drain');
  });
  void beat();
}

async function shutdown(why: string, signal: string) {
  if (stopping) {
    if (signal !== 'drain') {
      for (const t of active) t.kill();
      process.exit(1);
    }
    return;
  }
  stopping = true;
  log.info({ signal, running: active.size }, 'shutting down');
  // Interrupted trainers checkpoint and end their attempt as an interruption (the trial goes back to queued).
  for (const t of active) t.stop();
  const force = setTimeout(() => {
    log.warn('trainers did not stop within 60 s; exiting');
    process.exit(1);
  }, 60_000);
  force.unref();
  clearInterval(heartbeat);
  // With nothing running the worker is stopped now: closing the queue connections can take seconds on a loaded
  // machine, and a supervisor's SIGKILL in that window must not leave the worker listed as idle and live.
  const idleAtStop = active.size === 0;
  if (idleAtStop) await workerStopped(db, workerId, why).catch(() => undefined);
  await workers.close().catch(() => undefined);
  if (!idleAtStop) await workerStopped(db, workerId, why).catch(() => undefined);
  await store.close().catch(() => undefined);
  await db.$disconnect();
  process.exit(0);
}
