// POST /sweeps: validate and expand a sweep, store it and its trials in Postgres (the reconciler delivers them); an
// Idempotency-Key makes a retried POST return the first answer instead of creating a second sweep.
import { randomUUID } from 'node:crypto';
import { findIdempotent, insertSweep, requestHash, storeIdempotent } from '@ablate/db';
import { trialsQueueFor, type SweepPlan } from '@ablate/spec';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { checkDataPaths } from '../../datasets/data-paths.js';
import { checkQuotas, recheckQueuedTrials } from '../../quotas/check.js';
import { ApiError } from '../../errors.js';
import { ErrorResponse } from '../../schemas/common.js';
import { CreateSweepBody, CreateSweepQuery, CreateSweepResponse, DryRunResponse } from '../../schemas/sweeps.js';

const ROUTE = 'POST /sweeps';
const IdempotencyHeaders = z.object({ 'idempotency-key': z.string().min(1).max(200).optional() }).passthrough();

export const createSweepRoute: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/sweeps',
    {
      schema: {
        tags: ['sweeps'],
        summary: 'Submit a sweep: a base config, axes and seeds. Trials already trained by any sweep are reused, not retrained.',
        description: 'Send an `Idempotency-Key` header to make retries safe: a repeat with the same key and body returns the first answer.',
        body: CreateSweepBody,
        querystring: CreateSweepQuery,
        headers: IdempotencyHeaders,
        response: { 201: CreateSweepResponse, 200: DryRunResponse, 400: ErrorResponse, 422: ErrorResponse, 429: ErrorResponse, 503: ErrorResponse },
      },
    },
    async (request, reply) => {
      const plan = request.body as SweepPlan;
      const limits = await checkQuotas(app.db, plan, request.auth.projectId);
      await checkDataPaths(plan.cells, app.dataRoots);
      if (request.query.dryRun) {
        return reply.status(200).send({
          trials: plan.cells.length,
          axes: plan.axes,
          shape: plan.shape,
          cells: plan.cells.map((c) => ({ index: c.index, trialId: c.trialId, labels: c.labels, seed: c.seed, config: c.config })),
        });
      }
      const key = request.headers['idempotency-key'];
      // Keys are per project: two projects may use the same Idempotency-Key without seeing each other's answers.
      const route = `${ROUTE} ${request.auth.projectId}`;
      const hash = requestHash(request.rawBodyJson);
      const replay = async () => {
        const prior = key ? await findIdempotent(app.db, route, key) : null;
        if (!prior) return undefined;
        if (prior.requestHash !== hash) throw new ApiError('IDEMPOTENCY_ERR_KEY_REUSED');
        return reply
          .status(prior.statusCode as 201)
          .header('idempotent-replayed', 'true')
          .send(prior.response as never);
      };
      const earlier = await replay();
      if (earlier) return earlier;

      const id = randomUUID();
      const answer = (created: number, queued: number) => ({
        id,
        name: plan.spec.name,
        trials: plan.cells.length,
        created,
        reused: plan.cells.length - created,
        queued,
        priority: plan.spec.priority,
        axes: plan.axes,
      });
      let stored: Awaited<ReturnType<typeof insertSweep>>;
      try {
        stored = await insertSweep(
          app.db,
          {
            id,
            name: plan.spec.name,
            projectId: request.auth.projectId,
            spec: request.rawBodyJson ?? null,
            resolved: { ...plan.spec, axes: plan.axes, trials: plan.cells.length },
            backend: plan.spec.backend,
            priority: plan.spec.priority,
            cells: plan.cells,
            queue: trialsQueueFor(plan.spec.backend),
          },
          async (tx, r) => {
            await recheckQueuedTrials(request.auth.projectId, id, limits)(tx);
            if (key) await storeIdempotent(tx, route, key, { statusCode: 201, requestHash: hash, response: answer(r.created.length, r.queued) });
          },
        );
      } catch (err) {
        // A concurrent request with the same key won the race: answer as it did.
        if (key && (err as { code?: string }).code === 'P2002') {
          const earlier = await replay();
          if (earlier) return earlier;
        }
        throw err;
      }
      request.log.info({ sweepId: id, trials: plan.cells.length, created: stored.created.length, queued: stored.queued }, 'sweep submitted');
      return reply.status(201).send(answer(stored.created.length, stored.queued));
    },
  );
};
