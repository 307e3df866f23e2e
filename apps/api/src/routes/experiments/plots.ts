// GET /experiments/:id/plots/<name>.<svg|png>: one plot of a trial rendered on the server, one route per registered
// trial plot (so each is in the OpenAPI document); any other name answers 404 with the closest names.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiError } from '../../errors.js';
import { findTrial, loadTrialPlotData } from '../../plots/trial/data.js';
import { asApiError, CACHE_FINISHED, CACHE_LIVE, PlotFormatParam, PlotImageResponse, plotFormat, sendPlot, unmatchedPlot } from '../../plots/http.js';
import { listPlots } from '../../plots/registry.js';
import { render } from '../../plots/render.js';
import { ErrorResponse, IdParams } from '../../schemas/common.js';

export const experimentPlotsRoutes: FastifyPluginAsyncZod = async (app) => {
  for (const plot of listPlots('trial')) {
    app.get(
      `/experiments/:id/plots/${plot.name}.:format`,
      {
        schema: {
          tags: ['experiments'],
          summary: `Plot '${plot.name}' of a trial: ${plot.description} (reads: ${plot.reads.join(', ')})`,
          params: IdParams.extend({ format: PlotFormatParam }),
          response: { 200: PlotImageResponse, 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse },
        },
      },
      async (request, reply) => {
        const format = plotFormat(request.params.format);
        const trial = await findTrial(app.db, request.params.id);
        if (!trial) throw new ApiError('EXPERIMENT_ERR_NOT_FOUND', `no experiment '${request.params.id}'`);
        const data = await loadTrialPlotData(app.db, trial, plot.reads);
        let spec: ReturnType<typeof plot.spec>;
        try {
          spec = plot.spec(data);
        } catch (err) {
          throw asApiError(err);
        }
        const body = await render(spec, format, request.log);
        return sendPlot(request, reply, body, format, trial.status === 'done' ? CACHE_FINISHED : CACHE_LIVE);
      },
    );
  }

  app.get(
    '/experiments/:id/plots/:file',
    { schema: { hide: true, params: IdParams.extend({ file: z.string().max(200) }), response: { 400: ErrorResponse, 404: ErrorResponse } } },
    async (request) => {
      throw unmatchedPlot('trial', request.params.file);
    },
  );
};
