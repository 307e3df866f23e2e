// Request and response schemas of /sweeps.
import { SweepRequest } from '@ablate/spec';
import { z } from 'zod';
import { TABLE_METRIC_NAMES } from '../tables/metrics.js';

export const CreateSweepBody = SweepRequest;

// Query schemas are strict: a parameter that is unknown or does not parse (`dryRun[]=true`, `dryRun[a]=`, a repeated
// scalar) is a 400 naming it, never silently dropped, so a mistyped dryRun can never fall through to the writing path.
export const CreateSweepQuery = z
  .object({
    /** Validate and expand only; store and enqueue nothing. */
    dryRun: z
      .enum(['true', 'false', '1', '0'])
      .optional()
      .transform((v) => v === 'true' || v === '1'),
  })
  .strict();

const Axis = z.object({ key: z.string(), labels: z.array(z.string()) });

export const CreateSweepResponse = z.object({
  id: z.string(),
  name: z.string(),
  trials: z.number().int(),
  /** Trials this sweep created; `reused` existed already (same config and seed in an earlier sweep) and are not retrained. */
  created: z.number().int(),
  reused: z.number().int(),
  /** Trials of this sweep waiting to train (jobs are keyed by trial id, so a trial is never queued twice). */
  queued: z.number().int(),
  axes: z.array(Axis),
});

export const DryRunResponse = z.object({
  trials: z.number().int(),
  axes: z.array(Axis),
  cells: z.array(
    z.object({
      index: z.number(),
      trialId: z.string(),
      labels: z.record(z.string(), z.string()),
      seed: z.number(),
      config: z.record(z.string(), z.unknown()),
    }),
  ),
});

export const StatusCounts = z.object({
  queued: z.number(),
  running: z.number(),
  done: z.number(),
  failed: z.number(),
  cancelled: z.number(),
  total: z.number(),
});

export const SweepResponse = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(['queued', 'running', 'done', 'failed', 'cancelled']),
  backend: z.string(),
  trialCount: z.number().int(),
  counts: StatusCounts,
  axes: z.array(Axis),
  seeds: z.array(z.number()),
  createdAt: z.date(),
  finishedAt: z.date().nullable(),
});

export const TableQuery = z
  .object({
    format: z.enum(['json', 'markdown', 'csv']).default('json'),
    /** Final metric to aggregate: testTop1 (last epoch), top1 (TTA where the trial used it), bestTop1, testTop5, ttaTop1, testLoss, AUC/AP, suggestedLr. */
    metric: z.enum(TABLE_METRIC_NAMES).default('testTop1'),
  })
  .strict();
