// Processes one trial job: re-validates the payload, claims the trial (never trains a finished one twice), trains it
// in a child process, and writes the runtime, every epoch and the final result to Postgres as they happen.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { addArtifact, completeTrial, claimTrial, failTrial, recordEpoch, recordRuntime, type Db } from '@ablate/db';
import { UnrecoverableError, type TrialJob } from '@ablate/queue';
import { configHash, jobCatalog, type BackendChoice } from '@ablate/spec';
import type { Logger } from 'pino';
import { spawnTrainer, TrainerError, type TrainerHandle } from './trainer/spawn.js';

export interface RunTrialDeps {
  db: Db;
  log: Logger;
  workerId: string;
  backend: BackendChoice;
  /** Trainers in flight, so shutdown can stop them. */
  active: Set<TrainerHandle>;
  /** <runsDir>/<trialId>/checkpoints and /tensorboard. */
  runsDir: string;
  checkpointEvery: number;
  tensorboard: boolean;
}

export async function runTrial(job: TrialJob, deps: RunTrialDeps): Promise<{ trialId: string; skipped?: true; testTop1?: number }> {
  const parsed = jobCatalog['trial.run'].schema.safeParse(job.data);
  if (!parsed.success) {
    const trialId = (job.data as { trialId?: unknown })?.trialId;
    const message = `invalid job payload: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`;
    deps.log.error({ jobId: job.id }, message);
    if (typeof trialId === 'string')
      await failTrial(deps.db, trialId, { code: 'ERR_INVALID_CONFIG', message }, { final: true }).catch(() => undefined);
    throw new UnrecoverableError(message);
  }
  const { trialId, sweepId, config, backend: requirement } = parsed.data;
  const log = deps.log.child({ sweepId, trialId, jobId: job.id, attempt: job.attemptsMade + 1 });
  if (configHash(config) !== trialId) {
    const message = 'job payload does not hash to its trial id (written by another version?)';
    await failTrial(deps.db, trialId, { code: 'ERR_CONFIG_HASH', message }, { final: true }).catch(() => undefined);
    throw new UnrecoverableError(message);
  }
  const claim = await claimTrial(deps.db, trialId, deps.workerId);
  if (!claim) {
    log.info('trial already finished; skipping');
    return { trialId, skipped: true };
  }
  log.info('training');
  const t0 = performance.now();
  // A retry resumes from the latest checkpoint an earlier attempt left (SIGTERM, crash); a first attempt starts clean,
  // so files of a deleted database's trial with the same config hash are never picked up.
  const dir = join(deps.runsDir, trialId);
  if (claim.attempt === 1) await rm(dir, { recursive: true, force: true });
  const trainer = spawnTrainer(
    {
      type: 'run',
      trialId,
      config,
      backend: deps.backend,
      requirement,
      checkpoint: { dir: join(dir, 'checkpoints'), everyEpochs: deps.checkpointEvery, resume: claim.attempt > 1 },
      tensorboardDir: deps.tensorboard ? join(dir, 'tensorboard') : undefined,
    },
    {
      started: (s) => {
        if (s.resumedFrom) log.info(s.resumedFrom, 'resuming from checkpoint');
        return recordRuntime(deps.db, trialId, {
          backend: s.backend.name,
          device: s.backend.device,
          runtime: { ...s, node: process.version, workerId: deps.workerId },
        });
      },
      artifact: async (a) => {
        await addArtifact(deps.db, trialId, a);
      },
      epoch: async (m) => {
        await recordEpoch(deps.db, trialId, claim.attempt, m);
        await job.updateProgress({ epoch: m.epoch, of: config.epochs, testTop1: m.testTop1, trainLoss: m.trainLoss });
        log.info({ epoch: m.epoch, trainLoss: m.trainLoss, testTop1: m.testTop1, seconds: m.seconds }, 'epoch done');
      },
    },
  );
  deps.active.add(trainer);
  try {
    const final = await trainer.result;
    await completeTrial(deps.db, trialId, { finalMetrics: { ...final }, durationMs: performance.now() - t0 });
    log.info(final, 'trial done');
    return { trialId, testTop1: 'testTop1' in final ? final.testTop1 : undefined };
  } catch (err) {
    const e = err instanceof TrainerError ? err : new TrainerError('ERR_WORKER', (err as Error).message, true);
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const final = !e.retryable || lastAttempt;
    await failTrial(deps.db, trialId, { code: e.code, message: e.message }, { final });
    log.warn({ code: e.code, err: e.message, final }, final ? 'trial failed' : 'trial attempt failed; will retry');
    throw e.retryable ? e : new UnrecoverableError(`${e.code}: ${e.message}`);
  } finally {
    deps.active.delete(trainer);
  }
}
