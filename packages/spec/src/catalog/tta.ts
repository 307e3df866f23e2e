// Test-time augmentation catalogue: views of each test image whose outputs are averaged (logits or softmax) for the
// final evaluation only; per-epoch evaluation never uses TTA (as the study).
import { z } from 'zod';
import { defineCatalog, type CatalogEntry } from './catalog.js';

/** 'logits': mean of logits (what the study's ttach wrapper computed); 'softmax': mean of probabilities. */
const merge = z.enum(['logits', 'softmax']).default('logits');

export const ttas = defineCatalog<CatalogEntry>('tta', [
  { name: 'none', description: 'No test-time augmentation.', options: {} },
  {
    name: 'hflip',
    description: "The image and its horizontal mirror (2 views): what the study's 150-view TTA reduces to (seed-recipe §9).",
    options: { merge },
  },
  {
    name: 'hflip_crop',
    description:
      "Both mirrors × five crops of the image zero-padded by `padding` (centre and the four corner shifts, the training crop's range): 10 views.",
    options: { merge, padding: z.number().int().min(1).max(64).default(4) },
  },
]);
