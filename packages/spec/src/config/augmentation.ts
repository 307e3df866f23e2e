// An augmentation pipeline: given as a preset name, a "+"-joined list of op names, or a list of ops.
import { z } from 'zod';
import { augmentationPresets, augmentations } from '../catalog/augmentations.js';

const opSchema = augmentations.schema();

/** Resolves to the ordered list of ops with all options filled; the label a user wrote is not part of it. */
export const AugmentationConfig = z.preprocess((v) => (typeof v === 'string' ? expandAugmentationString(v) : v), z.array(opSchema).max(32));
export type AugmentationConfig = z.output<typeof AugmentationConfig>;

/**
 * "crop_flip" → its preset's ops; "random_crop+hflip" → those ops; "none" → []. A "+" composition is a set: ops are put
 * in their canonical order (the study's: AutoAugment, crop, flip, rotation, normalise, erasing, batch mixing), so
 * "baseline+erase+autoaugment" is the study's pipeline. An explicit list keeps the order given.
 */
export function expandAugmentationString(s: string): unknown[] {
  const names = s
    .split('+')
    .map((p) => p.trim())
    .flatMap((part) => augmentationPresets[part] ?? [part]);
  // Unknown names go last, where their "did you mean" error is reported.
  const order = (n: string) => (augmentations.has(n) ? augmentations.get(n).order : Number.POSITIVE_INFINITY);
  return names
    .map((name, i) => ({ name, i }))
    .sort((a, b) => order(a.name) - order(b.name) || a.i - b.i)
    .map(({ name }) => ({ name }));
}
