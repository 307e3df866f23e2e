// Model catalogue: every architecture name a config may use. Implementations live in packages/core/src/models.
import { z } from 'zod';
import { defineCatalog, type CatalogEntry } from './catalog.js';

export interface ModelEntry extends CatalogEntry {
  /** Smallest square input the architecture accepts. */
  readonly minInputSize: number;
}

export const models = defineCatalog<ModelEntry>('model', [
  {
    name: 'tiny_cnn',
    description: 'Three conv-BN-ReLU stages (stride 1/2/2), global average pool, linear head: a CPU-sized test model.',
    minInputSize: 8,
    options: { width: z.number().int().min(1).max(256).default(8) },
  },
  {
    name: 'mlp',
    description: 'Flatten, one hidden ReLU layer, linear head: the smallest baseline.',
    minInputSize: 1,
    options: { hidden: z.number().int().min(1).max(4096).default(64) },
  },
]);
