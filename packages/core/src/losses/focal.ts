// Softmax focal loss, batch mean: −α_y·(1−p_y)^γ·log p_y, with α one weight per class (or one for all).
// Lin et al. 2017, "Focal Loss for Dense Object Detection" (arXiv:1708.02002). The study's FocalLoss (α=[0.25, 0.75, …])
// overwrites its α with α[labels] on every call; this one does not.
import { InvalidConfigError } from '@ablate/spec';
import { tf, type Scalar, type Tensor } from '../tf.js';
import type { LossContext } from './loss.js';
import { registerLoss } from './registry.js';

/** Per-sample focal terms (1−p_y)^γ·(−log p_y), before any class weight. */
export function focalTerms(logits: Tensor, labels: Tensor, gamma: number): Tensor {
  return tf.tidy(() => {
    const logp = tf.logSoftmax(logits);
    const logpY = tf.sum(tf.mul(tf.oneHot(tf.cast(labels, 'int32'), logits.shape[1]!), logp), 1);
    const modulator = gamma === 0 ? tf.onesLike(logpY) : tf.pow(tf.sub(1, tf.exp(logpY)), gamma);
    return tf.neg(tf.mul(modulator, logpY));
  });
}

/** α as a per-class vector, checked against the dataset's classes. */
export function classWeightVector(alpha: number | number[], ctx: LossContext | undefined, path: string): number[] | number {
  if (typeof alpha === 'number') return alpha;
  if (ctx && alpha.length !== ctx.classes)
    throw new InvalidConfigError(`has ${alpha.length} weights but the dataset has ${ctx.classes} classes`, path);
  return alpha;
}

export function focalLoss(logits: Tensor, labels: Tensor, gamma: number, alpha: number | number[]): Scalar {
  return tf.tidy(() => {
    const terms = focalTerms(logits, labels, gamma);
    const weights = typeof alpha === 'number' ? alpha : tf.gather(tf.tensor1d(alpha), tf.cast(labels, 'int32'));
    return tf.mean(tf.mul(terms, weights)) as Scalar;
  });
}

registerLoss('focal', (o, ctx) => {
  const alpha = classWeightVector(o.alpha as number | number[], ctx, 'loss.alpha');
  return (logits, labels) => focalLoss(logits, labels, o.gamma as number, alpha);
});
