// The types augmentations work on: one HWC image (uint8 as PIL holds it, or float), and a normalised batch.
import type { Rng } from '../rng.js';

export type Pixels = Uint8Array | Float32Array;

export interface Image<T extends Pixels = Uint8Array> {
  data: T;
  height: number;
  width: number;
  channels: number;
}

/** A batch of normalised images (NHWC floats) with labels; batch-level mixing records the second labels and λ. */
export interface BatchTensor {
  x: Float32Array;
  y: Int32Array;
  size: number;
  height: number;
  width: number;
  channels: number;
  /** Set by MixUp/CutMix: the loss is λ·L(y) + (1-λ)·L(y2). */
  mix?: { y2: Int32Array; lam: number };
}

/** A per-image op with its options bound. */
export interface AugmentOp {
  readonly name: string;
  readonly stage: 'uint8' | 'float';
  /** 'uint8': needs exact uint8 pixels (the Pillow ops); 'any': also takes float pixels on the 0-255 scale. */
  readonly input: 'uint8' | 'any';
  /** 'float' when the op returns float pixels (AugMix's mixture); later 'uint8'-input ops then cannot follow. */
  readonly output: 'same' | 'float';
  apply(img: Image<Pixels>, rng: Rng): Image<Pixels>;
}

/** A batch-level op (MixUp, CutMix): mixes images across the batch in place and sets `mix`. */
export interface BatchOp {
  readonly name: string;
  readonly stage: 'batch';
  apply(batch: BatchTensor, rng: Rng): void;
}

/** What an op may need to know about the data: the normalisation constants (e.g. erasing with the mean). */
export interface AugmentContext {
  mean: readonly number[];
  std: readonly number[];
}

export type AugmentFactory = (options: Record<string, unknown>, ctx: AugmentContext) => AugmentOp | BatchOp;

/** An empty pixel array of the same kind and length. */
export function blankLike<T extends Pixels>(data: T): T {
  return new (data.constructor as new (n: number) => T)(data.length);
}
