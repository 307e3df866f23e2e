// WideResNet-d-k as the study's models/wideresidual.py: a biased 3×3 stem to 16 channels, three groups of
// (d-4)/6 pre-activation blocks BN-ReLU-conv3×3-BN-ReLU-Dropout-conv3×3 (biased convs) at 16k/32k/64k channels,
// biased conv1×1 shortcuts on the raw input where shape changes, no ReLU after the addition; head BN-ReLU-pool-linear.
// Dropout defaults to nn.Dropout()'s 0.5 (the WRN paper used 0.3). Zagoruyko & Komodakis 2016 (arXiv:1605.07146).
import { BatchNorm2d, Conv2d, Dropout, globalAvgPool, Linear, Module, relu, Sequential } from '../nn/index.js';
import type { Rng } from '../rng.js';
import { tf, type Tensor } from '../tf.js';
import type { ModelContext } from './model.js';
import { registerModel } from './registry.js';

class WideBasic extends Module {
  private readonly residual: Sequential;
  private readonly shortcut: Sequential;

  constructor(inC: number, outC: number, stride: number, dropout: number, rng: Rng) {
    super();
    this.residual = this.addModule(
      'residual',
      new Sequential([
        new BatchNorm2d(inC),
        relu(),
        new Conv2d(inC, outC, 3, rng, { stride, padding: 1 }),
        new BatchNorm2d(outC),
        relu(),
        new Dropout(dropout, rng.fork('dropout')),
        new Conv2d(outC, outC, 3, rng, { padding: 1 }),
      ]),
    );
    this.shortcut = this.addModule('shortcut', new Sequential(inC !== outC || stride !== 1 ? [new Conv2d(inC, outC, 1, rng, { stride })] : []));
  }

  forward(x: Tensor): Tensor {
    return tf.add(this.residual.forward(x), this.shortcut.forward(x));
  }
}

export class WideResNet extends Module {
  private readonly initConv: Conv2d;
  private readonly groups: Sequential[];
  private readonly bn: BatchNorm2d;
  private readonly linear: Linear;

  constructor(depth: number, k: number, dropout: number, ctx: ModelContext) {
    super();
    if ((depth - 4) % 6) throw new Error(`WideResNet depth must be 6n+4, got ${depth}`);
    const { rng } = ctx;
    const n = (depth - 4) / 6;
    this.initConv = this.addModule('init_conv', new Conv2d(ctx.inputShape[2], 16, 3, rng, { padding: 1 }));
    let inC = 16;
    this.groups = [1, 2, 4].map((m, g) => {
      const out = 16 * k * m;
      const blocks = Array.from({ length: n }, (_, b) => {
        const blk = new WideBasic(inC, out, b === 0 && g > 0 ? 2 : 1, dropout, rng);
        inC = out;
        return blk;
      });
      return this.addModule(`conv${g + 2}`, new Sequential(blocks));
    });
    this.bn = this.addModule('bn', new BatchNorm2d(inC));
    this.linear = this.addModule('linear', new Linear(inC, ctx.numClasses, rng));
  }

  forward(x: Tensor): Tensor {
    const h = this.groups.reduce((a, g) => g.forward(a), this.initConv.forward(x));
    return this.linear.forward(globalAvgPool(tf.relu(this.bn.forward(h))));
  }
}

for (const [depth, k] of [
  [40, 10],
  [28, 10],
  [16, 4],
  [16, 2],
] as const) {
  registerModel(`wrn${depth}_${k}`, (o, ctx) => new WideResNet(depth, k, o.dropout as number, ctx));
}
