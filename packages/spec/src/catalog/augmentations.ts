// Augmentation catalogue: single ops, composable with "+" ("random_crop+hflip"), plus named presets.
import { z } from 'zod';
import { defineCatalog, type CatalogEntry } from './catalog.js';

export interface AugmentationEntry extends CatalogEntry {
  /** 'uint8': runs on the raw HWC image before normalisation; 'float': after. */
  readonly stage: 'uint8' | 'float';
}

export const augmentations = defineCatalog<AugmentationEntry>('augmentation', [
  {
    name: 'random_crop',
    description: 'Zero-pad by `padding`, then crop a random window of the original size (transforms.RandomCrop).',
    stage: 'uint8',
    options: { padding: z.number().int().min(0).max(64).default(4) },
  },
  {
    name: 'hflip',
    description: 'Mirror left-right with probability `p` (transforms.RandomHorizontalFlip).',
    stage: 'uint8',
    options: { p: z.number().min(0).max(1).default(0.5) },
  },
]);

/** Named pipelines, each a list of op names with default options. */
export const augmentationPresets: Readonly<Record<string, readonly string[]>> = {
  none: [],
  flip: ['hflip'],
  crop_flip: ['random_crop', 'hflip'],
};
