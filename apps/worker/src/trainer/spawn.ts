// Starts one trainer child for one trial and turns its messages into callbacks; resolves with the final metrics.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Artifact, BackendInfo, CheckpointWritten, EpochMetrics, FinalMetrics, LrFinderResult, TrainStart } from '@ablate/core';
import type { BackendChoice } from '@ablate/spec';
import type { FromTrainer, ToTrainer } from './protocol.js';

export class TrainerError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export interface TrainerHandle {
  result: Promise<FinalMetrics | LrFinderResult>;
  pid: number | undefined;
  /** Asks the child to stop between batches; the result then rejects with a retryable ERR_INTERRUPTED. */
  stop(): void;
  kill(): void;
}

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));

export function spawnTrainer(
  run: Extract<ToTrainer, { type: 'run' }>,
  on: {
    started(s: TrainStart): Promise<void>;
    epoch(m: EpochMetrics): Promise<void>;
    artifact?(a: Artifact): Promise<void>;
    checkpoint?(c: CheckpointWritten): Promise<void>;
  },
  env: NodeJS.ProcessEnv = process.env,
): TrainerHandle {
  // execArgv carries tsx's loader from the parent, so the child runs the same TypeScript sources.
  const child = fork(CHILD, [], { execArgv: process.execArgv, env, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let settled = false;
  // Messages are handled strictly in order, so 'done' is never written before the epochs before it.
  let chain = Promise.resolve();
  const result = new Promise<FinalMetrics | LrFinderResult>((resolve, reject) => {
    child.on('message', (m: FromTrainer) => {
      chain = chain
        .then(async () => {
          if (settled) return;
          if (m.type === 'started') await on.started(m.start);
          else if (m.type === 'epoch') await on.epoch(m.metrics);
          else if (m.type === 'artifact') await on.artifact?.(m.artifact);
          else if (m.type === 'checkpoint') {
            await on.checkpoint?.(m.checkpoint);
            if (child.connected) child.send({ type: 'checkpoint-stored' } satisfies ToTrainer);
          } else if (m.type === 'done') {
            settled = true;
            resolve(m.final);
          } else if (m.type === 'error') {
            settled = true;
            reject(new TrainerError(m.code, m.message, m.retryable));
          }
        })
        .catch((err: unknown) => {
          settled = true;
          child.kill('SIGKILL');
          reject(err);
        });
    });
    child.on('exit', (code, signal) => {
      void chain.then(() => {
        if (settled) return;
        settled = true;
        reject(new TrainerError('ERR_TRAINER_CRASHED', `trainer exited (code ${code}, signal ${signal}) without a result`, true));
      });
    });
    child.on('error', (err) => {
      if (settled) return;
      settled = true;
      reject(new TrainerError('ERR_TRAINER_SPAWN', err.message, true));
    });
  });
  child.send(run);
  return {
    result,
    pid: child.pid,
    stop: () => {
      if (child.connected) child.send({ type: 'stop' } satisfies ToTrainer);
    },
    kill: () => child.kill('SIGKILL'),
  };
}

/** Loads `backend` in a throw-away trainer process and reports what it got (tfjs is never loaded in the worker itself). */
export function probeBackend(backend: BackendChoice, env: NodeJS.ProcessEnv = process.env): Promise<BackendInfo> {
  const child = fork(CHILD, [], { execArgv: process.execArgv, env, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.on('message', (m: FromTrainer) => {
      if (m.type === 'probed') resolve(m.backend);
      else if (m.type === 'error') reject(new TrainerError(m.code, m.message, false));
    });
    child.on('exit', (code) => reject(new TrainerError('ERR_TRAINER_SPAWN', `backend probe exited with code ${code}`, false)));
    child.send({ type: 'probe', backend } satisfies ToTrainer);
  });
}
