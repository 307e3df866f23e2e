// The worker's environment, parsed once at start with a message naming every bad variable.
import { homedir, hostname } from 'node:os';
import { join } from 'node:path';
import { BACKEND_CHOICES, BackendRequirement, DataRootsEnv } from '@ablate/spec';
import { z } from 'zod';

export const WorkerEnv = z.object({
  DATABASE_URL: z.string().url('must be a postgresql:// URL'),
  ABLATE_QUEUE: z.enum(['redis', 'postgres']).default('redis'),
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  ABLATE_QUEUE_PREFIX: z.string().optional(),
  /** Backend the trainer loads: auto tries tensorflow-gpu, tensorflow, wasm, cpu in that order. */
  ABLATE_BACKEND: z.enum(BACKEND_CHOICES).default('auto'),
  /**
   * Names the worker in logs and GET /workers (launch.ts sets host-gpu0, host-cpu1, …). The worker's id adds the pid
   * and a random suffix, so two launchers on one host never share an id.
   */
  WORKER_NAME: z.string().min(1).max(100).default(hostname()),
  /** Refuse to start unless the loaded backend satisfies this (e.g. 'gpu' on a GPU box whose driver is broken). */
  WORKER_REQUIRE: BackendRequirement.default('any'),
  /** Trials this process runs at once; keep 1 per GPU (run one worker per GPU with CUDA_VISIBLE_DEVICES). */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  /**
   * The trial lease in Postgres: renewed every LEASE_HEARTBEAT_MS; a worker silent for this long (killed, frozen, cut
   * off) loses its trial, which the reconciler requeues to resume from its last checkpoint.
   */
  LEASE_MS: z.coerce.number().int().min(1000).default(10_000),
  LEASE_HEARTBEAT_MS: z.coerce.number().int().min(100).default(2_000),
  /** BullMQ's delivery lock (delivery only: the lease in Postgres decides who owns a trial). */
  LOCK_DURATION_MS: z.coerce.number().int().min(1000).default(30_000),
  STALLED_INTERVAL_MS: z.coerce.number().int().min(1000).default(30_000),
  /** Stop taking work after this many trials in a row failed on this worker (a broken GPU, driver or disk). */
  MAX_FAILURES_IN_ROW: z.coerce.number().int().min(1).default(3),
  /** How long a database or blob-store outage is waited out before an operation gives up. */
  INFRA_RETRY_MS: z.coerce.number().int().min(1000).default(300_000),
  /** Local scratch for running trials (checkpoints and TensorBoard files before they go to the blob store, ABLATE_STORE). */
  ABLATE_RUNS_DIR: z
    .string()
    .min(1)
    .default(join(homedir(), '.cache', 'ablate', 'runs')),
  /** Checkpoint every this many epochs (0: only the final one and on SIGTERM); the study saved every 10. */
  ABLATE_CHECKPOINT_EVERY: z.coerce.number().int().min(0).default(10),
  /** Also checkpoint every this many seconds of training, at a batch boundary (0: off): a crash costs minutes, not hours. */
  ABLATE_CHECKPOINT_SECONDS: z.coerce.number().min(0).default(600),
  /** Write TensorBoard event files (per-epoch loss, accuracy, lr) next to the database records. */
  ABLATE_TENSORBOARD: z
    .enum(['0', '1', 'true', 'false'])
    .default('1')
    .transform((v) => v === '1' || v === 'true'),
  ...DataRootsEnv.shape,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
export type WorkerEnv = z.output<typeof WorkerEnv>;

export function parseEnv(env: NodeJS.ProcessEnv = process.env): WorkerEnv {
  const r = WorkerEnv.safeParse(env);
  if (!r.success) {
    throw new Error(`invalid environment:\n${r.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  return r.data;
}
