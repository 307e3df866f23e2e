// GET /sweeps/:id/table: the ablation table, one row per configuration, seeds aggregated (json | markdown | csv).
import { type SweepRow, sweepRows } from '@ablate/db';
import { loadTableValues } from '../../tables/load.js';
import { StudyLayout } from '@ablate/spec';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiError } from '../../errors.js';
import { ErrorResponse, IdParams } from '../../schemas/common.js';
import { TableQuery } from '../../schemas/sweeps.js';
import { buildAblationTable, UnknownBaselineError } from '../../tables/ablation-table.js';
import { TABLE_METRICS } from '../../tables/metrics.js';
import { toCsv, toMarkdown } from '../../tables/format.js';
import { PivotAxesError, pivot } from '../../tables/pivot.js';
import { buildStudyTable, StudyMetricError, studyCsv, studyMarkdown } from '../../tables/study-table.js';
import { pivotCsv, pivotHtml, pivotLatex, pivotMarkdown } from '../../tables/pivot-format.js';

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
      const sweep = await app.db.sweep.findFirst({
        where: { id: request.params.id, projectId: request.auth.projectId },
        select: { id: true, resolved: true },
      });
      if (!sweep) throw new ApiError('SWEEP_ERR_NOT_FOUND', `no sweep '${request.params.id}'`);
      const axes = (sweep.resolved as { axes: { key: string }[] }).axes.map((a) => a.key);
      const { metric, baseline, format } = request.query;
      if (request.query.layout === 'study') return studyLayout(request, reply, sweep, await sweepRows(app.db, sweep.id));
      const { input, reduction } = await loadTableValues(app.db, sweep.id, request.query);
      const style = TABLE_METRICS[metric];
      const { title, percent } = style;
      // Columns, LaTeX and HTML go through the pivot (a table without column axes is a pivot with one column).
      if (request.query.cols?.length || request.query.rows?.length || format === 'latex' || format === 'html') {
        const cols = request.query.cols ?? [];
        const rowAxes = request.query.rows ?? axes.filter((a) => !cols.includes(a));
        let p: ReturnType<typeof pivot>;
        try {
          p = pivot(buildAblationTable(input, axes, metric), rowAxes, cols, baseline);
        } catch (err) {
          if (err instanceof PivotAxesError) throw new ApiError('TABLE_ERR_BAD_AXES', err.message, [{ path: 'query', message: err.message }]);
          throw err;
        }
        if (format === 'markdown') return reply.type('text/markdown; charset=utf-8').send(pivotMarkdown(p, style));
        if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(pivotCsv(p));
        if (format === 'latex') return reply.type('application/x-latex; charset=utf-8').send(pivotLatex(p, style));
        if (format === 'html') return reply.type('text/html; charset=utf-8').send(pivotHtml(p, style));
        return { sweepId: sweep.id, ...p, title, percent, reduce: reduction };
      }
      let table: ReturnType<typeof buildAblationTable>;
      try {
        table = buildAblationTable(input, axes, metric, baseline);
      } catch (err) {
        if (err instanceof UnknownBaselineError)
          throw new ApiError('TABLE_ERR_UNKNOWN_BASELINE', err.message, [{ path: 'query.baseline', message: err.message }]);
        throw err;
      }
      switch (request.query.format) {
        case 'markdown':
          return reply.type('text/markdown; charset=utf-8').send(toMarkdown(table, title, percent));
        case 'csv':
          return reply.type('text/csv; charset=utf-8').send(toCsv(table));
        default:
          // title and percent say how the metric reads (an accuracy in [0, 1] printed as %, or a plain number).
          return { sweepId: sweep.id, ...table, title, percent, reduce: reduction };
      }
    },
  );
};

/** The study layout: the metric is the layout's unless the request names one; grid options do not apply. */
function studyLayout(request: FastifyRequest, reply: FastifyReply, sweep: { id: string; resolved: unknown }, rows: SweepRow[]) {
  const query = request.query as { format: string; metric: string; cols?: unknown; rows?: unknown; baseline?: unknown; reduce: string };
  const fail = (path: string, message: string): never => {
    throw new ApiError('API_ERR_BAD_REQUEST', message, [{ path, message }]);
  };
  const parsed = StudyLayout.safeParse((sweep.resolved as { table?: unknown }).table);
  if (!parsed.success) return fail('querystring.layout', "this sweep has no study layout (its spec has no valid 'table'); use layout=grid");
  for (const option of ['cols', 'rows', 'baseline'] as const)
    if (query[option] !== undefined) fail(`querystring.${option}`, `${option} applies to layout=grid, not layout=study`);
  if (query.reduce !== 'final') fail('querystring.reduce', 'layout=study reports final metrics (reduce=final)');
  if (!['json', 'markdown', 'csv'].includes(query.format)) fail('querystring.format', 'layout=study is json, markdown or csv');
  const named = new URL(request.url, 'http://x').searchParams.has('metric');
  let t: ReturnType<typeof buildStudyTable>;
  try {
    t = buildStudyTable(rows, parsed.data, named ? (query.metric as never) : undefined);
  } catch (err) {
    if (err instanceof StudyMetricError) return fail('table.metric', err.message);
    throw err;
  }
  if (query.format === 'markdown') return reply.type('text/markdown; charset=utf-8').send(studyMarkdown(t));
  if (query.format === 'csv') return reply.type('text/csv; charset=utf-8').send(studyCsv(t));
  return { sweepId: sweep.id, layout: 'study', ...t };
}
