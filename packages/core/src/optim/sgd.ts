// SGD exactly as torch.optim.SGD (1.13): coupled L2 decay, momentum buffer initialised to the first gradient,
// dampening, optional Nesterov. Robbins & Monro 1951; momentum form of Sutskever et al. 2013.
import { optimizers } from '@ablate/spec';
import { tf, type NamedTensorMap } from '../tf.js';
import { Slots, type NamedParams, type Optimizer } from './optimizer.js';
import { registerOptimizer } from './registry.js';

export interface SgdOptions {
  lr: number;
  momentum: number;
  dampening: number;
  nesterov: boolean;
  weightDecay: number;
}

export class Sgd implements Optimizer {
  readonly entry = optimizers.get('sgd');
  lr: number;
  private steps = 0;
  private readonly slots = new Slots();

  constructor(private readonly params: NamedParams, private readonly o: SgdOptions) {
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) {
      throw new Error('Nesterov momentum requires a momentum and zero dampening');
    }
    this.lr = o.lr;
  }

  step(grads: NamedTensorMap): void {
    const { momentum, dampening, nesterov, weightDecay } = this.o;
    for (const [name, p] of this.params) {
      const g = grads[name];
      if (!g) continue;
      tf.tidy(() => {
        let d = weightDecay ? tf.add(g, tf.mul(p, weightDecay)) : g;
        if (momentum) {
          const buf = this.slots.get('momentum_buffer', name);
          let next: tf.Tensor;
          if (!buf) {
            next = tf.clone(d);
            this.slots.set('momentum_buffer', name, tf.variable(next, false));
          } else {
            next = tf.add(tf.mul(buf, momentum), tf.mul(d, 1 - dampening));
            buf.assign(next);
          }
          d = nesterov ? tf.add(d, tf.mul(next, momentum)) : next;
        }
        p.assign(tf.sub(p, tf.mul(d, this.lr)));
      });
    }
    this.steps++;
  }

  state() {
    return { step: this.steps, slots: this.slots.toRecord() };
  }

  dispose(): void {
    this.slots.dispose();
  }
}

registerOptimizer('sgd', (o, params) => new Sgd(params, o as unknown as SgdOptions));
