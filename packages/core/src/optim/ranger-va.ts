// The study's "Ranger": lessw2020's RangerVA (ranger913A.py) reproduced as the study runs it, quirks included:
// v ← β2·v + (1-β2)·g² is applied twice per step (once by addcmul, once by the grad transformer), AMSGrad, the
// denominator calibrated by softplus with β=smooth (threshold 20, as nn.Softplus), decoupled decay p ← p - wd·lr·p,
// no RAdam rectification, and lookahead with slow weights initialised to the weights at the first step.
// Calibrated adaptive rates: Tong et al. 2019 (arXiv:1908.00700); Lookahead: Zhang et al. 2019.
import { optimizers } from '@ablate/spec';
import { tf, type Tensor, type Variable } from '../tf.js';
import { BaseOptimizer, type NamedParams } from './optimizer.js';
import { registerOptimizer } from './registry.js';

export interface RangerVAOptions {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  alpha: number;
  k: number;
  amsgrad: boolean;
  transformer: 'softplus' | 'none';
  smooth: number;
  gradTransformer: 'square' | 'abs';
}

/** nn.Softplus(beta): log(1 + exp(βx))/β, or x where βx > 20. */
export function softplus(x: Tensor, beta: number): Tensor {
  const bx = tf.mul(x, beta);
  return tf.where(tf.greater(bx, 20), x, tf.div(tf.log1p(tf.exp(bx)), beta));
}

export class RangerVA extends BaseOptimizer {
  constructor(
    params: NamedParams,
    private readonly o: RangerVAOptions,
  ) {
    super(optimizers.get('ranger_va'), params, { lr: o.lr, weightDecay: o.weightDecay });
  }

  protected update(name: string, p: Variable, g: Tensor, wd: number, t: number): void {
    const [b1, b2] = this.o.betas;
    const slow = this.slots.ensure('slow_buffer', name, p, p);
    const m = this.slots.ensure('exp_avg', name, p);
    const v = this.slots.ensure('exp_avg_sq', name, p);
    v.assign(tf.add(tf.mul(v, b2), tf.mul(tf.square(g), 1 - b2)));
    m.assign(tf.add(tf.mul(m, b1), tf.mul(g, 1 - b1)));
    const gt = this.o.gradTransformer === 'square' ? tf.square(g) : tf.abs(g);
    v.assign(tf.add(tf.mul(v, b2), tf.mul(gt, 1 - b2)));
    let denomc: Tensor = v;
    if (this.o.amsgrad) {
      const vmax = this.slots.ensure('max_exp_avg_sq', name, p);
      vmax.assign(tf.maximum(vmax, v));
      denomc = vmax;
    }
    if (this.o.gradTransformer === 'square') denomc = tf.sqrt(denomc);
    let w: Tensor = p;
    if (wd) w = tf.add(w, tf.mul(w, -wd * this.lr));
    const stepSize = (this.lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
    if (this.o.transformer === 'softplus') {
      w = tf.sub(w, tf.mul(tf.div(m, softplus(denomc, this.o.smooth)), stepSize));
    } else {
      // As written upstream: this branch multiplies by lr twice and uses the (non-AMSGrad) second moment.
      w = tf.sub(w, tf.mul(tf.div(m, tf.add(tf.sqrt(v), this.o.eps)), stepSize * this.lr));
    }
    p.assign(w);
    if (t % this.o.k === 0) {
      slow.assign(tf.add(slow, tf.mul(tf.sub(p, slow), this.o.alpha)));
      p.assign(slow);
    }
  }
}

registerOptimizer('ranger_va', (o, params) => new RangerVA(params, o as unknown as RangerVAOptions));
