// GET /sweeps/:id/export.csv: every trial × epoch of a sweep in long format (axis labels and config fields as columns),
// streamed 500 trials at a time so a 10,000-trial sweep never sits in memory as one string.
import { Readable } from 'node:stream';
import { sweepRows } from '@ablate/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorResponse, IdParams } from '../../schemas/common.js';
import { type EpochRow, exportHeader, exportLines, flattenConfig } from '../../tables/export.js';
import { csvCell } from '../../tables/format.js';
import { loadSweep } from './load.js';

const CHUNK = 500;

export const exportSweepRoute: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/sweeps/:id/export.csv',
    {
      schema: {
        tags: ['sweeps'],
        summary:
          'Every trial × epoch of the sweep as CSV (long format): trial, seed, status, each axis label and config field, then the epoch metrics.',
        params: IdParams,
        // 200 is a CSV stream (text/csv); no JSON schema to serialize it with.
        response: { 404: ErrorResponse },
      },
    },
    async (request, reply) => {
      const sweep = await loadSweep(app.db, request.params.id, request.auth.projectId);
      const axes = (sweep.resolved as { axes: { key: string }[] }).axes.map((a) => a.key);
      const rows = await sweepRows(app.db, sweep.id);
      const configs = await app.db.trial.findMany({ where: { id: { in: rows.map((r) => r.trialId) } }, select: { id: true, config: true } });
      const configOf = new Map(configs.map((c) => [c.id, c.config]));
      const columns = [...new Set(configs.flatMap((c) => Object.keys(flattenConfig(c.config))))].sort();
      const db = app.db;
      async function* lines() {
        yield `${exportHeader(axes, columns).map(csvCell).join(',')}\n`;
        for (let i = 0; i < rows.length; i += CHUNK) {
          const chunk = rows.slice(i, i + CHUNK);
          const epochs = await db.epochMetric.findMany({
            where: { trialId: { in: chunk.map((r) => r.trialId) } },
            orderBy: [{ trialId: 'asc' }, { epoch: 'asc' }],
          });
          const byTrial = new Map<string, EpochRow[]>();
          for (const e of epochs) {
            if (!byTrial.has(e.trialId)) byTrial.set(e.trialId, []);
            byTrial.get(e.trialId)!.push(e);
          }
          let out = '';
          for (const r of chunk) {
            out += exportLines(
              {
                trialId: r.trialId,
                index: r.index,
                seed: r.seed,
                status: r.status,
                labels: r.labels,
                config: configOf.get(r.trialId),
                epochs: byTrial.get(r.trialId) ?? [],
              },
              axes,
              columns,
            );
          }
          yield out;
        }
      }
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="sweep-${sweep.id}.csv"`)
        .send(Readable.from(lines()) as never);
    },
  );
};
