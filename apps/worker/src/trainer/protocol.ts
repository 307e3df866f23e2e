// The typed messages between the worker (parent) and its trainer child process. Only the parent touches
// Postgres and the queue; the child only trains and reports.
import type { BackendChoice, TrialConfig } from '@ablate/spec';
import type {
  Artifact,
  BackendInfo,
  CheckpointOptions,
  CheckpointWritten,
  EpochMetrics,
  FinalMetrics,
  LrFinderResult,
  TrainStart,
} from '@ablate/core';

/** Parent → child. */
export type ToTrainer =
  | {
      type: 'run';
      trialId: string;
      config: TrialConfig;
      backend: BackendChoice;
      requirement: string;
      checkpoint?: CheckpointOptions;
      tensorboardDir?: string;
    }
  | { type: 'stop' }
  | { type: 'checkpoint-stored' }
  /** Load the backend and report it (at worker start, to know which queues to consume). */
  | { type: 'probe'; backend: BackendChoice };

/** Child → parent. */
export type FromTrainer =
  | { type: 'probed'; backend: BackendInfo }
  | { type: 'started'; start: TrainStart }
  | { type: 'epoch'; metrics: EpochMetrics }
  | { type: 'artifact'; artifact: Artifact }
  /** A checkpoint file was written; the child waits for 'checkpoint-stored' before training on (so the parent can copy it). */
  | { type: 'checkpoint'; checkpoint: CheckpointWritten }
  | { type: 'done'; final: FinalMetrics | LrFinderResult }
  | { type: 'error'; code: string; message: string; retryable: boolean };
