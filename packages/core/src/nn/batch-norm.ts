// BatchNorm over the channel axis of NHWC input with PyTorch's semantics: momentum 0.1, eps 1e-5,
// normalisation by the biased batch variance, running variance updated with the unbiased one.
// Training mode has a hand-written backward (tf.customGrad). In the lean formulation (the default) the forward is
// 5 kernels and the backward 9: every per-channel affine map of a full tensor is one FusedBatchNorm kernel, and the
// running statistics of all layers are updated together once per step (batchRunningStats) instead of 6 kernels per
// layer. Ioffe & Szegedy 2015 (arXiv:1502.03167).
import { leanDispatch } from '../backend/lean-dispatch.js';
import { tf, type Tensor, type Tensor1D, type Variable } from '../tf.js';
import { Module } from './module.js';

interface PendingStats {
  bn: BatchNorm2d;
  mean: Tensor;
  variance: Tensor;
  n: number;
}

/** The batch statistics waiting for the step's single running-statistics update, while batchRunningStats runs. */
let pending: PendingStats[] | undefined;

/**
 * Runs `fn` (a training step's passes) with the BatchNorm running-statistics updates of every layer collected, then
 * applies them all in ~12 kernels. Outside it, or with lean dispatch off, each layer updates its own statistics.
 */
export function batchRunningStats<T>(fn: () => T): T {
  if (pending || !leanDispatch()) return fn();
  const batch: PendingStats[] = [];
  pending = batch;
  try {
    const out = fn();
    pending = undefined;
    updateRunningStats(batch);
    return out;
  } finally {
    pending = undefined;
    for (const p of batch) tf.dispose([p.mean, p.variance]);
  }
}

/** running ← (1-m)·running + m·batch for every layer at once (unbiased variance: factor n/(n-1) per layer). */
function updateRunningStats(batch: PendingStats[]): void {
  if (!batch.length) return;
  tf.tidy(() => {
    const sizes = batch.map((p) => p.bn.channels);
    /** One value per layer, repeated over its channels. */
    const perChannel = (f: (p: PendingStats) => number) =>
      tf.tensor1d(Float32Array.from(batch.flatMap((p) => Array<number>(p.bn.channels).fill(f(p)))));
    const keep = perChannel((p) => 1 - p.bn.momentum);
    /** (1-m)·running + scale·batch over all layers, split back per layer. */
    const blend = (running: (p: PendingStats) => Variable, stats: (p: PendingStats) => Tensor, scale: Tensor) =>
      tf.split(tf.add(tf.mul(tf.concat(batch.map(running)), keep), tf.mul(tf.concat(batch.map(stats)), scale)), sizes);
    const means = blend(
      (p) => p.bn.runningMean,
      (p) => p.mean,
      perChannel((p) => p.bn.momentum),
    );
    const vars = blend(
      (p) => p.bn.runningVar,
      (p) => p.variance,
      perChannel((p) => (p.bn.momentum * p.n) / Math.max(p.n - 1, 1)),
    );
    batch.forEach((p, i) => {
      p.bn.runningMean.assign(means[i]!);
      p.bn.runningVar.assign(vars[i]!);
    });
  });
}

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
      if (pending) {
        pending.push({ bn: this, mean: tf.keep(mean), variance: tf.keep(variance), n });
        return;
      }
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
  const f = tf.customGrad(((xx: Tensor, g: Tensor, b: Tensor, save: tf.GradSaveFunc) =>
    leanDispatch() ? leanForward(xx, g, b, save) : perOpForward(xx, g, b, save)) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(x, gamma, beta);

  /** 5 kernels forward, 9 backward; FusedBatchNorm computes (t-μ)·s/√(σ²+ε) + o per channel in one kernel. */
  function leanForward(xx: Tensor, g: Tensor, b: Tensor, save: tf.GradSaveFunc) {
    const mean = tf.mean(xx, axes);
    const variance = tf.mean(tf.squaredDifference(xx, mean), axes);
    onStats?.(mean, variance, n);
    // x̂ is kept for the backward pass (recomputing it there is one kernel either way, and slower on wasm).
    const xhat = tf.batchNorm(xx, mean, variance, undefined, undefined, eps);
    save([xhat, variance, g]);
    return {
      value: tf.batchNorm(xx, mean, variance, b, g, eps),
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [sxhat, svar, sg] = saved as [Tensor, Tensor1D, Tensor1D];
        const dbeta = tf.sum(dy, axes);
        const dgamma = tf.sum(tf.mul(dy, sxhat), axes);
        // dx = γ/√(σ²+ε) · (dy - x̂·dγ/n - dβ/n). The subtractions come first: the terms nearly cancel, and folding
        // dβ/n into the affine map (as its mean) would lose those digits. Then one affine map with zero mean.
        const centred = tf.sub(tf.sub(dy, tf.mul(sxhat, tf.div(dgamma, n))), tf.div(dbeta, n));
        const dx = tf.batchNorm(centred, tf.zeros([svar.size]) as Tensor1D, svar, undefined, sg, eps);
        return [dx, dgamma, dbeta];
      },
    };
  }

  /** The per-op formulation (lean dispatch off). */
  function perOpForward(xx: Tensor, g: Tensor, b: Tensor, save: tf.GradSaveFunc) {
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
  }
}
