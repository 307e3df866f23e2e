// The loss contract: mean loss over the batch from logits [N,C] and integer labels [N].
import type { Scalar, Tensor } from '../tf.js';

export type Loss = (logits: Tensor, labels: Tensor) => Scalar;
export type LossFactory = (options: Record<string, unknown>) => Loss;
