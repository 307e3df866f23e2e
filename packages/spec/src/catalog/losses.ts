// Loss catalogue.
import { z } from 'zod';
import { defineCatalog, type CatalogEntry } from './catalog.js';

export const losses = defineCatalog<CatalogEntry>('loss', [
  { name: 'ce', description: 'Cross-entropy on logits, mean over the batch (nn.CrossEntropyLoss).', options: {} },
  {
    name: 'label_smoothing',
    description: 'Label-smoothing cross-entropy: (1-ε)·NLL + ε·mean_c(-log p_c) (the study\'s smooth_CE, ε=0.1).',
    options: { smoothing: z.number().min(0).lt(1).default(0.1) },
  },
]);
