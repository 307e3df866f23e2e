// Label-smoothing cross-entropy as the study's LabelSmoothingCrossEntropy: (1-ε)·NLL + ε·mean_c(-log p_c), batch mean.
// Equals nn.CrossEntropyLoss(label_smoothing=ε). Szegedy et al. 2016, "Rethinking the Inception Architecture".
import { tf, type Scalar, type Tensor } from '../tf.js';
import { registerLoss } from './registry.js';

export function labelSmoothingCrossEntropy(logits: Tensor, labels: Tensor, smoothing: number): Scalar {
  return tf.tidy(() => {
    const logp = tf.logSoftmax(logits);
    const onehot = tf.oneHot(tf.cast(labels, 'int32'), logits.shape[1]!);
    const nll = tf.neg(tf.sum(tf.mul(onehot, logp), 1));
    const smooth = tf.neg(tf.mean(logp, 1));
    return tf.mean(tf.add(tf.mul(nll, 1 - smoothing), tf.mul(smooth, smoothing)));
  });
}

registerLoss('label_smoothing', (o) => (logits, labels) => labelSmoothingCrossEntropy(logits, labels, o.smoothing as number));
