// The /sweeps resource: one route per file, registered here.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { cancelSweepRoute } from './cancel.js';
import { createSweepRoute } from './create.js';
import { deleteSweepRoute } from './delete.js';
import { sweepEventsRoute } from './events.js';
import { exportSweepRoute } from './export.js';
import { getSweepRoute } from './get.js';
import { listSweepsRoute } from './list.js';
import { patchSweepRoute } from './patch.js';
import { pauseSweepRoute } from './pause.js';
import { resumeSweepRoute } from './resume.js';
import { sweepPlotsRoutes } from './plots.js';
import { retrySweepRoute } from './retry.js';
import { sweepTableRoutes } from './table.js';
import { sweepTrialsRoute } from './trials.js';

export const sweepsRoutes: FastifyPluginAsyncZod = async (app) => {
  for (const route of [
    createSweepRoute,
    listSweepsRoute,
    getSweepRoute,
    sweepTrialsRoute,
    sweepTableRoutes,
    sweepPlotsRoutes,
    exportSweepRoute,
    sweepEventsRoute,
    patchSweepRoute,
    cancelSweepRoute,
    pauseSweepRoute,
    resumeSweepRoute,
    retrySweepRoute,
    deleteSweepRoute,
  ]) {
    await app.register(route);
  }
};
