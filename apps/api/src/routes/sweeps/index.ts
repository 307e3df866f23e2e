// /sweeps: submit a sweep (expand, store, enqueue) and read its status.
import { randomUUID } from 'node:crypto';
import { requirementOfQueue, trialsQueueFor, type SweepPlan } from '@ablate/spec';
import { insertSweep, statusFromCounts, sweepStatusCounts } from '@ablate/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiError } from '../../errors.js';
import { ErrorResponse, IdParams } from '../../schemas/common.js';
import { CreateSweepBody, CreateSweepQuery, CreateSweepResponse, DryRunResponse, SweepResponse } from '../../schemas/sweeps.js';

export const sweepsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/sweeps',
    {
      schema: {
        tags: ['sweeps'],
        summary: 'Submit a sweep: a base config, axes and seeds. Trials already trained by any sweep are reused, not retrained.',
        body: CreateSweepBody,
        querystring: CreateSweepQuery,
        response: { 201: CreateSweepResponse, 200: DryRunResponse, 400: ErrorResponse, 503: ErrorResponse },
      },
    },
    async (request, reply) => {
      const plan = request.body as SweepPlan;
      if (request.query.dryRun) {
        return reply.status(200).send({
          trials: plan.cells.length,
          axes: plan.axes,
          cells: plan.cells.map((c) => ({ index: c.index, trialId: c.trialId, labels: c.labels, seed: c.seed, config: c.config })),
        });
      }
      const id = randomUUID();
      const log = request.log.child({ sweepId: id });
      const stored = await insertSweep(app.db, {
        id,
        name: plan.spec.name,
        spec: rawBody(request),
        resolved: { ...plan.spec, axes: plan.axes, trials: plan.cells.length },
        backend: plan.spec.backend,
        cells: plan.cells,
        queue: trialsQueueFor(plan.spec.backend),
      });
      const byId = new Map(plan.cells.map((c) => [c.trialId, c]));
      let queued = 0;
      try {
        // A reused trial keeps the queue (and so the backend requirement) of the sweep that created it.
        queued = await app.trialQueue.enqueue(
          stored.toEnqueue.map((t) => ({
            trialId: t.id,
            sweepId: id,
            config: byId.get(t.id)!.config,
            backend: requirementOfQueue(t.queue),
          })),
        );
      } catch (err) {
        log.error({ err }, 'enqueue failed; trials stay queued in the database');
        throw new ApiError('QUEUE_ERR_UNAVAILABLE');
      }
      log.info({ trials: plan.cells.length, created: stored.created.length, queued }, 'sweep submitted');
      return reply.status(201).send({
        id,
        name: plan.spec.name,
        trials: plan.cells.length,
        created: stored.created.length,
        reused: plan.cells.length - stored.created.length,
        queued,
        axes: plan.axes,
      });
    },
  );

  app.get(
    '/sweeps/:id',
    {
      schema: {
        tags: ['sweeps'],
        summary: 'A sweep and the status counts of its trials.',
        params: IdParams,
        response: { 200: SweepResponse, 404: ErrorResponse },
      },
    },
    async (request) => {
      const sweep = await app.db.sweep.findUnique({ where: { id: request.params.id } });
      if (!sweep) throw new ApiError('SWEEP_ERR_NOT_FOUND', `no sweep '${request.params.id}'`);
      const resolved = sweep.resolved as { axes: { key: string; labels: string[] }[]; seeds: number[] };
      const counts = await sweepStatusCounts(app.db, sweep.id);
      return {
        id: sweep.id,
        name: sweep.name,
        // Derived from the same counts it is shown with, so the two always agree.
        status: sweep.status === 'cancelled' ? sweep.status : statusFromCounts(counts),
        backend: sweep.backend,
        trialCount: sweep.trialCount,
        counts,
        axes: resolved.axes,
        seeds: resolved.seeds,
        createdAt: sweep.createdAt,
        finishedAt: sweep.finishedAt,
      };
    },
  );
};

/** The body as the client sent it, before zod defaults (stored verbatim as the sweep's `spec`). */
function rawBody(request: { rawBodyJson?: unknown; body: unknown }): unknown {
  return request.rawBodyJson ?? null;
}
