// The worker process: consumes trial jobs from the queue, one child trainer per trial, results into Postgres.
// Run one per GPU (CUDA_VISIBLE_DEVICES=i). SIGTERM: stop taking jobs, stop running trainers (their jobs are
// retried elsewhere), exit; a second signal exits at once.
import { createDb, failTrialIfActive } from '@ablate/db';
import { queueConnectionFromEnv, startTrialWorker } from '@ablate/queue';
import { pino } from 'pino';
import { parseEnv } from './env.js';
import { runTrial } from './run-trial.js';
import type { TrainerHandle } from './trainer/spawn.js';

const env = parseEnv();
const log = pino({ level: env.LOG_LEVEL, base: { service: 'ablate-worker', workerId: env.WORKER_ID } });
const db = createDb(env.DATABASE_URL, { max: 4 });
const active = new Set<TrainerHandle>();
const worker = startTrialWorker(
  queueConnectionFromEnv(process.env),
  (job) => runTrial(job, { db, log, workerId: env.WORKER_ID, backend: env.ABLATE_BACKEND, active }),
  { concurrency: env.WORKER_CONCURRENCY, lockDurationMs: env.LOCK_DURATION_MS, stalledIntervalMs: env.STALLED_INTERVAL_MS, name: env.WORKER_ID },
);
worker.on('error', (err) => log.error({ err }, 'worker error'));
worker.on('failed', (job, err) => {
  log.debug({ jobId: job?.id, err: err.message }, 'job failed');
  // The processor records its own failures; this catches jobs failed without it (stalled past the limit).
  if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) {
    void failTrialIfActive(db, String(job.id), { code: 'ERR_STALLED', message: err.message })
      .then((changed) => changed && log.warn({ trialId: job.id, err: err.message }, 'trial failed: its job was abandoned'))
      .catch((e: unknown) => log.error({ err: e }, 'could not record an abandoned trial'));
  }
});
log.info({ queue: env.ABLATE_QUEUE, backend: env.ABLATE_BACKEND, concurrency: env.WORKER_CONCURRENCY }, 'worker started');

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) {
    for (const t of active) t.kill();
    process.exit(1);
  }
  stopping = true;
  log.info({ signal, running: active.size }, 'shutting down');
  for (const t of active) t.stop();
  await worker.close();
  await db.$disconnect();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
