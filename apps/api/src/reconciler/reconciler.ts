// The reconciler: one at a time (leader elected through a Postgres advisory lock held on its own connection), it
// makes the queue match Postgres every few hundred milliseconds: expired leases are requeued (or failed, or cancelled),
// queued trials without a live delivery get one (sweep priority first, then interleaved rank), deliveries the queue
// lost or consumed without a claim are replaced, and sweeps get their final status. Runs inside the API process and
// alone (reconciler/main.ts). Postgres is the truth: wipe the queue and the next passes rebuild it.
import {
  deliverableTrials,
  deliveredQueuedCounts,
  deliveredQueuedTrials,
  expireLeases,
  markDelivered,
  redeliver,
  LeaderLock,
  refreshActiveSweeps,
  type Db,
} from '@ablate/db';
import type { TrialQueue } from '@ablate/queue';
import { jobCatalog, requirementOfQueue, trialJobId, trialJobPriority, type TrialConfig } from '@ablate/spec';
import type { Logger } from 'pino';

/** Shared by every ablate process: whoever holds it is the reconciler. */
const LEADER_LOCK = 727_073_692;

export interface ReconcilerOptions {
  databaseUrl: string;
  db: Db;
  queue: TrialQueue;
  log: Logger;
  /** Pause between passes (default 500 ms). */
  intervalMs?: number;
  /**
   * After it becomes leader (at start, or after losing Postgres), leases are not expired for this long, so workers that
   * were cut off by the same outage get to renew theirs first (default 10 s: one lease).
   */
  leaseGraceMs?: number;
  /** Deliveries older than this are checked against the queue (default 5 s). */
  verifyAfterMs?: number;
  /** Full check of every delivery at least this often even when counts agree (default 15 s). */
  fullVerifyMs?: number;
  maxLeaseLosses?: number;
  /** Every unfinished sweep's status is recomputed at least this often (default 5 s). */
  refreshMs?: number;
  /** Deliveries added per pass (default 2,000). */
  batch?: number;
}

export interface ReconcilerStats {
  passes: number;
  leader: boolean;
  expired: number;
  delivered: number;
  redelivered: number;
  lastError?: string;
}

export class Reconciler {
  readonly stats: ReconcilerStats = { passes: 0, leader: false, expired: 0, delivered: 0, redelivered: 0 };
  private readonly lock: LeaderLock;
  private leaderSince = 0;
  private lastFullVerify = 0;
  private lastRefresh = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private lastErrorLog = 0;

  constructor(private readonly o: ReconcilerOptions) {
    this.lock = new LeaderLock(o.databaseUrl, LEADER_LOCK);
  }

  start(): this {
    const loop = async () => {
      if (this.stopped) return;
      this.running = this.pass();
      await this.running;
      if (!this.stopped) this.timer = setTimeout(loop, this.o.intervalMs ?? 500);
    };
    void loop();
    return this;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    await this.lock.release();
    this.stats.leader = false;
  }

  /** One pass; public so tests can drive it step by step. */
  async pass(): Promise<void> {
    try {
      if (!(await this.lead())) return;
      this.stats.passes++;
      const { db, queue } = this.o;
      if (Date.now() - this.leaderSince >= (this.o.leaseGraceMs ?? 10_000)) {
        const expired = await expireLeases(db, { maxLeaseLosses: this.o.maxLeaseLosses ?? jobCatalog['trial.run'].maxLeaseLosses });
        this.stats.expired += expired.length;
        for (const e of expired) this.o.log.warn({ trialId: e.id, workerId: e.workerId, leaseLosses: e.leaseLosses, now: e.status }, 'lease expired');
      }
      await this.verify();
      const ds = await deliverableTrials(db, this.o.batch ?? 2_000);
      if (ds.length) {
        await queue.enqueue(
          ds.map((d) => ({
            trialId: d.id,
            generation: d.generation,
            sweepId: d.sweepId,
            config: d.config as TrialConfig,
            backend: requirementOfQueue(d.queue),
            priority: trialJobPriority(d.priority, d.rank),
          })),
        );
        await markDelivered(db, ds);
        this.stats.delivered += ds.length;
      }
      // Transitions refresh their own sweeps; this backstop (a refresh that failed mid-outage) need not run every pass.
      if (Date.now() - this.lastRefresh >= (this.o.refreshMs ?? 5_000)) {
        await refreshActiveSweeps(db);
        this.lastRefresh = Date.now();
      }
      this.stats.lastError = undefined;
    } catch (err) {
      this.stats.lastError = (err as Error).message;
      if (Date.now() - this.lastErrorLog > 10_000) {
        this.lastErrorLog = Date.now();
        this.o.log.warn({ err: (err as Error).message }, 'reconciler pass failed; retrying');
      }
      if (this.lock.held && !(await this.lock.alive())) this.stats.leader = false;
    }
  }

  /**
   * Deliveries the queue should hold: when the queue holds fewer jobs than Postgres has recorded deliveries (Redis
   * restarted empty, a job removed by hand), or every `fullVerifyMs`, each is checked, and one that is gone or was
   * consumed without a claim (a paused sweep, a worker that gave it back) is replaced by a new generation.
   */
  private async verify(): Promise<void> {
    const { db, queue } = this.o;
    let due = Date.now() - this.lastFullVerify >= (this.o.fullVerifyMs ?? 15_000);
    if (!due) {
      const expected = await deliveredQueuedCounts(db);
      const held = await queue.countsByQueue();
      due = Object.entries(expected).some(([q, n]) => {
        const c = held[q] ?? {};
        return (c.waiting ?? 0) + (c.prioritized ?? 0) + (c.delayed ?? 0) + (c.active ?? 0) < n;
      });
    }
    if (!due) return;
    this.lastFullVerify = Date.now();
    const delivered = await deliveredQueuedTrials(db, this.o.verifyAfterMs ?? 5_000);
    const lost: { id: string; generation: number }[] = [];
    for (let i = 0; i < delivered.length; i += 500) {
      const chunk = delivered.slice(i, i + 500);
      const states = await queue.states(chunk.map((d) => ({ queue: d.queue, jobId: trialJobId(d.id, d.generation) })));
      chunk.forEach((d, k) => {
        if (states[k] === 'unknown' || states[k] === 'completed' || states[k] === 'failed') lost.push(d);
      });
    }
    if (lost.length) {
      const n = await redeliver(db, lost);
      this.stats.redelivered += n;
      this.o.log.info({ count: n }, 'deliveries missing from the queue: delivering again');
    }
  }

  private async lead(): Promise<boolean> {
    if (this.lock.held) return true;
    if (!(await this.lock.acquire())) {
      this.stats.leader = false;
      return false;
    }
    this.leaderSince = Date.now();
    this.lastFullVerify = 0;
    this.lastRefresh = 0;
    this.stats.leader = true;
    this.o.log.info('reconciler: leading');
    return true;
  }
}
