// Loss catalogue. Every loss maps logits [N,C] and labels to the batch mean; the mixing loss of MixUp/CutMix wraps any of them.
import { z } from 'zod';
import { defineCatalog, type CatalogEntry } from './catalog.js';

/** Per-class weights: one number for every class, or a list with one entry per class (checked against the dataset). */
const classWeights = z.union([z.number().min(0), z.array(z.number().min(0)).min(1)]);

export const losses = defineCatalog<CatalogEntry>('loss', [
  { name: 'ce', description: 'Cross-entropy on logits, mean over the batch (nn.CrossEntropyLoss).', options: {} },
  {
    name: 'label_smoothing',
    description: "Label-smoothing cross-entropy: (1-ε)·NLL + ε·mean_c(-log p_c) (the study's smooth_CE, ε=0.1).",
    options: { smoothing: z.number().min(0).lt(1).default(0.1) },
  },
  {
    name: 'focal',
    description:
      'Softmax focal loss −α_y·(1−p_y)^γ·log p_y, batch mean, with α per class (a number or one per class; default 1 = unweighted). ' +
      "The study's FocalLoss is this with α=[0.25, 0.75, …] but mutates α after its first call; that bug is not reproduced. Lin et al. 2017 (arXiv:1708.02002).",
    options: { gamma: z.number().min(0).default(2), alpha: classWeights.default(1) },
  },
  {
    name: 'class_balanced',
    description:
      "Class-balanced loss (Cui et al. 2019, arXiv:1901.05555): each sample weighted by w_y = (1−β)/(1−β^{n_y}) from the training split's " +
      'class counts n, weights normalised to sum to the number of classes; base "ce" or softmax "focal"; mean over the batch (as the paper\'s code, not divided by Σw).',
    options: {
      beta: z.number().min(0).lt(1).default(0.9999),
      base: z.enum(['ce', 'focal']).default('ce'),
      gamma: z.number().min(0).default(2),
    },
  },
]);
