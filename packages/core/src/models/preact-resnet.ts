// Pre-activation ResNet-18 (weiaicunzai/pytorch-cifar100 models/preactresnet.py): a biased conv-BN-ReLU stem,
// BN-ReLU-conv3×3-BN-ReLU-conv3×3 blocks with biased convs, biased conv1×1 shortcuts where shape changes, no ReLU
// after the addition, global average pool, linear. He et al. 2016b (arXiv:1603.05027).
import { BatchNorm2d, Conv2d, globalAvgPool, Linear, Module, relu, Sequential } from '../nn/index.js';
import type { Rng } from '../rng.js';
import { tf, type Tensor } from '../tf.js';
import type { ModelContext } from './model.js';
import { registerModel } from './registry.js';

class PreActBasic extends Module {
  private readonly residual: Sequential;
  private readonly shortcut?: Conv2d;

  constructor(inC: number, outC: number, stride: number, rng: Rng) {
    super();
    this.residual = this.addModule(
      'residual',
      new Sequential([
        new BatchNorm2d(inC),
        relu(),
        new Conv2d(inC, outC, 3, rng, { stride, padding: 1 }),
        new BatchNorm2d(outC),
        relu(),
        new Conv2d(outC, outC, 3, rng, { padding: 1 }),
      ]),
    );
    if (stride !== 1 || inC !== outC) this.shortcut = this.addModule('shortcut', new Conv2d(inC, outC, 1, rng, { stride }));
  }

  forward(x: Tensor): Tensor {
    return tf.add(this.residual.forward(x), this.shortcut ? this.shortcut.forward(x) : x);
  }
}

export class PreActResNet extends Module {
  private readonly pre: Sequential;
  private readonly stages: Sequential[];
  private readonly linear: Linear;

  constructor(blocks: number[], ctx: ModelContext) {
    super();
    const { rng } = ctx;
    this.pre = this.addModule('pre', new Sequential([new Conv2d(ctx.inputShape[2], 64, 3, rng, { padding: 1 }), new BatchNorm2d(64), relu()]));
    let inC = 64;
    this.stages = blocks.map((n, s) => {
      const out = 64 * 2 ** s;
      const layers = Array.from({ length: n }, (_, b) => {
        const blk = new PreActBasic(inC, out, b === 0 && s > 0 ? 2 : 1, rng);
        inC = out;
        return blk;
      });
      return this.addModule(`stage${s + 1}`, new Sequential(layers));
    });
    this.linear = this.addModule('linear', new Linear(inC, ctx.numClasses, rng));
  }

  forward(x: Tensor): Tensor {
    return this.linear.forward(globalAvgPool(this.stages.reduce((a, st) => st.forward(a), this.pre.forward(x))));
  }
}

registerModel('preactresnet18', (_o, ctx) => new PreActResNet([2, 2, 2, 2], ctx));
