// SAM and adaptive SAM over any base optimizer, as davda54/sam (MIT) which the study copies: first_step saves w and
// moves to w + e(w), e = ρ·(|w|² if adaptive else 1)·g / (‖(|w| if adaptive else 1)·g‖₂ + 1e-12) over all parameters;
// second_step restores w and takes the base step with the gradient computed at w + e(w). The training loop runs the
// two passes (stepKind 'two-pass') and freezes BatchNorm running statistics during the second.
// Foret et al. 2021 (arXiv:2010.01412); ASAM: Kwon et al. 2021 (arXiv:2102.11600).
import { optimizers, type OptimizerEntry } from '@ablate/spec';
import { tf, type NamedTensorMap, type Tensor } from '../tf.js';
import { WrapperOptimizer, type NamedParams, type Optimizer, type OptimizerState } from './optimizer.js';
import { createOptimizer, registerOptimizer } from './registry.js';

export class Sam extends WrapperOptimizer {
  constructor(
    entry: OptimizerEntry,
    params: NamedParams,
    inner: Optimizer,
    private readonly rho: number,
    private readonly adaptive: boolean,
  ) {
    super(entry, params, inner);
  }

  /** w and its flat copy before the move, on the multi-tensor path. */
  private saved?: { flat: Tensor; vars: Tensor[] };

  firstStep(grads: NamedTensorMap): void {
    const group = this.flat(grads);
    if (group) {
      this.releaseSaved();
      this.saved = group.save();
      const p = group.params();
      tf.tidy(() => {
        const g = group.flatten(group.names.map((n) => grads[n]!));
        const scale = tf.div(this.rho, tf.add(tf.norm(this.adaptive ? tf.mul(tf.abs(p), g) : g), 1e-12));
        p.assign(tf.add(p, tf.mul(tf.mul(this.adaptive ? tf.square(p) : 1, g), scale)));
      });
      group.write();
      return;
    }
    tf.tidy(() => {
      const present = this.params.filter(([n]) => grads[n]);
      const scaled = present.map(([n, p]) => (this.adaptive ? tf.mul(tf.abs(p), grads[n]!) : grads[n]!));
      const norm = tf.norm(tf.stack(scaled.map((s) => tf.norm(s))));
      const scale = tf.div(this.rho, tf.add(norm, 1e-12));
      for (const [n, p] of present) {
        const old = this.slots.ensure('old_p', n, p);
        old.assign(p);
        const e = tf.mul(tf.mul(this.adaptive ? tf.square(p) : 1, grads[n]!), scale);
        p.assign(tf.add(p, e));
      }
    });
  }

  step(grads: NamedTensorMap): void {
    if (this.saved) {
      this.flat()!.restore(this.saved);
      this.saved = undefined;
      this.inner.step(grads);
      return;
    }
    for (const [n, p] of this.params) {
      const old = this.slots.get('old_p', n);
      if (grads[n] && old) p.assign(old);
    }
    this.inner.step(grads);
  }

  async getState(): Promise<OptimizerState> {
    // old_p only lives between the two passes of one step; a checkpoint never falls between them.
    return { step: 0, slots: {}, inner: await this.inner.getState() };
  }

  setState(state: OptimizerState): void {
    this.inner.setState(state.inner!);
  }

  private releaseSaved(): void {
    if (this.saved) tf.dispose([this.saved.flat, ...this.saved.vars]);
    this.saved = undefined;
  }

  override dispose(): void {
    this.releaseSaved();
    super.dispose();
  }
}

for (const name of ['sam', 'asam'] as const) {
  registerOptimizer(
    name,
    (o, params) => new Sam(optimizers.get(name), params, createOptimizer(o.base as never, params), o.rho as number, o.adaptive as boolean),
  );
}
