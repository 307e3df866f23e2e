// Optimizer catalogue with capability flags; the training loop branches on `stepKind`, never on a name.
import { z } from 'zod';
import { defineCatalog, type CatalogEntry } from './catalog.js';

export interface OptimizerEntry extends CatalogEntry {
  /** 'single': one forward/backward per step. 'two-pass': the closure is evaluated twice (SAM). */
  readonly stepKind: 'single' | 'two-pass';
}

const lr = (d: number) => z.number().positive().max(100).default(d);
const weightDecay = z.number().min(0).max(1).default(0);

export const optimizers = defineCatalog<OptimizerEntry>('optimizer', [
  {
    name: 'sgd',
    description: 'SGD with momentum, dampening, optional Nesterov, coupled L2 weight decay (torch.optim.SGD).',
    stepKind: 'single',
    options: {
      lr: lr(0.1),
      momentum: z.number().min(0).max(1).default(0),
      dampening: z.number().min(0).max(1).default(0),
      nesterov: z.boolean().default(false),
      weightDecay,
    },
  },
  {
    name: 'adam',
    description: 'Adam with coupled L2 weight decay and optional AMSGrad (torch.optim.Adam).',
    stepKind: 'single',
    options: {
      lr: lr(1e-3),
      betas: z.tuple([z.number().min(0).lt(1), z.number().min(0).lt(1)]).default([0.9, 0.999]),
      eps: z.number().positive().default(1e-8),
      weightDecay,
      amsgrad: z.boolean().default(false),
    },
  },
]);
