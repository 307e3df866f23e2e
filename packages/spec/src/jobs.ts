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
        sweepId: z.string().min(1),
        config: TrialConfig,
        backend: BackendRequirement,
      })
      .strict(),
    /** Infrastructure failures (a killed worker, a lost connection) are retried; config errors are not. */
    attempts: 3,
    backoff: { type: 'exponential' as const, delay: 2_000 },
  },
} as const;

export type JobName = keyof typeof jobCatalog;
export type JobPayload<K extends JobName> = z.output<(typeof jobCatalog)[K]['schema']>;
export type JobPayloadInput<K extends JobName> = z.input<(typeof jobCatalog)[K]['schema']>;
