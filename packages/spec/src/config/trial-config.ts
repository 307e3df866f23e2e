// The fully resolved configuration of one trial: the single source of truth for api, worker and engine.
import { z } from 'zod';
import { datasets, losses, models, optimizers, schedules } from '../catalog/index.js';
import { AugmentationConfig } from './augmentation.js';

/** Bump when a change to the engine makes old results incomparable; it is part of every trial's hash. */
export const CONFIG_SCHEMA_VERSION = 1;

export const TrialConfig = z
  .object({
    schemaVersion: z.literal(CONFIG_SCHEMA_VERSION).default(CONFIG_SCHEMA_VERSION),
    dataset: datasets.schema(),
    model: models.schema(),
    optimizer: optimizers.schema(),
    schedule: schedules.schema().default({ name: 'constant' }),
    loss: losses.schema().default({ name: 'ce' }),
    augmentation: AugmentationConfig.default([]),
    epochs: z.number().int().min(1).max(10_000),
    batchSize: z.number().int().min(1).max(65_536).default(128),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
  })
  .strict();

export type TrialConfig = z.output<typeof TrialConfig>;
export type TrialConfigInput = z.input<typeof TrialConfig>;

/** Top-level keys of a trial config, in schema order. */
export const TRIAL_CONFIG_KEYS = Object.keys(TrialConfig.shape) as (keyof TrialConfig)[];
