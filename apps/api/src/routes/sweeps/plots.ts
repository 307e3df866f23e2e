// GET /sweeps/:id/plots/<name>.<svg|png>: one plot of a sweep rendered on the server (bars: the ablation table as a
// bar chart; curves: per-epoch curves of every row), one route per registered sweep plot with its own query.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { asApiError, CACHE_LIVE, PlotFormatParam, PlotImageResponse, plotFormat, sendPlot, unmatchedPlot } from '../../plots/http.js';
import { listPlots } from '../../plots/registry.js';
import { render } from '../../plots/render.js';
import { ErrorResponse, IdParams } from '../../schemas/common.js';
import { loadSweep } from './load.js';

export const sweepPlotsRoutes: FastifyPluginAsyncZod = async (app) => {
  for (const plot of listPlots('sweep')) {
    app.get(
      `/sweeps/:id/plots/${plot.name}.:format`,
      {
        schema: {
          tags: ['sweeps'],
          summary: `Plot '${plot.name}' of a sweep: ${plot.description}`,
          params: IdParams.extend({ format: PlotFormatParam }),
          querystring: plot.query,
          response: { 200: PlotImageResponse, 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse },
        },
      },
      async (request, reply) => {
        const format = plotFormat(request.params.format);
        const sweep = await loadSweep(app.db, request.params.id, request.auth.projectId);
        const axes = (sweep.resolved as { axes: { key: string }[] }).axes.map((a) => a.key);
        const data = await plot.load(app.db, { id: sweep.id, name: sweep.name, axes }, request.query);
        let spec: ReturnType<typeof plot.spec>;
        try {
          spec = plot.spec(data, request.query);
        } catch (err) {
          throw asApiError(err);
        }
        const body = await render(spec, format, request.log);
        // A sweep can still change after it ends (extended, retried): always revalidated.
        return sendPlot(request, reply, body, format, CACHE_LIVE);
      },
    );
  }

  app.get(
    '/sweeps/:id/plots/:file',
    { schema: { hide: true, params: IdParams.extend({ file: z.string().max(200) }), response: { 400: ErrorResponse, 404: ErrorResponse } } },
    async (request) => {
      throw unmatchedPlot('sweep', request.params.file);
    },
  );
};
