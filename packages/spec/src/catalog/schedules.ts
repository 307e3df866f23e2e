// Learning-rate schedule catalogue; every schedule is a pure function of (epoch, iteration), so a checkpoint needs no
// schedule state beyond its position. Each one is checked against the PyTorch scheduler (and stepping loop) it names.
import { z } from 'zod';
import { defineCatalog, type CatalogEntry } from './catalog.js';

export const schedules = defineCatalog<CatalogEntry>('schedule', [
  { name: 'constant', description: "The optimizer's lr for every step.", options: {} },
  {
    name: 'warmup_cosine',
    description:
      'Linear warmup from 0 over `warmupEpochs`, then cosine to `minLr`. granularity "study": the study\'s exact per-iteration trace ' +
      '(GradualWarmupScheduler + CosineAnnealingLR stepped with the epoch after every batch: the first batch of an epoch uses the previous ' +
      'epoch\'s lr, the first two batches after warmup the base lr); "epoch": the same curve, one value per epoch; "iteration": ' +
      'per-step linear warmup then cosine over the remaining steps (LinearLR → CosineAnnealingLR).',
    options: {
      warmupEpochs: z.number().int().min(0).default(5),
      minLr: z.number().min(0).default(1e-5),
      /** Cosine period in epochs; default: the trial's epochs for "study"/"epoch" (the study: T=200), epochs − warmup for "iteration". */
      tMax: z.number().int().positive().optional(),
      granularity: z.enum(['study', 'epoch', 'iteration']).default('epoch'),
    },
  },
  {
    name: 'multistep',
    description:
      'Multiply the lr by `gamma` at each milestone epoch, as upstream (MultiStepLR.step(epoch) at the start of each epoch: epoch 60 already ' +
      'trains at 0.02); optional upstream WarmUpLR over the first `warmupEpochs` (per iteration, lr = base·i/(iters+1e-8)). ' +
      'granularity "iteration": MultiStepLR stepped with the global batch index before every batch, milestones counted in batches.',
    options: {
      milestones: z.array(z.number().int().positive()).default([60, 120, 160]),
      gamma: z.number().positive().max(1).default(0.2),
      warmupEpochs: z.number().int().min(0).default(0),
      granularity: z.enum(['epoch', 'iteration']).default('epoch'),
    },
  },
  {
    name: 'step',
    description:
      'StepLR stepped once at the end of each epoch: epoch e trains at base·γ^⌊(e−1)/stepSize⌋; granularity "iteration": stepped after ' +
      'every batch, `stepSize` counted in batches (batch g, 0-based over the run, trains at base·γ^⌊g/stepSize⌋).',
    options: {
      stepSize: z.number().int().positive().default(30),
      gamma: z.number().positive().max(1).default(0.1),
      granularity: z.enum(['epoch', 'iteration']).default('epoch'),
    },
  },
  {
    name: 'one_cycle',
    description:
      "OneCycleLR per iteration over epochs × iterations steps: from maxLr/divFactor up to the optimizer's lr over pctStart, then down to " +
      'initial/finalDivFactor (momentum is not cycled: cycle_momentum=False); granularity "epoch": total_steps = epochs, stepped at the end ' +
      'of each epoch. Smith & Topin 2017 (arXiv:1708.07120).',
    options: {
      pctStart: z.number().gt(0).lt(1).default(0.3),
      anneal: z.enum(['cos', 'linear']).default('cos'),
      divFactor: z.number().positive().default(25),
      finalDivFactor: z.number().positive().default(1e4),
      threePhase: z.boolean().default(false),
      granularity: z.enum(['iteration', 'epoch']).default('iteration'),
    },
  },
]);
