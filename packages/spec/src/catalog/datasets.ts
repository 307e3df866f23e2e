// Dataset catalogue: the names a config may use, with their shape and normalisation defaults.
import { z } from 'zod';
import { defineCatalog, type CatalogEntry } from './catalog.js';

export const datasets = defineCatalog<CatalogEntry>('dataset', [
  {
    name: 'procedural',
    description: 'Seeded synthetic RGB textures: one grating orientation/frequency per class, random colours, position, distractor and noise.',
    options: {
      classes: z.number().int().min(2).max(1000).default(10),
      trainSize: z.number().int().min(1).max(1_000_000).default(5000),
      testSize: z.number().int().min(1).max(1_000_000).default(1000),
      imageSize: z.number().int().min(4).max(256).default(32),
      /** Noise amplitude (0-255) and shift range scale the difficulty. */
      noise: z.number().min(0).max(255).default(32),
      maxShift: z.number().min(0).max(64).default(4),
      /** Seed of the data itself, independent of the trial seed. */
      dataSeed: z.number().int().min(0).default(1234),
    },
  },
]);
