// Dataset catalogue: the names a config may use, with their options. Every dataset also takes the common options
// `subset` (a seeded, class-balanced sample of each split), `longTail` (an exponentially imbalanced train split,
// as CIFAR-100-LT) and `dataSeed` (the seed of those selections).
import { z } from 'zod';
import { defineCatalog, type CatalogEntry } from './catalog.js';

const common = {
  /** Keep a seeded, class-balanced sample of each split (CPU-sized runs of real data). */
  subset: z.object({ train: z.number().int().positive().optional(), test: z.number().int().positive().optional() }).strict().optional(),
  /** Imbalance factor n_max/n_min: class c keeps n_max·(1/imbalance)^(c/(C-1)) training images (Cao et al. 2019). */
  longTail: z
    .object({ imbalance: z.number().min(1).max(10_000) })
    .strict()
    .optional(),
  /** Seed of the subset / long-tail selection and of procedural data. */
  dataSeed: z.number().int().min(0).default(0),
};

/** Longest image_folder path (characters); where it may point is checked against the data roots (data-roots.ts). */
export const MAX_DATA_PATH_LENGTH = 1024;

const channels = z.union([z.literal(1), z.literal(3)]);

export const datasets = defineCatalog<CatalogEntry>('dataset', [
  {
    name: 'procedural',
    description: 'Seeded synthetic RGB textures: one plaid angle/frequency per class, random colours, position, distractor and noise. No download.',
    options: {
      classes: z.number().int().min(2).max(1000).default(10),
      trainSize: z.number().int().min(1).max(1_000_000).default(5000),
      testSize: z.number().int().min(1).max(1_000_000).default(1000),
      imageSize: z.number().int().min(4).max(256).default(32),
      /** Noise amplitude (0-255) and shift range scale the difficulty. */
      noise: z.number().min(0).max(255).default(32),
      maxShift: z.number().min(0).max(64).default(4),
      ...common,
      dataSeed: z.number().int().min(0).default(1234),
    },
  },
  {
    name: 'cifar10',
    description: 'CIFAR-10 from the official binary archive (cifar-10-binary.tar.gz), 50k/10k 32×32 RGB, 10 classes.',
    options: { ...common },
  },
  {
    name: 'cifar100',
    description:
      "CIFAR-100 from the official binary archive (cifar-100-binary.tar.gz), 50k/10k 32×32 RGB; fine (100) or coarse (20) labels; the study's normalisation.",
    options: { labels: z.enum(['fine', 'coarse']).default('fine'), ...common },
  },
  {
    name: 'mnist',
    description: 'MNIST from IDX files (gzipped or not), 60k/10k 28×28 grey; optionally replicated to 3 channels and zero-padded (padTo: 32).',
    options: { channels: channels.default(1), padTo: z.number().int().min(28).max(256).optional(), ...common },
  },
  {
    name: 'fashion_mnist',
    description: "Fashion-MNIST from IDX files (Debian's dataset-fashion-mnist is found automatically), 60k/10k 28×28 grey.",
    options: { channels: channels.default(1), padTo: z.number().int().min(28).max(256).optional(), ...common },
  },
  {
    name: 'image_folder',
    description:
      'PNG/JPEG images, one subfolder per class (sorted names are the labels), resized to size×size RGB; train/ and test/ (or val/) subfolders, else a seeded split.',
    options: {
      /** Relative to ABLATE_DATA_DIR, or absolute inside ABLATE_DATA_ROOTS; the API and the worker refuse anything else. */
      path: z.string().min(1).max(MAX_DATA_PATH_LENGTH),
      size: z.number().int().min(4).max(512).default(32),
      testFraction: z.number().gt(0).lt(1).default(0.2),
      ...common,
    },
  },
]);
