// DenseNet-BC for CIFAR (weiaicunzai/pytorch-cifar100 models/densenet.py): a bias-free 3×3 stem to 2k channels,
// dense blocks of BN-ReLU-conv1×1(4k)-BN-ReLU-conv3×3(k) layers concatenated onto their input, transitions
// BN-conv1×1(θ=0.5)-avgpool2 (no ReLU, as upstream), final BN-ReLU, average pool, linear. Porting note: upstream
// pools with AvgPool2d(4), which is the global average at 32×32 inputs; we pool globally so other sizes work too.
// Huang et al. 2017 (arXiv:1608.06993).
import { avgPool, BatchNorm2d, Conv2d, globalAvgPool, Linear, Module, relu, Sequential } from '../nn/index.js';
import type { Rng } from '../rng.js';
import { tf, type Tensor } from '../tf.js';
import type { ModelContext } from './model.js';
import { registerModel } from './registry.js';

class DenseLayer extends Module {
  private readonly body: Sequential;

  constructor(inC: number, growth: number, rng: Rng) {
    super();
    this.body = this.addModule(
      'bottle_neck',
      new Sequential([
        new BatchNorm2d(inC),
        relu(),
        new Conv2d(inC, 4 * growth, 1, rng, { bias: false }),
        new BatchNorm2d(4 * growth),
        relu(),
        new Conv2d(4 * growth, growth, 3, rng, { padding: 1, bias: false }),
      ]),
    );
  }

  forward(x: Tensor): Tensor {
    return tf.concat([x, this.body.forward(x)], 3);
  }
}

class Transition extends Module {
  private readonly down: Sequential;

  constructor(inC: number, outC: number, rng: Rng) {
    super();
    this.down = this.addModule('down_sample', new Sequential([new BatchNorm2d(inC), new Conv2d(inC, outC, 1, rng, { bias: false }), avgPool(2)]));
  }

  forward(x: Tensor): Tensor {
    return this.down.forward(x);
  }
}

/** A Sequential whose children carry upstream's names (dense_block_layer_0, transition_layer_0, …). */
class Named extends Module {
  private readonly order: Module[] = [];
  add(name: string, m: Module): this {
    this.order.push(this.addModule(name, m));
    return this;
  }
  forward(x: Tensor): Tensor {
    return this.order.reduce((h, m) => m.forward(h), x);
  }
}

export class DenseNet extends Module {
  private readonly conv1: Conv2d;
  private readonly features: Named;
  private readonly linear: Linear;

  constructor(blocks: number[], growth: number, ctx: ModelContext, reduction = 0.5) {
    super();
    const { rng } = ctx;
    let c = 2 * growth;
    this.conv1 = this.addModule('conv1', new Conv2d(ctx.inputShape[2], c, 3, rng, { padding: 1, bias: false }));
    const features = new Named();
    const dense = (n: number) => {
      const block = new Named();
      for (let i = 0; i < n; i++) {
        block.add(`bottle_neck_layer_${i}`, new DenseLayer(c, growth, rng));
        c += growth;
      }
      return block;
    };
    blocks.slice(0, -1).forEach((n, i) => {
      features.add(`dense_block_layer_${i}`, dense(n));
      const out = Math.floor(reduction * c);
      features.add(`transition_layer_${i}`, new Transition(c, out, rng));
      c = out;
    });
    features.add(`dense_block${blocks.length - 1}`, dense(blocks[blocks.length - 1]!));
    features.add('bn', new BatchNorm2d(c)).add('relu', relu());
    this.features = this.addModule('features', features);
    this.linear = this.addModule('linear', new Linear(c, ctx.numClasses, rng));
  }

  forward(x: Tensor): Tensor {
    return this.linear.forward(globalAvgPool(this.features.forward(this.conv1.forward(x))));
  }
}

registerModel('densenet121', (o, ctx) => new DenseNet([6, 12, 24, 16], o.growthRate as number, ctx));
