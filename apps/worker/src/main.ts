// The worker process: loads its backend once (in a probe child) to learn which trials it may run, then consumes the
// matching queues (trials, plus trials-gpu / trials-<backend> it satisfies), one child trainer per trial, results into
// Postgres. Run one per GPU (CUDA_VISIBLE_DEVICES=i; launch.ts does it). SIGTERM: stop taking jobs, stop running
// trainers (their jobs are retried elsewhere), exit; a second signal exits at once.
import { createDb, failTrialIfActive } from '@ablate/db';
import { queueConnectionFromEnv, startTrialWorkers } from '@ablate/queue';
import { queuesForBackend, redactingLogOptions } from '@ablate/spec';
import { pino } from 'pino';
import { parseEnv } from './env.js';
import { runTrial } from './run-trial.js';
import { probeBackend, type TrainerHandle } from './trainer/spawn.js';

const env = parseEnv();
const log = pino({ level: env.LOG_LEVEL, base: { service: 'ablate-worker', workerId: env.WORKER_ID }, ...redactingLogOptions });

let backend: Awaited<ReturnType<typeof probeBackend>>;
try {
  backend = await probeBackend(env.ABLATE_BACKEND);
} catch (err) {
  log.fatal({ backend: env.ABLATE_BACKEND, err: (err as Error).message }, 'cannot load the backend; not starting');
  process.exit(1);
}
const queues = queuesForBackend(backend);
if (!queues.includes(`trials${env.WORKER_REQUIRE === 'any' ? '' : `-${env.WORKER_REQUIRE}`}`)) {
  log.fatal(
    { backend: backend.name, device: backend.device, require: env.WORKER_REQUIRE },
    `loaded backend does not satisfy WORKER_REQUIRE=${env.WORKER_REQUIRE}; not starting`,
  );
  process.exit(1);
}

const db = createDb(env.DATABASE_URL, { max: 4 });
const active = new Set<TrainerHandle>();
const workers = startTrialWorkers(
  queueConnectionFromEnv(process.env),
  queues,
  (job) =>
    runTrial(job, {
      db,
      log,
      workerId: env.WORKER_ID,
      backend: env.ABLATE_BACKEND,
      active,
      runsDir: env.ABLATE_RUNS_DIR,
      checkpointEvery: env.ABLATE_CHECKPOINT_EVERY,
      tensorboard: env.ABLATE_TENSORBOARD,
    }),
  { concurrency: env.WORKER_CONCURRENCY, lockDurationMs: env.LOCK_DURATION_MS, stalledIntervalMs: env.STALLED_INTERVAL_MS, name: env.WORKER_ID },
);
workers.on('error', (err) => log.error({ err }, 'worker error'));
workers.on('failed', (job, err) => {
  log.debug({ jobId: job?.id, err: err.message }, 'job failed');
  // The processor records its own failures; this catches jobs failed without it (stalled past the limit).
  if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) {
    void failTrialIfActive(db, String(job.id), { code: 'ERR_STALLED', message: err.message })
      .then((changed) => changed && log.warn({ trialId: job.id, err: err.message }, 'trial failed: its job was abandoned'))
      .catch((e: unknown) => log.error({ err: e }, 'could not record an abandoned trial'));
  }
});
log.info(
  { queue: env.ABLATE_QUEUE, backend: backend.name, device: backend.device, version: backend.version, queues, concurrency: env.WORKER_CONCURRENCY },
  'worker started',
);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) {
    for (const t of active) t.kill();
    process.exit(1);
  }
  stopping = true;
  log.info({ signal, running: active.size }, 'shutting down');
  for (const t of active) t.stop();
  await workers.close();
  await db.$disconnect();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
