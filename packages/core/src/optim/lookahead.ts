// Lookahead over any optimizer (Zhang et al. 2019, arXiv:1907.08610): slow weights start at the initial weights;
// every k base steps they move α toward the fast weights, and the fast weights are reset to them.
// Ranger (lessw2020) is this over RAdam and is registered here as well.
import { optimizers, type OptimizerEntry } from '@ablate/spec';
import { tf, type NamedTensorMap } from '../tf.js';
import { WrapperOptimizer, type NamedParams, type Optimizer, type OptimizerState } from './optimizer.js';
import { createOptimizer, registerOptimizer } from './registry.js';

export class Lookahead extends WrapperOptimizer {
  private steps = 0;

  constructor(
    entry: OptimizerEntry,
    params: NamedParams,
    inner: Optimizer,
    private readonly alpha: number,
    private readonly k: number,
  ) {
    super(entry, params, inner);
  }

  step(grads: NamedTensorMap): void {
    if (this.steps === 0) {
      const group = this.flat();
      if (group && this.slots.gather(group)) this.slots.ensure('slow', group.key, group.params(), group.params());
      else for (const [name, p] of this.params) this.slots.ensure('slow', name, p, p);
    }
    this.inner.step(grads);
    if (++this.steps % this.k) return;
    const group = this.flat();
    if (group && this.slots.gather(group)) {
      const p = group.params();
      const s = this.slots.get('slow', group.key)!;
      tf.tidy(() => {
        s.assign(tf.add(s, tf.mul(tf.sub(p, s), this.alpha)));
        p.assign(s);
      });
      group.write();
      return;
    }
    this.slots.scatter();
    for (const [name, p] of this.params) {
      const s = this.slots.get('slow', name)!;
      tf.tidy(() => {
        s.assign(tf.add(s, tf.mul(tf.sub(p, s), this.alpha)));
        p.assign(s);
      });
    }
  }

  async getState(): Promise<OptimizerState> {
    return { step: this.steps, slots: await this.slots.serialize(), inner: await this.inner.getState() };
  }

  setState(state: OptimizerState): void {
    this.steps = state.step;
    this.slots.restore(state.slots);
    this.inner.setState(state.inner!);
  }
}

registerOptimizer(
  'lookahead',
  (o, params) => new Lookahead(optimizers.get('lookahead'), params, createOptimizer(o.base as never, params), o.alpha as number, o.k as number),
);

registerOptimizer('ranger', (o, params) => {
  const { alpha, k, ...radam } = o;
  return new Lookahead(optimizers.get('ranger'), params, createOptimizer({ name: 'radam', ...radam }, params), alpha as number, k as number);
});
