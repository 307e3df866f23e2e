// Augmentation catalogue: single ops, composable with "+" ("random_crop+hflip"), plus named presets.
// Stages run in this order: 'uint8' (raw image, PIL semantics) → ToTensor+Normalize → 'float' (normalised tensor)
// → 'batch' (whole batch, mixes labels). `order` is the canonical position of an op when composed by "+" names:
// the study's pipeline is AutoAugment → crop → flip → rotation → normalise → erasing.
import { z } from 'zod';
import { defineCatalog, type CatalogEntry } from './catalog.js';

export interface AugmentationEntry extends CatalogEntry {
  readonly stage: 'uint8' | 'float' | 'batch';
  readonly order: number;
}

const prob = (d: number) => z.number().min(0).max(1).default(d);
const pair = (lo: number, hi: number) => z.tuple([z.number().min(lo).max(hi), z.number().min(lo).max(hi)]);

export const augmentations = defineCatalog<AugmentationEntry>('augmentation', [
  {
    name: 'autoaugment',
    description:
      'AutoAugment on the raw image: one sub-policy drawn per image, each op fired with its probability (the study: the 95 CIFAR-10 "good policies"; "cifar10_paper": the 25 of the paper). Cubuk et al. 2019.',
    stage: 'uint8',
    order: 10,
    options: { policy: z.enum(['cifar10', 'cifar10_paper']).default('cifar10') },
  },
  {
    name: 'augmix',
    description:
      'AugMix: `width` chains of 1-3 random ops mixed with Dirichlet weights, then with the original by Beta(α,α); after crop/flip, as in its reference training script. Hendrycks et al. 2020.',
    stage: 'uint8',
    order: 50,
    options: {
      severity: z.number().int().min(1).max(10).default(3),
      width: z.number().int().min(1).max(10).default(3),
      depth: z.number().int().min(-1).max(10).default(-1),
      alpha: z.number().positive().default(1),
    },
  },
  {
    name: 'random_crop',
    description: 'Zero-pad by `padding`, then crop a random window of the original size (transforms.RandomCrop).',
    stage: 'uint8',
    order: 20,
    options: { padding: z.number().int().min(0).max(64).default(4) },
  },
  {
    name: 'hflip',
    description: 'Mirror left-right with probability `p` (transforms.RandomHorizontalFlip).',
    stage: 'uint8',
    order: 30,
    options: { p: prob(0.5) },
  },
  {
    name: 'random_rotation',
    description: 'Rotate by a uniform angle in ±`degrees`, nearest neighbour, fill 0 (transforms.RandomRotation on PIL images).',
    stage: 'uint8',
    order: 40,
    options: { degrees: z.number().min(0).max(180).default(15) },
  },
  {
    name: 'random_erasing',
    description:
      'Random Erasing after Normalize. variant "zhong" (the study): p 0.5, area 0.02-0.4, aspect uniform in 0.3-3.33, 100 tries, filled with the literal channel means; "torchvision": area 0.02-0.33, log-uniform aspect 0.3-3.3, 10 tries, value 0. Zhong et al. 2020.',
    stage: 'float',
    order: 60,
    options: {
      variant: z.enum(['zhong', 'torchvision']).default('zhong'),
      p: prob(0.5),
      scale: pair(0, 1).optional(),
      ratio: pair(0.01, 100).optional(),
      attempts: z.number().int().min(1).max(1000).optional(),
      /** 'mean': the dataset's channel means written literally into the normalised tensor; 'random': N(0,1); or one value per channel. */
      value: z.union([z.enum(['mean', 'random']), z.array(z.number()).min(1).max(4)]).optional(),
    },
  },
  {
    name: 'cutout',
    description: 'Cutout: zero a size×size square (clipped at the border) centred at a random pixel of the normalised image. DeVries & Taylor 2017.',
    stage: 'float',
    order: 60,
    options: { size: z.number().int().min(1).max(256).default(16), holes: z.number().int().min(1).max(16).default(1), p: prob(1) },
  },
  {
    name: 'gridmask',
    description:
      'GridMask: drop a regular grid of squares (period d in [d1, d2), kept band ratio, optional rotation) from the normalised image. Chen et al. 2020.',
    stage: 'float',
    order: 60,
    options: {
      d1: z.number().int().min(2).default(8),
      d2: z.number().int().min(3).default(32),
      ratio: z.number().gt(0).lt(1).default(0.6),
      rotate: z.number().int().min(1).max(360).default(1),
      mode: z.union([z.literal(0), z.literal(1)]).default(1),
      p: prob(0.8),
    },
  },
  {
    name: 'mixup',
    description: 'MixUp: each batch mixed with a permutation of itself by λ ~ Beta(α,α); the loss mixes the two label sets. Zhang et al. 2018.',
    stage: 'batch',
    order: 90,
    options: { alpha: z.number().positive().default(1), p: prob(1) },
  },
  {
    name: 'cutmix',
    description: 'CutMix: a random box from a permuted batch pasted in; λ = kept area; the loss mixes the two label sets. Yun et al. 2019.',
    stage: 'batch',
    order: 90,
    options: { alpha: z.number().positive().default(1), p: prob(0.5) },
  },
]);

/** Named pipelines, each a list of op names with default options (composable: "baseline+erase+autoaugment"). */
export const augmentationPresets: Readonly<Record<string, readonly string[]>> = {
  none: [],
  flip: ['hflip'],
  crop_flip: ['random_crop', 'hflip'],
  /** The study's "RandomCrop+RandomHorizontalFlip+RandomRotation". */
  baseline: ['random_crop', 'hflip', 'random_rotation'],
  /** The study's random erasing (Zhong variant, p 0.5, max area 0.4, mean fill). */
  erase: ['random_erasing'],
};
