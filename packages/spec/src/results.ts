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
  /** With a TTA other than 'none': the final evaluation through it (testTop1 etc. stay the plain last-epoch values). */
  ttaTop1: z.number().optional(),
  ttaTop5: z.number().optional(),
  ttaLoss: z.number().optional(),
  /** From the softmax scores of the final evaluation (through TTA when configured), as scikit-learn computes them; absent when undefined (a class without positives). */
  rocAucMacro: z.number().optional(),
  rocAucMicro: z.number().optional(),
  apMacro: z.number().optional(),
  apMicro: z.number().optional(),
  /** Epochs already done when this run started (resumed from a checkpoint); 0 for a fresh run. */
  resumedFromEpoch: z.number().int().optional(),
});
export type FinalMetrics = z.output<typeof FinalMetrics>;

/** The summary of an LR range test (kind 'lr_finder'); its curve is stored as an artifact. */
export const LrFinderResult = z.object({
  suggestedLr: z.number(),
  /** lr at the minimum of the smoothed loss (fastai's "minimum" rule suggests a tenth of it). */
  minLossLr: z.number(),
  minSmoothedLoss: z.number(),
  iterations: z.number().int(),
  /** 1 when the run stopped because the smoothed loss exceeded divergeFactor × its minimum, else 0. */
  diverged: z.number().int(),
  seconds: z.number(),
});
export type LrFinderResult = z.output<typeof LrFinderResult>;
