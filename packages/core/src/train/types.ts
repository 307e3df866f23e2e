// What training reports and accepts: callbacks, options and the result of a run.
import type { BackendInfo } from '../backend/select.js';

/** Per-epoch and final metrics are contracts of @ablate/spec (stored by the worker, served by the API). */
export type { EpochMetrics, FinalMetrics } from '@ablate/spec';
import type { EpochMetrics, FinalMetrics } from '@ablate/spec';

export interface TrainStart {
  backend: BackendInfo;
  parameterCount: number;
  itersPerEpoch: number;
  trainSize: number;
  testSize: number;
  /** sha256 prefix of the data trained and evaluated on. */
  datasetFingerprint: string;
  loaderWorkers: number;
}

export interface TrainCallbacks {
  onStart?(info: TrainStart): void | Promise<void>;
  onEpochEnd?(metrics: EpochMetrics): void | Promise<void>;
}

export interface TrainOptions extends TrainCallbacks {
  /** Backend to use; default: env ABLATE_BACKEND or automatic. */
  backend?: import('../backend/select.js').BackendChoice;
  /** Stops between batches with InterruptedError. */
  signal?: AbortSignal;
  /** Batch size for evaluation (does not change results). */
  evalBatchSize?: number;
  /** Data-loader worker threads (does not change results); default: env ABLATE_LOADER_WORKERS or cores-1. */
  loaderWorkers?: number;
}

export interface TrainResult {
  final: FinalMetrics;
  epochs: EpochMetrics[];
  start: TrainStart;
}
