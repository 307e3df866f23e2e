// The fully resolved configuration of one trial: the single source of truth for api, worker and engine.
import { z } from 'zod';
import { datasets, losses, models, optimizers, schedules, ttas } from '../catalog/index.js';
import { AugmentationConfig } from './augmentation.js';

/** Bump when a change to the engine makes old results incomparable; it is part of every trial's hash. */
export const CONFIG_SCHEMA_VERSION = 2;

/**
 * The LR range test (kind 'lr_finder'): `iterations` steps with lr_i = startLr·(endLr/startLr)^(i/iterations), i = 1..iterations,
 * on the trial's model, optimizer, loss, data and augmentation; the loss is smoothed by a bias-corrected EMA (β = `smoothing`);
 * the run stops early when the smoothed loss exceeds `divergeFactor` × its minimum (or is not finite). Suggested lr: where the
 * smoothed loss falls fastest per unit of log lr (the minimum of its gradient), ignoring the first `skipStart` and last `skipEnd`
 * points (Smith 2017, arXiv:1506.01186; the smoothing and stop rule as fastai's lr_find).
 */
export const LrFinderOptions = z
  .object({
    startLr: z.number().positive().default(1e-7),
    endLr: z.number().positive().default(10),
    iterations: z.number().int().min(5).max(100_000).default(100),
    smoothing: z.number().min(0).lt(1).default(0.98),
    divergeFactor: z.number().gt(1).default(4),
    skipStart: z.number().int().min(0).default(10),
    skipEnd: z.number().int().min(0).default(5),
  })
  .strict()
  .refine((o) => o.endLr > o.startLr, { message: 'endLr must be greater than startLr', path: ['endLr'] });
export type LrFinderOptions = z.output<typeof LrFinderOptions>;

export const TrialConfig = z
  .object({
    schemaVersion: z.literal(CONFIG_SCHEMA_VERSION).default(CONFIG_SCHEMA_VERSION),
    /** 'train': train and evaluate; 'lr_finder': an LR range test with the same components (see LrFinderOptions). */
    kind: z.enum(['train', 'lr_finder']).default('train'),
    dataset: datasets.schema(),
    model: models.schema(),
    optimizer: optimizers.schema(),
    schedule: schedules.schema().default({ name: 'constant' }),
    loss: losses.schema().default({ name: 'ce' }),
    augmentation: AugmentationConfig.default([]),
    epochs: z.number().int().min(1).max(10_000),
    batchSize: z.number().int().min(1).max(65_536).default(128),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(0),
    /** Test-time augmentation for the final evaluation. */
    tta: ttas.schema().default({ name: 'none' }),
    lrFinder: LrFinderOptions.default(LrFinderOptions.parse({})),
  })
  .strict();

export type TrialConfig = z.output<typeof TrialConfig>;
export type TrialConfigInput = z.input<typeof TrialConfig>;

/** Top-level keys of a trial config, in schema order. */
export const TRIAL_CONFIG_KEYS = Object.keys(TrialConfig.shape) as (keyof TrialConfig)[];
