// Dropout (nn.Dropout): in training, zero each value with probability p and scale the rest by 1/(1-p); identity in
// eval mode. The mask seed comes from the model's seeded Rng, one draw per call (its position is
// saved in checkpoints).
import type { Rng } from '../rng.js';
import { tf, type Tensor } from '../tf.js';
import { Module } from './module.js';

export class Dropout extends Module {
  private readonly rng: Rng;

  constructor(
    readonly p: number,
    rng: Rng,
  ) {
    super();
    this.rng = this.addRng('rng', rng);
  }

  forward(x: Tensor): Tensor {
    if (!this.training || this.p === 0) return x;
    return tf.dropout(x, this.p, undefined, this.rng.nextU32());
  }
}
