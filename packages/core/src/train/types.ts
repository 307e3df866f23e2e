// What training reports: per-epoch metrics (one EpochMetric row each) and the final summary of a trial.
import type { BackendInfo } from '../backend/select.js';

export interface EpochMetrics {
  /** 1-based. */
  epoch: number;
  trainLoss: number;
  trainAcc: number;
  testLoss: number;
  testTop1: number;
  testTop5: number;
  /** lr at the last step of the epoch. */
  lr: number;
  /** Wall time of the epoch, training and evaluation. */
  seconds: number;
  trainImagesPerSecond: number;
}

export interface FinalMetrics {
  testTop1: number;
  testTop5: number;
  testLoss: number;
  trainLoss: number;
  trainAcc: number;
  /** Best test top-1 over epochs and where it was reached (reported, never used to select). */
  bestTop1: number;
  bestEpoch: number;
  epochs: number;
  seconds: number;
  trainImagesPerSecond: number;
}

export interface TrainStart {
  backend: BackendInfo;
  parameterCount: number;
  itersPerEpoch: number;
  trainSize: number;
  testSize: number;
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
}

export interface TrainResult {
  final: FinalMetrics;
  epochs: EpochMetrics[];
  start: TrainStart;
}
