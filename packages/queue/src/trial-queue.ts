// The trials queues: jobs are added only through `enqueue`, which validates each payload against the job catalogue,
// routes it by its backend requirement (trials, trials-gpu, …) and uses `<trial id>.<generation>` as the BullMQ job id
// (adding a delivery that exists is a no-op). The queue only delivers: Postgres decides what runs (the reconciler adds
// jobs, workers claim leases). Workers consume the queues their backend satisfies.
import { ALL_TRIAL_QUEUES, jobCatalog, trialJobId, trialsQueueFor, type JobPayload, type JobPayloadInput } from '@ablate/spec';
import { DelayedError, type Job, type Queue, type Worker } from 'bullmq';
import { queueBackend, type QueueConnection } from './connection.js';

const trialJob = jobCatalog['trial.run'];
export type TrialJob = Job<JobPayload<'trial.run'>>;

/** A delivery's state in the queue; 'unknown' when the job does not exist (removed, or the queue lost it). */
export type DeliveryState = 'waiting' | 'active' | 'completed' | 'failed' | 'delayed' | 'prioritized' | 'waiting-children' | 'unknown';

export interface TrialQueue {
  /** Adds deliveries; `priority` per payload (BullMQ: 1 first). Returns how many were handed to the queue. */
  enqueue(payloads: (JobPayloadInput<'trial.run'> & { priority?: number })[]): Promise<number>;
  /** States of deliveries by job id, in one round trip per queue where the backend allows. */
  states(jobs: { queue: string; jobId: string }[]): Promise<DeliveryState[]>;
  /** Job counts summed over every trials queue. */
  counts(): Promise<Record<string, number>>;
  /** Counts per queue name. */
  countsByQueue(): Promise<Record<string, Record<string, number>>>;
  /** Removes every job (tests only). */
  obliterate(): Promise<void>;
  close(): Promise<void>;
}

const STATES = ['waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized'] as const;

export interface TrialQueueOptions {
  /**
   * Called with connection errors (otherwise the client prints them): with the first of an outage, and again only once
   * they have stopped for 10 s (a reconnecting client fails every few hundred ms).
   */
  onError?: (err: Error) => void;
}

export function openTrialQueue(conn: QueueConnection, opts: TrialQueueOptions = {}): TrialQueue {
  const b = queueBackend(conn);
  const queues = new Map<string, Queue>();
  let lastError = 0;
  const onError = (err: Error) => {
    if (Date.now() - lastError > 10_000) opts.onError?.(err);
    lastError = Date.now();
  };
  const queue = (name: string) => {
    if (!queues.has(name)) {
      const q = new b.Queue(name, b.queueOptions({ failFast: true }));
      q.on('error', onError);
      queues.set(name, q);
    }
    return queues.get(name)!;
  };
  const countsByQueue = async () =>
    Object.fromEntries(await Promise.all(ALL_TRIAL_QUEUES.map(async (n) => [n, await queue(n).getJobCounts(...STATES)] as const)));
  return {
    async enqueue(payloads) {
      const byQueue = new Map<string, Parameters<Queue['addBulk']>[0]>();
      for (const { priority, ...p } of payloads) {
        const data = trialJob.schema.parse(p);
        const name = trialsQueueFor(data.backend);
        if (!byQueue.has(name)) byQueue.set(name, []);
        byQueue.get(name)!.push({
          name: 'trial.run',
          data,
          opts: {
            jobId: trialJobId(data.trialId, data.generation),
            attempts: trialJob.attempts,
            priority,
            removeOnComplete: { age: 7 * 24 * 3600 },
            removeOnFail: { age: 30 * 24 * 3600 },
          },
        });
      }
      for (const [name, jobs] of byQueue) {
        for (let i = 0; i < jobs.length; i += 1000) await queue(name).addBulk(jobs.slice(i, i + 1000));
      }
      return payloads.length;
    },
    async states(jobs) {
      return Promise.all(jobs.map(async (j) => (await queue(j.queue).getJobState(j.jobId)) as DeliveryState));
    },
    async counts() {
      const total: Record<string, number> = Object.fromEntries(STATES.map((s) => [s, 0]));
      for (const c of Object.values(await countsByQueue())) for (const s of STATES) total[s]! += c[s] ?? 0;
      return total;
    },
    countsByQueue,
    async obliterate() {
      for (const n of ALL_TRIAL_QUEUES) await queue(n).obliterate({ force: true });
    },
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}

export interface TrialWorkerOptions {
  /** Trials run at once by this process across all its queues (one per GPU it owns; default 1). */
  concurrency?: number;
  /** Job lock lease; renewed every half of it by this process's event loop. */
  lockDurationMs?: number;
  /** How often this worker looks for jobs whose lock expired (their worker died) and requeues them. */
  stalledIntervalMs?: number;
  name?: string;
}

export interface TrialWorkers {
  workers: Worker<JobPayload<'trial.run'>>[];
  close(): Promise<void>;
  /** Stops fetching new jobs (running ones continue). */
  pause(): Promise<void>;
  on(event: 'error', fn: (err: Error) => void): void;
  on(event: 'failed', fn: (job: TrialJob | undefined, err: Error) => void): void;
}

/**
 * One BullMQ worker per queue, sharing one concurrency limit: when all slots are busy every worker pauses fetching;
 * a job fetched in the instant before is put back (delayed 1 s) rather than run over the limit.
 * The processor must not block the event loop (training runs in a child process).
 */
export function startTrialWorkers(
  conn: QueueConnection,
  queueNames: string[],
  processor: (job: TrialJob) => Promise<unknown>,
  opts: TrialWorkerOptions = {},
): TrialWorkers {
  const b = queueBackend(conn);
  const limit = opts.concurrency ?? 1;
  let busy = 0;
  let stopped = false;
  const workers: Worker<JobPayload<'trial.run'>>[] = [];
  const setPaused = (paused: boolean) => {
    for (const w of workers) {
      if (paused) void w.pause(true);
      else if (!stopped) w.resume();
    }
  };
  const guarded = async (job: TrialJob, token?: string) => {
    // A paused (draining, unhealthy) worker can still be handed a job by a fetch already under way: give it back.
    if (stopped || busy >= limit) {
      await job.moveToDelayed(Date.now() + 1000, token);
      throw new DelayedError();
    }
    busy++;
    if (busy >= limit) setPaused(true);
    try {
      return await processor(job);
    } finally {
      busy--;
      if (busy < limit) setPaused(false);
    }
  };
  for (const name of queueNames) {
    workers.push(
      new b.Worker(name, guarded, {
        ...b.workerOptions(),
        concurrency: limit,
        lockDuration: opts.lockDurationMs ?? 30_000,
        stalledInterval: opts.stalledIntervalMs ?? 30_000,
        name: opts.name,
        autorun: true,
      }) as Worker<JobPayload<'trial.run'>>,
    );
  }
  return {
    workers,
    close: async () => {
      await Promise.all(workers.map((w) => w.close()));
    },
    pause: async () => {
      stopped = true;
      await Promise.all(workers.map((w) => w.pause(true)));
    },
    on(event: string, fn: (...args: never[]) => void) {
      for (const w of workers) w.on(event as 'error', fn as never);
    },
  };
}
