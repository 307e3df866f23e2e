// The image type augmentations work on: one HWC uint8 image (as PIL holds it) or its normalised float form.
import type { Rng } from '../rng.js';

export interface Image<T extends Uint8Array | Float32Array = Uint8Array> {
  data: T;
  height: number;
  width: number;
  channels: number;
}

/** One augmentation op with its options bound; `stage` says whether it sees uint8 pixels or normalised floats. */
export interface AugmentOp {
  readonly name: string;
  readonly stage: 'uint8' | 'float';
  apply<T extends Uint8Array | Float32Array>(img: Image<T>, rng: Rng): Image<T>;
}

export type AugmentFactory = (options: Record<string, unknown>) => AugmentOp;
