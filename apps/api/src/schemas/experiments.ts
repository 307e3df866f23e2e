// Response schema of /experiments/:id (one trial).
import { EpochMetrics } from '@ablate/spec';
import { z } from 'zod';

/** One epoch as stored: the engine's metrics plus which attempt of the trial wrote them. */
export const EpochSchema = EpochMetrics.extend({ attempt: z.number().int() });

export const ExperimentResponse = z.object({
  id: z.string(),
  groupKey: z.string(),
  status: z.enum(['queued', 'running', 'done', 'failed', 'cancelled']),
  seed: z.number().int(),
  config: z.record(z.string(), z.unknown()),
  attempts: z.number().int(),
  workerId: z.string().nullable(),
  backend: z.string().nullable(),
  device: z.string().nullable(),
  runtime: z.record(z.string(), z.unknown()).nullable(),
  finalMetrics: z.record(z.string(), z.number()).nullable(),
  error: z.record(z.string(), z.unknown()).nullable(),
  queuedAt: z.date(),
  startedAt: z.date().nullable(),
  finishedAt: z.date().nullable(),
  durationMs: z.number().nullable(),
  epochs: z.array(EpochSchema),
  sweeps: z.array(z.object({ sweepId: z.string(), labels: z.record(z.string(), z.string()) })),
});
