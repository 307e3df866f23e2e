// What training reports and accepts: callbacks, options and the result of a run.
import type { BackendInfo } from '../backend/select.js';

/** Per-epoch and final metrics are contracts of @ablate/spec (stored by the worker, served by the API). */
export type { EpochMetrics, FinalMetrics, LrFinderResult } from '@ablate/spec';
import type { EpochMetrics, FinalMetrics, LrFinderResult } from '@ablate/spec';

export interface TrainStart {
  backend: BackendInfo;
  parameterCount: number;
  itersPerEpoch: number;
  trainSize: number;
  testSize: number;
  /** sha256 prefix of the data trained and evaluated on. */
  datasetFingerprint: string;
  loaderWorkers: number;
  /** Set when the run continues from a checkpoint; `history` holds the epochs it already finished. */
  resumedFrom?: { epochsDone: number; batchesDone: number; path: string; history: EpochMetrics[] };
}

/** Something a run produced besides metrics rows: evaluation report, curves, LR-finder trace, files (uri). */
export interface Artifact {
  kind: 'evaluation' | 'curves' | 'lr_finder' | 'tensorboard';
  data?: unknown;
  uri?: string;
}

export interface TrainCallbacks {
  onStart?(info: TrainStart): void | Promise<void>;
  onEpochEnd?(metrics: EpochMetrics): void | Promise<void>;
  /** After each training batch (1-based batch count within the epoch). */
  onBatchEnd?(epoch: number, batches: number): void | Promise<void>;
  onArtifact?(artifact: Artifact): void | Promise<void>;
  /** After each checkpoint file is written (the caller may copy it elsewhere before training goes on). */
  onCheckpoint?(checkpoint: CheckpointWritten): void | Promise<void>;
}

export interface CheckpointWritten {
  path: string;
  epochsDone: number;
  batchesDone: number;
  /** every K epochs, every N seconds (at a batch boundary), the last epoch, or a stop request. */
  reason: 'epochs' | 'time' | 'final' | 'interrupted';
}

export interface CheckpointOptions {
  /** This trial's checkpoint directory. */
  dir: string;
  /** Write one every this many epochs (0: only the final one and on interruption). */
  everyEpochs: number;
  /** Also write one at the first batch boundary after this many seconds without one (0 or unset: off). */
  everySeconds?: number;
  /** Continue from the latest checkpoint of the same config in `dir`, if any. */
  resume: boolean;
  /** Checkpoint files kept (default 2). */
  keep?: number;
}

export interface TrainOptions extends TrainCallbacks {
  /** Backend to use; default: env ABLATE_BACKEND or automatic. */
  backend?: import('../backend/select.js').BackendChoice;
  /** Stops between batches with InterruptedError, after writing a checkpoint when checkpoints are on. */
  signal?: AbortSignal;
  /** Batch size for evaluation (does not change results). */
  evalBatchSize?: number;
  /** Data-loader worker threads (does not change results); default: env ABLATE_LOADER_WORKERS or cores-1. */
  loaderWorkers?: number;
  checkpoint?: CheckpointOptions;
  /** Directory for TensorBoard event files (per-epoch loss, accuracy, lr). */
  tensorboardDir?: string;
}

export interface TrainResult {
  final: FinalMetrics;
  epochs: EpochMetrics[];
  start: TrainStart;
}

export interface LrFinderPoint {
  iteration: number;
  lr: number;
  loss: number;
  smoothed: number;
}

export interface LrFinderRun {
  final: LrFinderResult;
  points: LrFinderPoint[];
  start: TrainStart;
}
