// Adam exactly as torch.optim.Adam (1.13, single-tensor path): coupled L2 decay, bias correction, optional AMSGrad.
// Kingma & Ba 2015 (arXiv:1412.6980); AMSGrad: Reddi et al. 2018.
import { optimizers } from '@ablate/spec';
import { tf, type NamedTensorMap } from '../tf.js';
import { Slots, type NamedParams, type Optimizer } from './optimizer.js';
import { registerOptimizer } from './registry.js';

export interface AdamOptions {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
}

export class Adam implements Optimizer {
  readonly entry = optimizers.get('adam');
  lr: number;
  private steps = 0;
  private readonly slots = new Slots();

  constructor(private readonly params: NamedParams, private readonly o: AdamOptions) {
    this.lr = o.lr;
  }

  private slot(kind: string, name: string, like: tf.Tensor): tf.Variable {
    let v = this.slots.get(kind, name);
    if (!v) {
      v = tf.variable(tf.zerosLike(like), false);
      this.slots.set(kind, name, v);
    }
    return v;
  }

  step(grads: NamedTensorMap): void {
    const [b1, b2] = this.o.betas;
    const t = ++this.steps;
    const bc1 = 1 - b1 ** t;
    const bc2 = 1 - b2 ** t;
    for (const [name, p] of this.params) {
      const g0 = grads[name];
      if (!g0) continue;
      const m = this.slot('exp_avg', name, p);
      const v = this.slot('exp_avg_sq', name, p);
      const vmax = this.o.amsgrad ? this.slot('max_exp_avg_sq', name, p) : undefined;
      tf.tidy(() => {
        const g = this.o.weightDecay ? tf.add(g0, tf.mul(p, this.o.weightDecay)) : g0;
        m.assign(tf.add(tf.mul(m, b1), tf.mul(g, 1 - b1)));
        v.assign(tf.add(tf.mul(v, b2), tf.mul(tf.square(g), 1 - b2)));
        let second: tf.Tensor = v;
        if (vmax) {
          vmax.assign(tf.maximum(vmax, v));
          second = vmax;
        }
        const denom = tf.add(tf.div(tf.sqrt(second), Math.sqrt(bc2)), this.o.eps);
        p.assign(tf.sub(p, tf.mul(tf.div(m, denom), this.lr / bc1)));
      });
    }
  }

  state() {
    return { step: this.steps, slots: this.slots.toRecord() };
  }

  dispose(): void {
    this.slots.dispose();
  }
}

registerOptimizer('adam', (o, params) => new Adam(params, o as unknown as AdamOptions));
