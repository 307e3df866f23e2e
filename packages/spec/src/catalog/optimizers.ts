// Optimizer catalogue with capability flags; the training loop branches on `stepKind`, never on a name.
// Wrappers (lookahead, sam, asam) take any optimizer config as `base`.
import { z } from 'zod';
import { defineCatalog, type CatalogEntry } from './catalog.js';

export interface OptimizerEntry extends CatalogEntry {
  /** 'single': one forward/backward per step. 'two-pass': first gradient perturbs, second updates (SAM). */
  readonly stepKind: 'single' | 'two-pass';
}

const lr = (d: number) => z.number().positive().max(100).default(d);
const weightDecay = (d = 0) => z.number().min(0).max(1).default(d);
const betas = (b1: number, b2: number) => z.tuple([z.number().min(0).lt(1), z.number().min(0).lt(1)]).default([b1, b2]);
/**
 * Parameters weight decay skips: 'none' (the study's code: one group, everything decayed) or 'bias_bn' (what its blog
 * claims: biases and BatchNorm parameters, i.e. every parameter of rank ≤ 1, undecayed).
 */
const weightDecayExclude = z.enum(['none', 'bias_bn']).default('none');
/** Any optimizer config, for wrappers (resolved lazily: the catalogue refers to itself). */
const base = (d: string) => z.lazy(() => optimizers.schema()).default({ name: d } as never);

export const optimizers: ReturnType<typeof defineCatalog<OptimizerEntry>> = defineCatalog<OptimizerEntry>('optimizer', [
  {
    name: 'sgd',
    description: 'SGD with momentum, dampening, optional Nesterov, coupled L2 weight decay (torch.optim.SGD).',
    stepKind: 'single',
    options: {
      lr: lr(0.1),
      momentum: z.number().min(0).max(1).default(0),
      dampening: z.number().min(0).max(1).default(0),
      nesterov: z.boolean().default(false),
      weightDecay: weightDecay(),
      weightDecayExclude,
    },
  },
  {
    name: 'adam',
    description: 'Adam with coupled L2 weight decay and optional AMSGrad (torch.optim.Adam). Kingma & Ba 2015.',
    stepKind: 'single',
    options: {
      lr: lr(1e-3),
      betas: betas(0.9, 0.999),
      eps: z.number().positive().default(1e-8),
      weightDecay: weightDecay(),
      amsgrad: z.boolean().default(false),
      weightDecayExclude,
    },
  },
  {
    name: 'adamw',
    description: 'AdamW: Adam with decoupled weight decay (torch.optim.AdamW). Loshchilov & Hutter 2019.',
    stepKind: 'single',
    options: {
      lr: lr(1e-3),
      betas: betas(0.9, 0.999),
      eps: z.number().positive().default(1e-8),
      weightDecay: weightDecay(1e-2),
      amsgrad: z.boolean().default(false),
      weightDecayExclude,
    },
  },
  {
    name: 'radam',
    description: 'Rectified Adam (torch.optim.RAdam): the adaptive step switched on once the variance is tractable. Liu et al. 2020.',
    stepKind: 'single',
    options: { lr: lr(1e-3), betas: betas(0.9, 0.999), eps: z.number().positive().default(1e-8), weightDecay: weightDecay(), weightDecayExclude },
  },
  {
    name: 'lookahead',
    description:
      'Lookahead over any optimizer: every k steps the slow weights move α toward the fast ones and the fast ones are reset to them. Zhang et al. 2019.',
    stepKind: 'single',
    options: { alpha: z.number().gt(0).max(1).default(0.5), k: z.number().int().min(1).default(6), base: base('sgd') },
  },
  {
    name: 'ranger',
    description: 'Ranger = Lookahead over RAdam (lessw2020); the study\'s own "Ranger" is ranger_va.',
    stepKind: 'single',
    options: {
      lr: lr(1e-3),
      betas: betas(0.95, 0.999),
      eps: z.number().positive().default(1e-5),
      weightDecay: weightDecay(),
      weightDecayExclude,
      alpha: z.number().gt(0).max(1).default(0.5),
      k: z.number().int().min(1).default(6),
    },
  },
  {
    name: 'ranger_va',
    description:
      'The study\'s "Ranger": lessw2020\'s RangerVA (ranger913A) verbatim — Lookahead, AMSGrad, softplus-calibrated denominator, the second-moment update applied twice per step, no RAdam rectification.',
    stepKind: 'single',
    options: {
      lr: lr(1e-3),
      betas: betas(0.95, 0.999),
      eps: z.number().positive().default(1e-5),
      weightDecay: weightDecay(),
      alpha: z.number().min(0).max(1).default(0.5),
      k: z.number().int().min(1).default(6),
      amsgrad: z.boolean().default(true),
      transformer: z.enum(['softplus', 'none']).default('softplus'),
      smooth: z.number().positive().default(50),
      gradTransformer: z.enum(['square', 'abs']).default('square'),
    },
  },
  {
    name: 'sam',
    description:
      'Sharpness-Aware Minimization over any optimizer (davda54/sam): ascend to w + ρ·g/‖g‖, take the base step with that gradient at w; BatchNorm statistics updated on the first pass only. Foret et al. 2021.',
    stepKind: 'two-pass',
    options: { rho: z.number().positive().default(0.05), adaptive: z.boolean().default(false), base: base('sgd') },
  },
  {
    name: 'asam',
    description: 'Adaptive SAM (davda54/sam adaptive=True): the perturbation scaled by |w| (the study\'s "SAM": ρ=2.0, adaptive). Kwon et al. 2021.',
    stepKind: 'two-pass',
    options: { rho: z.number().positive().default(2.0), adaptive: z.boolean().default(true), base: base('sgd') },
  },
]);
