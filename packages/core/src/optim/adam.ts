// Adam and AdamW exactly as torch.optim.Adam/AdamW (1.13, single-tensor path): bias correction, optional AMSGrad;
// Adam couples L2 decay into the gradient, AdamW decays the weights directly (p ← p·(1 - lr·wd)).
// Kingma & Ba 2015 (arXiv:1412.6980); AMSGrad: Reddi et al. 2018; AdamW: Loshchilov & Hutter 2019 (arXiv:1711.05101).
import { optimizers } from '@ablate/spec';
import { tf, type Tensor, type Variable } from '../tf.js';
import { BaseOptimizer, type BaseOptions, type NamedParams } from './optimizer.js';
import { registerOptimizer } from './registry.js';

export interface AdamOptions extends BaseOptions {
  betas: [number, number];
  eps: number;
  amsgrad: boolean;
}

export class Adam extends BaseOptimizer {
  constructor(
    params: NamedParams,
    private readonly o: AdamOptions,
    private readonly decoupled: boolean,
  ) {
    super(optimizers.get(decoupled ? 'adamw' : 'adam'), params, o);
  }

  protected update(name: string, p: Variable, g0: Tensor, wd: number, t: number): void {
    const [b1, b2] = this.o.betas;
    const bc1 = 1 - b1 ** t;
    const bc2 = 1 - b2 ** t;
    const m = this.slots.ensure('exp_avg', name, p);
    const v = this.slots.ensure('exp_avg_sq', name, p);
    let g = g0;
    if (wd && this.decoupled) p.assign(tf.mul(p, 1 - this.lr * wd));
    else if (wd) g = tf.add(g0, tf.mul(p, wd));
    m.assign(tf.add(tf.mul(m, b1), tf.mul(g, 1 - b1)));
    v.assign(tf.add(tf.mul(v, b2), tf.mul(tf.square(g), 1 - b2)));
    let second: Tensor = v;
    if (this.o.amsgrad) {
      const vmax = this.slots.ensure('max_exp_avg_sq', name, p);
      vmax.assign(tf.maximum(vmax, v));
      second = vmax;
    }
    const denom = tf.add(tf.div(tf.sqrt(second), Math.sqrt(bc2)), this.o.eps);
    p.assign(tf.sub(p, tf.mul(tf.div(m, denom), this.lr / bc1)));
  }
}

registerOptimizer('adam', (o, params) => new Adam(params, o as unknown as AdamOptions, false));
registerOptimizer('adamw', (o, params) => new Adam(params, o as unknown as AdamOptions, true));
