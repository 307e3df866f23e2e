// The loss contract: mean loss over the batch from logits [N,C] and integer labels [N]. Losses that depend on the data
// (per-class weights, class-balanced counts) get it from the context the training loop builds.
import type { Scalar, Tensor } from '../tf.js';

export type Loss = (logits: Tensor, labels: Tensor) => Scalar;

export interface LossContext {
  /** Number of classes of the dataset. */
  classes: number;
  /** Training-split images per class (for class-balanced losses). */
  classCounts?: number[];
}

export type LossFactory = (options: Record<string, unknown>, ctx: LossContext | undefined) => Loss;
