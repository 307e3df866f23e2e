// GET /sweeps/:id/table: the ablation table, one row per configuration, seeds aggregated (json | markdown | csv).
import { sweepRows } from '@ablate/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiError } from '../../errors.js';
import { ErrorResponse, IdParams } from '../../schemas/common.js';
import { TableQuery } from '../../schemas/sweeps.js';
import { buildAblationTable, UnknownBaselineError } from '../../tables/ablation-table.js';
import { metricValue, TABLE_METRICS } from '../../tables/metrics.js';
import { toCsv, toMarkdown } from '../../tables/format.js';

export const sweepTableRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/sweeps/:id/table',
    {
      schema: {
        tags: ['sweeps'],
        summary:
          'Ablation table: one row per distinct config, a final metric (default: last-epoch test top-1) as mean ± std over seeds, with n; with `baseline`, each row’s Δ and its 95 % CI (paired by seed, else Welch).',
        params: IdParams,
        querystring: TableQuery,
        response: { 200: z.unknown(), 400: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request, reply) => {
      const sweep = await app.db.sweep.findUnique({ where: { id: request.params.id }, select: { id: true, resolved: true } });
      if (!sweep) throw new ApiError('SWEEP_ERR_NOT_FOUND', `no sweep '${request.params.id}'`);
      const axes = (sweep.resolved as { axes: { key: string }[] }).axes.map((a) => a.key);
      const rows = await sweepRows(app.db, sweep.id);
      const { metric, baseline } = request.query;
      let table: ReturnType<typeof buildAblationTable>;
      try {
        table = buildAblationTable(
          rows.map((r) => ({ labels: r.labels, seed: r.seed, status: r.status, value: metricValue(r, metric) })),
          axes,
          metric,
          baseline,
        );
      } catch (err) {
        if (err instanceof UnknownBaselineError)
          throw new ApiError('TABLE_ERR_UNKNOWN_BASELINE', err.message, [{ path: 'query.baseline', message: err.message }]);
        throw err;
      }
      const { title, percent } = TABLE_METRICS[metric];
      switch (request.query.format) {
        case 'markdown':
          return reply.type('text/markdown; charset=utf-8').send(toMarkdown(table, title, percent));
        case 'csv':
          return reply.type('text/csv; charset=utf-8').send(toCsv(table));
        default:
          // title and percent say how the metric reads (an accuracy in [0, 1] printed as %, or a plain number).
          return { sweepId: sweep.id, ...table, title, percent };
      }
    },
  );
};
