// mlp: flatten → Linear → ReLU → Linear. The smallest baseline, and a check that the loop is model-agnostic.
import { Linear, Module } from '../nn/index.js';
import { tf, type Tensor } from '../tf.js';
import type { ModelContext } from './model.js';
import { registerModel } from './registry.js';

export class Mlp extends Module {
  private readonly hidden: Linear;
  private readonly out: Linear;

  constructor(hidden: number, ctx: ModelContext) {
    super();
    const features = ctx.inputShape.reduce((a, b) => a * b, 1);
    this.hidden = this.addModule('hidden', new Linear(features, hidden, ctx.rng));
    this.out = this.addModule('out', new Linear(hidden, ctx.numClasses, ctx.rng));
  }

  forward(x: Tensor): Tensor {
    const flat = tf.reshape(x, [x.shape[0]!, -1]);
    return this.out.forward(tf.relu(this.hidden.forward(flat)));
  }
}

registerModel('mlp', (o, ctx) => new Mlp(o.hidden as number, ctx));
