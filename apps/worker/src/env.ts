// The worker's environment, parsed once at start with a message naming every bad variable.
import { homedir, hostname } from 'node:os';
import { join } from 'node:path';
import { BACKEND_CHOICES, BackendRequirement } from '@ablate/spec';
import { z } from 'zod';

export const WorkerEnv = z.object({
  DATABASE_URL: z.string().url('must be a postgresql:// URL'),
  ABLATE_QUEUE: z.enum(['redis', 'postgres']).default('redis'),
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  ABLATE_QUEUE_PREFIX: z.string().optional(),
  /** Backend the trainer loads: auto tries tensorflow-gpu, tensorflow, wasm, cpu in that order. */
  ABLATE_BACKEND: z.enum(BACKEND_CHOICES).default('auto'),
  WORKER_ID: z.string().min(1).default(`${hostname()}-${process.pid}`),
  /** Refuse to start unless the loaded backend satisfies this (e.g. 'gpu' on a GPU box whose driver is broken). */
  WORKER_REQUIRE: BackendRequirement.default('any'),
  /** Trials this process runs at once; keep 1 per GPU (run one worker per GPU with CUDA_VISIBLE_DEVICES). */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  /** BullMQ lock lease; the parent renews it while the child trains. */
  LOCK_DURATION_MS: z.coerce.number().int().min(1000).default(30_000),
  /** How often to look for trials whose worker died (expired lock) and requeue them. */
  STALLED_INTERVAL_MS: z.coerce.number().int().min(1000).default(30_000),
  /** Per-trial checkpoints and TensorBoard files: <dir>/<trialId>/{checkpoints,tensorboard}. Share it between machines for cross-machine resume. */
  ABLATE_RUNS_DIR: z
    .string()
    .min(1)
    .default(join(homedir(), '.cache', 'ablate', 'runs')),
  /** Checkpoint every this many epochs (0: only the final one and on SIGTERM); the study saved every 10. */
  ABLATE_CHECKPOINT_EVERY: z.coerce.number().int().min(0).default(10),
  /** Write TensorBoard event files (per-epoch loss, accuracy, lr) next to the database records. */
  ABLATE_TENSORBOARD: z
    .enum(['0', '1', 'true', 'false'])
    .default('1')
    .transform((v) => v === '1' || v === 'true'),
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
