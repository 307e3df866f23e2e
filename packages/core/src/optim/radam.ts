// RAdam exactly as torch.optim.RAdam (1.13): Adam's moments; while the length of the approximated SMA ρ_t ≤ 5 the
// step is the bias-corrected momentum alone, after that it is rectified by r_t. Coupled L2 decay.
// Liu et al. 2020, "On the Variance of the Adaptive Learning Rate and Beyond" (arXiv:1908.03265).
import { optimizers } from '@ablate/spec';
import { tf, type Tensor, type Variable } from '../tf.js';
import { BaseOptimizer, type BaseOptions, type NamedParams } from './optimizer.js';
import { registerOptimizer } from './registry.js';

export interface RAdamOptions extends BaseOptions {
  betas: [number, number];
  eps: number;
}

export class RAdam extends BaseOptimizer {
  constructor(
    params: NamedParams,
    private readonly o: RAdamOptions,
  ) {
    super(optimizers.get('radam'), params, o);
  }

  protected update(name: string, p: Variable, g0: Tensor, wd: number, t: number): void {
    const [b1, b2] = this.o.betas;
    const m = this.slots.ensure('exp_avg', name, p);
    const v = this.slots.ensure('exp_avg_sq', name, p);
    const g = wd ? tf.add(g0, tf.mul(p, wd)) : g0;
    m.assign(tf.add(tf.mul(m, b1), tf.mul(g, 1 - b1)));
    v.assign(tf.add(tf.mul(v, b2), tf.mul(tf.square(g), 1 - b2)));
    const bc1 = 1 - b1 ** t;
    const bc2 = 1 - b2 ** t;
    const corrected = tf.div(m, bc1);
    const rhoInf = 2 / (1 - b2) - 1;
    const rhoT = rhoInf - (2 * t * b2 ** t) / bc2;
    if (rhoT > 5) {
      const rect = Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
      const adaptive = tf.div(Math.sqrt(bc2), tf.add(tf.sqrt(v), this.o.eps));
      p.assign(tf.sub(p, tf.mul(tf.mul(corrected, adaptive), this.lr * rect)));
    } else {
      p.assign(tf.sub(p, tf.mul(corrected, this.lr)));
    }
  }
}

registerOptimizer('radam', (o, params) => new RAdam(params, o as unknown as RAdamOptions));
