// One delivery of a trial: re-validate the payload, claim the trial's lease, fetch its last checkpoint from the blob
// store, train in a child process, and write every epoch, artifact, checkpoint record and the result under the lease.
// The lease is renewed by a heartbeat; the moment it is lost (a write or a renewal finds another token) the trainer is
// killed and nothing more is written. Interruptions (SIGTERM, drain, cancel) never count as attempts.
import { readdir, rm, rmdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import {
  claimTrial,
  completeTrial,
  endAttempt,
  LeaseLostError,
  putArtifact,
  recordCheckpoint,
  recordEpoch,
  recordRuntime,
  rejectDelivery,
  renewLease,
  type AttemptOutcome,
  type Claimed,
  type Db,
} from '@ablate/db';
import type { TrialJob } from '@ablate/queue';
import { type BlobStore, trialKeys } from '@ablate/store';
import { configHash, jobCatalog, type BackendChoice } from '@ablate/spec';
import type { Logger } from 'pino';
import { InfrastructureError, withRetry, type RetryPolicy } from './infra-retry.js';
import { spawnTrainer, TrainerError, type TrainerHandle } from './trainer/spawn.js';

export interface AttemptDeps {
  db: Db;
  store: BlobStore;
  log: Logger;
  workerId: string;
  backend: BackendChoice;
  /** Trainers in flight, so shutdown can stop them. */
  active: Set<TrainerHandle>;
  /** Local scratch: <runsDir>/<trialId>/<lease>/{checkpoints,tensorboard}, removed when the attempt ends. */
  runsDir: string;
  checkpointEvery: number;
  checkpointSeconds: number;
  tensorboard: boolean;
  leaseMs: number;
  heartbeatMs: number;
  maxAttempts: number;
  retry?: RetryPolicy;
  /** Called with the trial id while an attempt runs (null when it ends), for the worker's heartbeat. */
  onTrial?(trialId: string | null, pid?: number): void;
}

/** What became of a delivery. */
export type DeliveryResult =
  | { kind: 'dropped'; reason: string }
  | { kind: 'done'; trialId: string }
  | { kind: 'ended'; trialId: string; outcome: AttemptOutcome; status: string; code: string }
  | { kind: 'lease-lost'; trialId: string };

/** Trainer error codes that mean the config cannot run: failed at once, never retried. */
const PERMANENT = new Set(['ERR_INVALID_CONFIG', 'ERR_UNKNOWN_COMPONENT', 'ERR_DIVERGED', 'ERR_OUT_OF_MEMORY', 'ERR_CONFIG_HASH']);

export async function runDelivery(job: TrialJob, deps: AttemptDeps): Promise<DeliveryResult> {
  const parsed = jobCatalog['trial.run'].schema.safeParse(job.data);
  const retry = (what: string, fn: () => Promise<unknown>) => withRetry(what, fn, deps.log, deps.retry);
  if (!parsed.success) {
    const message = `invalid job payload: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`;
    const { trialId, generation } = (job.data ?? {}) as { trialId?: unknown; generation?: unknown };
    deps.log.error({ jobId: job.id }, message);
    if (typeof trialId === 'string' && typeof generation === 'number')
      await retry('reject delivery', () => rejectDelivery(deps.db, trialId, generation, { code: 'ERR_INVALID_CONFIG', message }));
    return { kind: 'dropped', reason: message };
  }
  const { trialId, generation, sweepId, config } = parsed.data;
  const log = deps.log.child({ sweepId, trialId, jobId: job.id });
  if (configHash(config) !== trialId) {
    const message = 'job payload does not hash to its trial id (written by another version?)';
    await retry('reject delivery', () => rejectDelivery(deps.db, trialId, generation, { code: 'ERR_CONFIG_HASH', message }));
    return { kind: 'dropped', reason: message };
  }
  const claim = (await withRetry(
    'claim',
    () => claimTrial(deps.db, { trialId, generation, workerId: deps.workerId, leaseMs: deps.leaseMs }),
    log,
    deps.retry,
  )) as Awaited<ReturnType<typeof claimTrial>>;
  if ('notClaimed' in claim) {
    log.info(claim.notClaimed, 'delivery dropped');
    return { kind: 'dropped', reason: claim.notClaimed.reason };
  }
  return new Attempt(claim.claimed, parsed.data, deps, log.child({ attempt: claim.claimed.attempt }), job).run();
}

class Attempt {
  private trainer: TrainerHandle | undefined;
  private lost = false;
  /** Set once the attempt's last write (result or end) is under way: a renewal racing it is not a lost lease. */
  private ending = false;
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly dir: string;
  private tensorboardDir: string | undefined;
  /** This attempt stored a checkpoint (and its artifact). */
  private checkpointed = false;
  private readonly t0 = performance.now();

  constructor(
    private readonly lease: Claimed,
    private readonly payload: { trialId: string; config: import('@ablate/spec').TrialConfig; backend: string },
    private readonly deps: AttemptDeps,
    private readonly log: Logger,
    private readonly job: TrialJob,
  ) {
    this.dir = join(deps.runsDir, lease.trialId, lease.token.slice(0, 8));
  }

  /** Runs a write with infrastructure retries; a lost lease stops everything. */
  private async write<T>(what: string, fn: () => Promise<T>): Promise<T> {
    if (this.lost) throw new LeaseLostError(this.lease.trialId, what);
    try {
      return await withRetry(what, fn, this.log, this.deps.retry);
    } catch (err) {
      if (err instanceof LeaseLostError) this.loseLease(what);
      throw err;
    }
  }

  private loseLease(what: string): void {
    if (this.lost || (this.ending && what === 'lease renewal')) return;
    this.lost = true;
    this.log.warn({ what }, 'lease lost: stopping the trainer; this worker writes nothing more for the trial');
    this.trainer?.kill();
  }

  private startHeartbeat(): void {
    let stopping = false;
    let lastWarn = 0;
    this.heartbeat = setInterval(() => {
      void renewLease(this.deps.db, this.lease, this.deps.leaseMs)
        .then(({ stopRequested }) => {
          if (stopRequested && !stopping) {
            stopping = true;
            this.log.info('cancel requested: stopping at the next batch with a checkpoint');
            this.trainer?.stop();
          }
        })
        .catch((err: unknown) => {
          if (err instanceof LeaseLostError) this.loseLease('lease renewal');
          else if (Date.now() - lastWarn > 10_000) {
            lastWarn = Date.now();
            this.log.warn({ err: (err as Error).message }, 'lease renewal failed; retrying at every beat');
          }
        });
    }, this.deps.heartbeatMs);
    this.heartbeat.unref();
  }

  async run(): Promise<DeliveryResult> {
    const { trialId } = this.lease;
    this.startHeartbeat();
    this.deps.onTrial?.(trialId);
    try {
      await rm(this.dir, { recursive: true, force: true });
      const resume = await this.fetchCheckpoint();
      this.tensorboardDir = this.deps.tensorboard ? join(this.dir, 'tensorboard') : undefined;
      this.log.info({ resumeFrom: this.lease.checkpoint ?? undefined }, 'training');
      this.trainer = spawnTrainer(
        {
          type: 'run',
          trialId,
          config: this.payload.config,
          backend: this.deps.backend,
          requirement: this.payload.backend,
          checkpoint: {
            dir: join(this.dir, 'checkpoints'),
            everyEpochs: this.deps.checkpointEvery,
            everySeconds: this.deps.checkpointSeconds,
            resume,
          },
          tensorboardDir: this.tensorboardDir,
        },
        {
          started: (s) => this.started(s),
          epoch: async (m) => {
            await this.write(`epoch ${m.epoch}`, () => recordEpoch(this.deps.db, this.lease, m));
            await this.job.updateProgress({ epoch: m.epoch, of: this.payload.config.epochs, testTop1: m.testTop1 }).catch(() => undefined);
            this.log.info({ epoch: m.epoch, trainLoss: m.trainLoss, testTop1: m.testTop1, seconds: m.seconds }, 'epoch done');
          },
          artifact: async (a) => {
            // Files are referenced by their blob-store key, never by a path on this machine.
            const uri = a.kind === 'tensorboard' ? trialKeys.tensorboard(trialId) : a.uri;
            await this.write(`artifact ${a.kind}`, () => putArtifact(this.deps.db, this.lease, { kind: a.kind, data: a.data, uri }));
          },
          checkpoint: (c) => this.storeCheckpoint(c),
        },
      );
      this.deps.active.add(this.trainer);
      this.deps.onTrial?.(trialId, this.trainer.pid);
      if (this.lost) this.trainer.kill();
      const final = await this.trainer.result;
      await this.write('lease check', () => renewLease(this.deps.db, this.lease, this.deps.leaseMs));
      await this.uploadTensorboard();
      // Resumed from the final checkpoint, this attempt trained nothing and saved none: the one it resumed from is the
      // trial's checkpoint artifact.
      const resumedFrom = this.lease.checkpoint;
      if (!this.checkpointed && resumedFrom) {
        await this.write('checkpoint artifact', () =>
          putArtifact(this.deps.db, this.lease, {
            kind: 'checkpoint',
            uri: resumedFrom.key,
            data: { epochsDone: resumedFrom.epochsDone, batchesDone: resumedFrom.batchesDone, reason: 'final' },
          }),
        );
      }
      this.ending = true;
      await this.write('result', () =>
        completeTrial(this.deps.db, this.lease, { finalMetrics: { ...final }, durationMs: performance.now() - this.t0 }),
      );
      this.log.info(final, 'trial done');
      return { kind: 'done', trialId };
    } catch (err) {
      return await this.fail(err);
    } finally {
      clearInterval(this.heartbeat);
      if (this.trainer) this.deps.active.delete(this.trainer);
      this.deps.onTrial?.(null);
      await rm(this.dir, { recursive: true, force: true }).catch(() => undefined);
      // The trial's folder too, unless another attempt on this machine is using it.
      await rmdir(join(this.deps.runsDir, trialId)).catch(() => undefined);
    }
  }

  private async fail(err: unknown): Promise<DeliveryResult> {
    const { trialId } = this.lease;
    if (this.lost || err instanceof LeaseLostError) {
      this.trainer?.kill();
      return { kind: 'lease-lost', trialId };
    }
    const e =
      err instanceof TrainerError || err instanceof InfrastructureError
        ? err
        : new TrainerError((err as { code?: string }).code ?? 'ERR_WORKER', (err as Error).message, true);
    this.trainer?.kill();
    this.ending = true;
    const outcome: AttemptOutcome =
      e.code === 'ERR_INTERRUPTED'
        ? 'interrupted'
        : e instanceof InfrastructureError || e.code === 'ERR_BACKEND_MISMATCH'
          ? 'released'
          : PERMANENT.has(e.code) || !e.retryable
            ? 'failed'
            : 'retry';
    try {
      const { status } = (await this.write(`end of attempt (${outcome})`, () =>
        endAttempt(this.deps.db, this.lease, outcome, { code: e.code, message: e.message }, { maxAttempts: this.deps.maxAttempts }),
      )) as { status: string };
      this.log.warn({ code: e.code, err: e.message, outcome, status }, `attempt ended: trial ${status}`);
      return { kind: 'ended', trialId, outcome, status, code: e.code };
    } catch (writeErr) {
      if (writeErr instanceof LeaseLostError) return { kind: 'lease-lost', trialId };
      // The database stayed unreachable: the lease expires and the reconciler requeues the trial.
      this.log.error({ err: (writeErr as Error).message, code: e.code }, 'could not record the end of the attempt; the lease will expire');
      return { kind: 'ended', trialId, outcome, status: 'unknown', code: e.code };
    }
  }

  private async started(s: import('@ablate/core').TrainStart): Promise<void> {
    const { resumedFrom, ...start } = s;
    if (resumedFrom) this.log.info({ epochsDone: resumedFrom.epochsDone, batchesDone: resumedFrom.batchesDone }, 'resuming from checkpoint');
    await this.write('runtime', () =>
      recordRuntime(this.deps.db, this.lease, {
        backend: s.backend.name,
        device: s.backend.device,
        runtime: {
          ...start,
          resumedFrom: resumedFrom && { epochsDone: resumedFrom.epochsDone, batchesDone: resumedFrom.batchesDone, key: this.lease.checkpoint?.key },
          node: process.version,
          workerId: this.deps.workerId,
        },
      }),
    );
    // Epochs the checkpoint carries that the database lacks (an earlier attempt died between its checkpoint and its
    // epoch row): written now, so the trial ends with exactly one row per epoch.
    for (const m of resumedFrom?.history ?? []) {
      await this.write(`epoch ${m.epoch} (from checkpoint)`, () => recordEpoch(this.deps.db, this.lease, m, { replay: true }));
    }
  }

  /** Downloads the recorded checkpoint into the local checkpoint folder; false when there is none to resume from. */
  private async fetchCheckpoint(): Promise<boolean> {
    const ck = this.lease.checkpoint;
    if (!ck) return false;
    const file = basename(ck.key).replace(/^[0-9a-f]{8}-/, '');
    const found = (await this.write('checkpoint download', () => this.deps.store.getFile(ck.key, join(this.dir, 'checkpoints', file)))) as boolean;
    if (!found) this.log.warn({ key: ck.key }, 'the recorded checkpoint is missing from the store; training from the start');
    return found;
  }

  private async storeCheckpoint(c: import('@ablate/core').CheckpointWritten): Promise<void> {
    const { trialId } = this.lease;
    const key = trialKeys.checkpoint(trialId, this.lease.token, basename(c.path));
    await this.write('checkpoint upload', () => this.deps.store.putFile(key, c.path));
    await this.write('checkpoint record', () =>
      recordCheckpoint(this.deps.db, this.lease, { key, epochsDone: c.epochsDone, batchesDone: c.batchesDone }),
    );
    await this.write('checkpoint artifact', () =>
      putArtifact(this.deps.db, this.lease, {
        kind: 'checkpoint',
        uri: key,
        data: { epochsDone: c.epochsDone, batchesDone: c.batchesDone, reason: c.reason },
      }),
    );
    // Only the recorded checkpoint is needed: drop the one it replaces and any an earlier attempt left (one killed
    // between recording a checkpoint and deleting the previous one leaves an orphan).
    this.checkpointed = true;
    await this.pruneCheckpoints(key).catch((err: unknown) => this.log.warn({ err: (err as Error).message }, 'could not prune old checkpoints'));
    await this.uploadTensorboard();
    this.log.debug({ key, reason: c.reason, epochsDone: c.epochsDone, batchesDone: c.batchesDone }, 'checkpoint stored');
  }

  /** Deletes every checkpoint of the trial in the store but `keep`. */
  private async pruneCheckpoints(keep: string): Promise<void> {
    const keys = await this.deps.store.list(trialKeys.checkpoints(this.lease.trialId));
    for (const k of keys) if (k !== keep) await this.deps.store.deletePrefix(k);
  }

  /** Copies this attempt's TensorBoard event files to the store (each attempt writes its own file; names never clash). */
  private async uploadTensorboard(): Promise<void> {
    if (!this.tensorboardDir) return;
    const files = await readdir(this.tensorboardDir).catch(() => [] as string[]);
    for (const f of files) {
      await this.write('tensorboard upload', () =>
        this.deps.store.putFile(`${trialKeys.tensorboard(this.lease.trialId)}${f}`, join(this.tensorboardDir!, f)),
      );
    }
  }
}
