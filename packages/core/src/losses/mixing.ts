// The mixing loss of MixUp and CutMix: λ·L(logits, y) + (1-λ)·L(logits, y2) for any loss L (mixup_criterion).
import { tf, type Scalar, type Tensor } from '../tf.js';
import type { Loss } from './loss.js';

export function mixedLoss(loss: Loss, logits: Tensor, y: Tensor, y2: Tensor, lam: number): Scalar {
  return tf.tidy(() => tf.add(tf.mul(loss(logits, y), lam), tf.mul(loss(logits, y2), 1 - lam)) as Scalar);
}
