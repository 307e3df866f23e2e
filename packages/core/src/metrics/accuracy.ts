// Top-k correct counts from logits: a sample counts when its label is among the k largest scores.
import { tf, type Scalar, type Tensor } from '../tf.js';

export function topkCorrect(logits: Tensor, labels: Tensor, k: number): Scalar {
  return tf.tidy(() => {
    const kk = Math.min(k, logits.shape[1]!);
    const { indices } = tf.topk(logits, kk);
    const hit = tf.equal(indices, tf.expandDims(tf.cast(labels, 'int32'), 1));
    return tf.sum(tf.cast(tf.any(hit, 1), 'float32'));
  });
}
