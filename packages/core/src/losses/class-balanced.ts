// Class-balanced loss (Cui et al. 2019, "Class-Balanced Loss Based on Effective Number of Samples", arXiv:1901.05555):
// sample weight w_y = (1−β)/(1−β^{n_y}) from the training split's counts, normalised to Σ_c w_c = C, times softmax CE
// or softmax focal, averaged over the batch (Σ w_i·ℓ_i / N as the paper's code, unlike F.cross_entropy(weight=…),
// which divides by Σ w_i). Classes absent from the training split (n = 0, never a target) get weight 0.
import { InvalidConfigError } from '@ablate/spec';
import { tf, type Scalar, type Tensor } from '../tf.js';
import { focalTerms } from './focal.js';
import { registerLoss } from './registry.js';

export function classBalancedWeights(counts: number[], beta: number): number[] {
  const raw = counts.map((n) => (n > 0 ? (1 - beta) / (1 - beta ** n) : 0));
  const sum = raw.reduce((a, b) => a + b, 0);
  return raw.map((w) => (w * counts.length) / sum);
}

registerLoss('class_balanced', (o, ctx) => {
  if (!ctx?.classCounts) throw new InvalidConfigError("needs the training split's class counts (the training loop provides them)", 'loss');
  const weights = classBalancedWeights(ctx.classCounts, o.beta as number);
  const gamma = o.base === 'focal' ? (o.gamma as number) : 0;
  return (logits: Tensor, labels: Tensor): Scalar =>
    tf.tidy(() => tf.mean(tf.mul(focalTerms(logits, labels, gamma), tf.gather(tf.tensor1d(weights), tf.cast(labels, 'int32')))) as Scalar);
});
