// SGD exactly as torch.optim.SGD (1.13): coupled L2 decay, momentum buffer initialised to the first gradient,
// dampening, optional Nesterov. Robbins & Monro 1951; momentum form of Sutskever et al. 2013.
import { optimizers } from '@ablate/spec';
import { tf, type Tensor, type Variable } from '../tf.js';
import { BaseOptimizer, type BaseOptions, type NamedParams } from './optimizer.js';
import { registerOptimizer } from './registry.js';

export interface SgdOptions extends BaseOptions {
  momentum: number;
  dampening: number;
  nesterov: boolean;
}

export class Sgd extends BaseOptimizer {
  constructor(
    params: NamedParams,
    private readonly o: SgdOptions,
  ) {
    super(optimizers.get('sgd'), params, o);
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) throw new Error('Nesterov momentum requires a momentum and zero dampening');
  }

  protected update(name: string, p: Variable, g: Tensor, wd: number): void {
    const { momentum, dampening, nesterov } = this.o;
    let d = wd ? tf.add(g, tf.mul(p, wd)) : g;
    if (momentum) {
      const buf = this.slots.get('momentum_buffer', name);
      let next: Tensor;
      if (!buf) {
        next = d;
        this.slots.ensure('momentum_buffer', name, p, d);
      } else {
        next = tf.add(tf.mul(buf, momentum), tf.mul(d, 1 - dampening));
        buf.assign(next);
      }
      d = nesterov ? tf.add(d, tf.mul(next, momentum)) : next;
    }
    p.assign(tf.sub(p, tf.mul(d, this.lr)));
  }
}

registerOptimizer('sgd', (o, params) => new Sgd(params, o as unknown as SgdOptions));
