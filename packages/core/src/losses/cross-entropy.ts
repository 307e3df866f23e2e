// Cross-entropy on logits with integer targets, averaged over the batch (nn.CrossEntropyLoss, reduction='mean').
import { tf, type Scalar, type Tensor } from '../tf.js';
import { registerLoss } from './registry.js';

export function crossEntropy(logits: Tensor, labels: Tensor): Scalar {
  return tf.tidy(() => {
    const logp = tf.logSoftmax(logits);
    const onehot = tf.oneHot(tf.cast(labels, 'int32'), logits.shape[1]!);
    return tf.neg(tf.mean(tf.sum(tf.mul(onehot, logp), 1))) as Scalar;
  });
}

registerLoss('ce', () => crossEntropy);
