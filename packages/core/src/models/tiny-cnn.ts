// tiny_cnn: conv3x3-BN-ReLU at widths w/2w/4w (strides 1/2/2), global average pool, dropout (default 0), linear. A CPU-sized model for
// tests and demos, built like the CIFAR ResNet stem (bias-free convs before BN).
import { BatchNorm2d, Conv2d, Dropout, Lambda, Linear, Module, Sequential } from '../nn/index.js';
import { tf, type Tensor } from '../tf.js';
import type { ModelContext } from './model.js';
import { registerModel } from './registry.js';

export class TinyCnn extends Module {
  private readonly features: Sequential;
  private readonly dropout: Dropout;
  private readonly fc: Linear;

  constructor(width: number, dropout: number, ctx: ModelContext) {
    super();
    const [, , c] = ctx.inputShape;
    const stage = (cin: number, cout: number, stride: number) => [
      new Conv2d(cin, cout, 3, ctx.rng, { stride, padding: 1, bias: false }),
      new BatchNorm2d(cout),
      new Lambda(tf.relu),
    ];
    this.features = this.addModule(
      'features',
      new Sequential([...stage(c, width, 1), ...stage(width, 2 * width, 2), ...stage(2 * width, 4 * width, 2)]),
    );
    this.dropout = this.addModule('dropout', new Dropout(dropout, ctx.rng.fork('dropout')));
    this.fc = this.addModule('fc', new Linear(4 * width, ctx.numClasses, ctx.rng));
  }

  forward(x: Tensor): Tensor {
    const h = this.features.forward(x);
    return this.fc.forward(this.dropout.forward(tf.mean(h, [1, 2])));
  }
}

registerModel('tiny_cnn', (o, ctx) => new TinyCnn(o.width as number, o.dropout as number, ctx));
