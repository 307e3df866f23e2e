// Learning-rate schedule catalogue; every schedule is a pure function of (epoch, iteration).
import { z } from 'zod';
import { defineCatalog, type CatalogEntry } from './catalog.js';

export const schedules = defineCatalog<CatalogEntry>('schedule', [
  { name: 'constant', description: 'The optimizer\'s lr for every step.', options: {} },
  {
    name: 'warmup_cosine',
    description: 'Linear warmup from 0 over `warmupEpochs`, then cosine to `minLr` (the study\'s epoch-granular curve).',
    options: {
      warmupEpochs: z.number().int().min(0).default(5),
      minLr: z.number().min(0).default(1e-5),
      /** Cosine period in epochs; default = the trial's epochs (the study: 200). */
      tMax: z.number().int().positive().optional(),
    },
  },
  {
    name: 'multistep',
    description: 'Multiply the lr by `gamma` at each milestone epoch (upstream: 60/120/160 × 0.2).',
    options: {
      milestones: z.array(z.number().int().positive()).default([60, 120, 160]),
      gamma: z.number().positive().max(1).default(0.2),
    },
  },
]);
