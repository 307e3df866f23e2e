// The job catalogue: each queue job's name, payload schema and retry policy, shared by producer (api) and consumer (worker).
import { z } from 'zod';
import { BackendRequirement } from './config/sweep-spec.js';
import { TrialConfig } from './config/trial-config.js';

export const TRIALS_QUEUE = 'trials';

/**
 * Trials are routed by backend requirement, so a worker only ever receives trials it may run: 'any' → `trials`,
 * otherwise `trials-<requirement>` (trials-gpu, trials-tensorflow, trials-wasm, trials-cpu).
 */
export function trialsQueueFor(requirement: BackendRequirement): string {
  return requirement === 'any' ? TRIALS_QUEUE : `${TRIALS_QUEUE}-${requirement}`;
}

export function requirementOfQueue(queue: string): BackendRequirement {
  return queue === TRIALS_QUEUE ? 'any' : BackendRequirement.parse(queue.slice(TRIALS_QUEUE.length + 1));
}

export const ALL_TRIAL_QUEUES = BackendRequirement.options.map(trialsQueueFor);

/** The queues a worker with this backend consumes: everything it satisfies. */
export function queuesForBackend(info: { name: string; device: string }): string[] {
  return BackendRequirement.options.filter((r) => r === 'any' || (r === 'gpu' ? info.device === 'gpu' : r === info.name)).map(trialsQueueFor);
}

export const jobCatalog = {
  'trial.run': {
    queue: TRIALS_QUEUE,
    schema: z
      .object({
        trialId: z.string().regex(/^[0-9a-f]{32}$/),
        /** Delivery generation: a job whose generation is not the trial's current one is stale and dropped. */
        generation: z.number().int().min(0),
        sweepId: z.string().min(1),
        config: TrialConfig,
        backend: BackendRequirement,
      })
      .strict(),
    /**
     * A job is a delivery, not a retry budget: BullMQ runs it once. Retries are decided in Postgres (a lost lease or a
     * crashed attempt sends the trial back to queued under a new generation, and the reconciler delivers it again);
     * a trial fails for good after `maxAttempts` counted attempts (crashes, retryable errors), or after its workers were
     * lost `maxLeaseLosses` times (a lost lease is an infrastructure fault and does not use up attempts).
     */
    attempts: 1,
    maxAttempts: 3,
    maxLeaseLosses: 10,
  },
} as const;

/** The queue's job id of a trial's delivery: `<trialId>.<generation>` (BullMQ ignores an add whose id exists). */
export function trialJobId(trialId: string, generation: number): string {
  return `${trialId}.${generation}`;
}

/**
 * BullMQ priority (1 is first, at most 2^21) from the best sweep priority (-100..100, higher sooner) and the
 * interleaved rank within the sweep (< 10,000, the largest sweep).
 */
export function trialJobPriority(sweepPriority: number, rank: number): number {
  const p = Math.max(-100, Math.min(100, Math.round(sweepPriority)));
  return (100 - p) * 10_000 + Math.max(0, Math.min(9_999, rank)) + 1;
}

export type JobName = keyof typeof jobCatalog;
export type JobPayload<K extends JobName> = z.output<(typeof jobCatalog)[K]['schema']>;
export type JobPayloadInput<K extends JobName> = z.input<(typeof jobCatalog)[K]['schema']>;
