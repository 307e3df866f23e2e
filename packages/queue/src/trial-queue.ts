// The trials queue: jobs are added only through `enqueue`, which validates each payload against the job catalogue and
// uses the trial id as the BullMQ job id (adding a trial that is already queued is a no-op).
import { jobCatalog, TRIALS_QUEUE, type JobPayload, type JobPayloadInput } from '@ablate/spec';
import type { Job, Processor, Worker } from 'bullmq';
import { queueBackend, type QueueConnection } from './connection.js';

const trialJob = jobCatalog['trial.run'];
export type TrialJob = Job<JobPayload<'trial.run'>>;

export interface TrialQueue {
  enqueue(payloads: JobPayloadInput<'trial.run'>[], opts?: { priority?: number }): Promise<number>;
  counts(): Promise<Record<string, number>>;
  /** Removes every job (tests only). */
  obliterate(): Promise<void>;
  close(): Promise<void>;
}

export function openTrialQueue(conn: QueueConnection): TrialQueue {
  const b = queueBackend(conn);
  const queue = new b.Queue(TRIALS_QUEUE, b.queueOptions());
  return {
    async enqueue(payloads, opts = {}) {
      const jobs = payloads.map((p) => {
        const data = trialJob.schema.parse(p);
        return {
          name: 'trial.run',
          data,
          opts: {
            jobId: data.trialId,
            attempts: trialJob.attempts,
            backoff: trialJob.backoff,
            priority: opts.priority,
            removeOnComplete: { age: 7 * 24 * 3600 },
            removeOnFail: { age: 30 * 24 * 3600 },
          },
        };
      });
      for (let i = 0; i < jobs.length; i += 1000) await queue.addBulk(jobs.slice(i, i + 1000));
      return jobs.length;
    },
    counts: () => queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized'),
    obliterate: () => queue.obliterate({ force: true }),
    close: () => queue.close(),
  };
}

export interface TrialWorkerOptions {
  /** Trials run at once by this process (one per GPU it owns; default 1). */
  concurrency?: number;
  /** Job lock lease; renewed every half of it by this process's event loop. */
  lockDurationMs?: number;
  /** How often this worker looks for jobs whose lock expired (their worker died) and requeues them. */
  stalledIntervalMs?: number;
  name?: string;
}

/** A BullMQ worker on the trials queue. The processor must not block the event loop (training runs in a child). */
export function startTrialWorker(
  conn: QueueConnection,
  processor: Processor<JobPayload<'trial.run'>>,
  opts: TrialWorkerOptions = {},
): Worker<JobPayload<'trial.run'>> {
  const b = queueBackend(conn);
  return new b.Worker(TRIALS_QUEUE, processor, {
    ...b.workerOptions(),
    concurrency: opts.concurrency ?? 1,
    lockDuration: opts.lockDurationMs ?? 30_000,
    stalledInterval: opts.stalledIntervalMs ?? 30_000,
    name: opts.name,
    autorun: true,
  }) as Worker<JobPayload<'trial.run'>>;
}
