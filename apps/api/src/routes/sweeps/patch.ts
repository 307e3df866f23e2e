// PATCH /sweeps/:id: change the priority, or extend the sweep with axis values, variants or seeds. The extended spec
// is expanded again; only cells the sweep does not have are added (and trials no sweep has are created and queued).
import { extendSweep, setPriority, sweepStatusCounts } from '@ablate/db';
import { planSweep, SweepSpec, trialsQueueFor, type BackendRequirement } from '@ablate/spec';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { checkDataPaths } from '../../datasets/data-paths.js';
import { checkQuotas } from '../../quotas/check.js';
import { ApiError, type Issue } from '../../errors.js';
import { ErrorResponse, IdParams } from '../../schemas/common.js';
import { PatchSweepBody, PatchSweepResponse } from '../../schemas/sweeps.js';
import { loadSweep } from './load.js';

export const patchSweepRoute: FastifyPluginAsyncZod = async (app) => {
  app.patch(
    '/sweeps/:id',
    {
      schema: {
        tags: ['sweeps'],
        summary: 'Change priority, or extend a sweep with axis values, variants or seeds (only new cells are created and queued).',
        params: IdParams,
        body: PatchSweepBody,
        response: { 200: PatchSweepResponse, 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse, 429: ErrorResponse },
      },
    },
    async (request) => {
      const sweep = await loadSweep(app.db, request.params.id, request.auth.projectId);
      const body = request.body;
      let r = { added: 0, created: 0, queued: 0 };
      let trialCount = sweep.trialCount;
      if (body.axes || body.variants || body.seeds) {
        if (sweep.status === 'cancelled') throw new ApiError('SWEEP_ERR_BUSY', 'the sweep is cancelled: retry it before extending it');
        const spec = extended(sweep.spec as Record<string, unknown>, body);
        const parsed = SweepSpec.safeParse(spec);
        const planned = parsed.success ? planSweep(parsed.data) : undefined;
        const issues: Issue[] = parsed.success
          ? (planned?.issues ?? []).map((i) => ({ path: i.path.join('.'), message: i.message }))
          : parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
        if (!planned?.plan || issues.length) {
          throw new ApiError('SWEEP_ERR_INVALID_EXTENSION', issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; '), issues);
        }
        const plan = planned.plan;
        // Counted before the extension is stored (extendSweep takes no in-transaction check): racing writes may overshoot queuedTrials slightly.
        await checkQuotas(app.db, plan, request.auth.projectId);
        await checkDataPaths(plan.cells, app.dataRoots);
        r = await extendSweep(app.db, {
          sweepId: sweep.id,
          spec,
          resolved: { ...plan.spec, priority: body.priority ?? sweep.priority, axes: plan.axes, trials: plan.cells.length },
          cells: plan.cells,
          queue: trialsQueueFor(sweep.backend as BackendRequirement),
        });
        trialCount = plan.cells.length;
      }
      if (body.priority !== undefined && body.priority !== sweep.priority) await setPriority(app.db, sweep.id, body.priority);
      if (!(body.axes || body.variants || body.seeds)) r = { ...r, queued: (await sweepStatusCounts(app.db, sweep.id)).queued };
      request.log.info({ sweepId: sweep.id, ...r, priority: body.priority }, 'sweep changed');
      return { id: sweep.id, priority: body.priority ?? sweep.priority, trialCount, ...r };
    },
  );
};

/** The stored spec with the additions appended; an addition to an axis the sweep lacks, or a repeat, is refused. */
function extended(spec: Record<string, unknown>, add: { axes?: Record<string, unknown[]>; variants?: unknown[]; seeds?: number[] }) {
  const issues: Issue[] = [];
  const axes = { ...((spec.axes as Record<string, unknown[]> | undefined) ?? {}) };
  for (const [key, values] of Object.entries(add.axes ?? {})) {
    if (!Object.hasOwn(axes, key)) {
      issues.push({
        path: `axes.${key}`,
        message: `the sweep has no axis '${key}' (axes: ${Object.keys(axes).join(', ') || 'none'}); only existing axes can grow`,
      });
      continue;
    }
    axes[key] = [...axes[key]!, ...values];
  }
  const seeds = (spec.seeds as number[] | undefined) ?? [0];
  for (const s of add.seeds ?? []) if (seeds.includes(s)) issues.push({ path: 'seeds', message: `seed ${s} is already in the sweep` });
  if (add.variants && !spec.variants) issues.push({ path: 'variants', message: 'the sweep has no variants to add to' });
  if (issues.length) throw new ApiError('SWEEP_ERR_INVALID_EXTENSION', issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
  return {
    ...spec,
    axes,
    seeds: [...seeds, ...(add.seeds ?? [])],
    ...(add.variants ? { variants: [...(spec.variants as unknown[]), ...add.variants] } : {}),
  };
}
