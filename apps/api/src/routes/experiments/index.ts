// GET /experiments/:id: one trial (and GET /experiments/:id/epochs.csv, its epochs as CSV) with its config, status, runtime, per-epoch metrics, final metrics and artifact list;
// GET /experiments/:id/artifacts/:artifactId: one artifact with its data (evaluation report, curves, LR-finder trace).
import { getArtifact, getTrial, trialVisible } from '@ablate/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { checkPrefix } from '@ablate/store';
import { z } from 'zod';
import { ApiError } from '../../errors.js';
import { epochsCsv } from '../../tables/export.js';
import { ErrorResponse, IdParams } from '../../schemas/common.js';
import { ArtifactParams, ArtifactResponse, ExperimentResponse } from '../../schemas/experiments.js';
import { experimentPlotsRoutes } from './plots.js';

export const experimentsRoutes: FastifyPluginAsyncZod = async (app) => {
  // Trials are shared across projects, views are not: every /experiments/:id route first checks that a sweep of the
  // caller's project holds the trial, and answers as for an unknown id when none does.
  app.addHook('preHandler', async (request) => {
    const id = (request.params as { id?: string }).id;
    if (id !== undefined && !(await trialVisible(app.db, id, request.auth.projectId))) {
      throw new ApiError('EXPERIMENT_ERR_NOT_FOUND', `no experiment '${id}'`);
    }
  });
  await app.register(experimentPlotsRoutes);
  app.get(
    '/experiments/:id',
    {
      schema: {
        tags: ['experiments'],
        summary: 'One trial (experiment): resolved config, status, backend, per-epoch metrics and final metrics.',
        params: IdParams,
        response: { 200: ExperimentResponse, 404: ErrorResponse },
      },
    },
    async (request) => {
      const t = await getTrial(app.db, request.params.id, request.auth.projectId);
      if (!t) throw new ApiError('EXPERIMENT_ERR_NOT_FOUND', `no experiment '${request.params.id}'`);
      return {
        id: t.id,
        groupKey: t.groupKey,
        status: t.status,
        seed: t.seed,
        config: t.config as Record<string, unknown>,
        attempts: t.attempts,
        workerId: t.workerId,
        backend: t.backend,
        device: t.device,
        runtime: t.runtime as Record<string, unknown> | null,
        finalMetrics: t.finalMetrics as Record<string, number> | null,
        error: t.error as Record<string, unknown> | null,
        queuedAt: t.queuedAt,
        startedAt: t.startedAt,
        finishedAt: t.finishedAt,
        durationMs: t.durationMs,
        epochs: t.epochs.map(({ id: _id, trialId: _t, createdAt: _c, ...e }) => e),
        sweeps: t.cells.map((c) => ({ sweepId: c.sweepId, labels: c.labels as Record<string, string> })),
        artifacts: t.artifacts.map((a) => ({ ...a, id: String(a.id), uri: opaqueUri(a.uri) })),
      };
    },
  );

  app.get(
    '/experiments/:id/epochs.csv',
    {
      schema: {
        tags: ['experiments'],
        summary: "One trial's per-epoch metrics as CSV.",
        params: IdParams,
        response: { 200: z.string(), 404: ErrorResponse },
      },
    },
    async (request, reply) => {
      const t = await app.db.trial.findUnique({ where: { id: request.params.id }, select: { id: true } });
      if (!t) throw new ApiError('EXPERIMENT_ERR_NOT_FOUND', `no experiment '${request.params.id}'`);
      const epochs = await app.db.epochMetric.findMany({ where: { trialId: t.id }, orderBy: { epoch: 'asc' } });
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="experiment-${t.id}-epochs.csv"`)
        .send(epochsCsv(epochs));
    },
  );

  app.get(
    '/experiments/:id/artifacts/:artifactId',
    {
      schema: {
        tags: ['experiments'],
        summary:
          'One artifact of a trial with its data: the evaluation report (confusion matrix, per-class precision/recall, AUC, AP), curves, or the LR-finder trace.',
        params: ArtifactParams,
        response: { 200: ArtifactResponse, 404: ErrorResponse },
      },
    },
    async (request) => {
      const a = await getArtifact(app.db, request.params.id, BigInt(request.params.artifactId));
      if (!a) throw new ApiError('ARTIFACT_ERR_NOT_FOUND', `no artifact ${request.params.artifactId} for experiment '${request.params.id}'`);
      return { ...a, id: String(a.id), uri: opaqueUri(a.uri) };
    },
  );
};

/** An artifact's file as its blob-store key (`trials/<id>/checkpoints/…`); anything else (a path an old worker wrote) is withheld. */
function opaqueUri(uri: string | null): string | null {
  if (uri === null || !uri.startsWith('trials/')) return null;
  try {
    return checkPrefix(uri);
  } catch {
    return null;
  }
}
