// The test-time augmentation contract: the views of a normalised NHWC batch whose model outputs are averaged.
import type { Tensor4D } from '../tf.js';

export interface TtaContext {
  /** Per-channel value of a black pixel after normalisation, (0 − mean)/std: what padding fills with, as in training. */
  fill: number[];
}

export interface Tta {
  /** 'logits': mean of logits; 'softmax': mean of probabilities. */
  merge: 'logits' | 'softmax';
  /** The views of `x` (the identity included), each the same shape as `x`. Called inside tf.tidy. */
  views(x: Tensor4D): Tensor4D[];
}

export type TtaFactory = (options: Record<string, unknown>, ctx: TtaContext) => Tta;
