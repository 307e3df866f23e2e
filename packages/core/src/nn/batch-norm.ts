// BatchNorm over the channel axis of NHWC input with PyTorch's semantics: momentum 0.1, eps 1e-5,
// normalisation by the biased batch variance, running variance updated with the unbiased one.
// Training mode uses a hand-written backward (tf.customGrad): tfjs's generic one broadcasts through Tile and
// was the slowest kernel of a training step on wasm. Ioffe & Szegedy 2015 (arXiv:1502.03167).
import { tf, type Tensor, type Variable } from '../tf.js';
import { Module } from './module.js';

export class BatchNorm2d extends Module {
  readonly weight: Variable;
  readonly bias: Variable;
  readonly runningMean: Variable;
  readonly runningVar: Variable;
  constructor(
    readonly channels: number,
    readonly momentum = 0.1,
    readonly eps = 1e-5,
  ) {
    super();
    this.weight = this.addParameter('weight', tf.ones([channels]));
    this.bias = this.addParameter('bias', tf.zeros([channels]));
    this.runningMean = this.addBuffer('running_mean', tf.zeros([channels]));
    this.runningVar = this.addBuffer('running_var', tf.ones([channels]));
  }

  forward(x: Tensor): Tensor {
    if (!this.training) {
      return tf.batchNorm(x, this.runningMean, this.runningVar, this.bias, this.weight, this.eps);
    }
    return batchNormTrain(x, this.weight, this.bias, this.eps, (mean, variance, n) => {
      if (this.runningStatsFrozen) return;
      const m = this.momentum;
      this.runningMean.assign(tf.add(tf.mul(this.runningMean, 1 - m), tf.mul(mean, m)));
      this.runningVar.assign(tf.add(tf.mul(this.runningVar, 1 - m), tf.mul(variance, (m * n) / Math.max(n - 1, 1))));
    });
  }
}

/**
 * y = γ·x̂ + β with x̂ = (x-μ)/√(σ²+ε) over all axes but the last. Backward, with means over those axes:
 *   dβ = Σdy,  dγ = Σdy·x̂,  dx = γ/√(σ²+ε) · (dy - mean(dy) - x̂·mean(dy·x̂)).
 * `onStats` receives the batch mean, biased variance and count per channel (for running statistics).
 */
export function batchNormTrain(
  x: Tensor,
  gamma: Tensor,
  beta: Tensor,
  eps: number,
  onStats?: (mean: Tensor, variance: Tensor, n: number) => void,
): Tensor {
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const n = x.size / x.shape[x.shape.length - 1]!;
  const f = tf.customGrad(((xx: Tensor, g: Tensor, b: Tensor, save: tf.GradSaveFunc) => {
    const { mean, variance } = tf.moments(xx, axes);
    onStats?.(mean, variance, n);
    const invStd = tf.rsqrt(tf.add(variance, eps));
    const xhat = tf.mul(tf.sub(xx, mean), invStd);
    save([xhat, invStd, g]);
    return {
      value: tf.add(tf.mul(xhat, g), b),
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [sxhat, sinv, sg] = saved as [Tensor, Tensor, Tensor];
        const dbeta = tf.sum(dy, axes);
        const dgamma = tf.sum(tf.mul(dy, sxhat), axes);
        const dx = tf.mul(tf.mul(sg, sinv), tf.sub(tf.sub(dy, tf.div(dbeta, n)), tf.mul(sxhat, tf.div(dgamma, n))));
        return [dx, dgamma, dbeta];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(x, gamma, beta);
}
