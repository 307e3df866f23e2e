// What a trial reports: the metrics of each epoch (one EpochMetric row each) and its final summary. Shared by the
// engine that computes them, the worker that stores them and the API that serves them.
import { z } from 'zod';

export const EpochMetrics = z.object({
  /** 1-based. */
  epoch: z.number().int().min(1),
  trainLoss: z.number(),
  trainAcc: z.number(),
  testLoss: z.number(),
  testTop1: z.number(),
  testTop5: z.number(),
  /** lr at the last step of the epoch. */
  lr: z.number(),
  /** Wall time of the epoch, training and evaluation. */
  seconds: z.number(),
});
export type EpochMetrics = z.output<typeof EpochMetrics>;

export const FinalMetrics = z.object({
  testTop1: z.number(),
  testTop5: z.number(),
  testLoss: z.number(),
  trainLoss: z.number(),
  trainAcc: z.number(),
  /** Best test top-1 over epochs and where it was reached (reported, never used to select). */
  bestTop1: z.number(),
  bestEpoch: z.number().int(),
  epochs: z.number().int(),
  seconds: z.number(),
  trainImagesPerSecond: z.number(),
});
export type FinalMetrics = z.output<typeof FinalMetrics>;
