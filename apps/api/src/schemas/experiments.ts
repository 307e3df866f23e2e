// Response schemas of /experiments/:id (one trial) and its artifacts.
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
  /** What the trial produced besides metric rows: 'evaluation', 'curves', 'lr_finder' (data) and 'checkpoint', 'tensorboard' (uri). */
  artifacts: z.array(z.object({ id: z.string(), kind: z.string(), uri: z.string().nullable(), createdAt: z.date() })),
});

export const ArtifactParams = z.object({
  id: z.string().min(1).max(100),
  artifactId: z.string().regex(/^\d{1,18}$/, 'must be a numeric artifact id'),
});

export const ArtifactResponse = z.object({
  id: z.string(),
  trialId: z.string(),
  kind: z.string(),
  uri: z.string().nullable(),
  data: z.unknown(),
  createdAt: z.date(),
});
