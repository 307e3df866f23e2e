// MobileNetV2 for CIFAR (weiaicunzai/pytorch-cifar100 models/mobilenetv2.py): a 1×1 stem with padding 1 (so 32→34
// pixels, as upstream), inverted residual blocks conv1×1(×t)-BN-ReLU6-depthwise3×3-BN-ReLU6-conv1×1-BN (biased convs)
// with an identity addition when stride 1 and channels match, conv1×1 to 1280, global pool, conv1×1 classifier.
// Sandler et al. 2018 (arXiv:1801.04381).
import { BatchNorm2d, Conv2d, globalAvgPool, Module, relu6, Sequential } from '../nn/index.js';
import type { Rng } from '../rng.js';
import { tf, type Tensor } from '../tf.js';
import type { ModelContext } from './model.js';
import { registerModel } from './registry.js';

class LinearBottleNeck extends Module {
  private readonly residual: Sequential;
  private readonly add: boolean;

  constructor(inC: number, outC: number, stride: number, t: number, rng: Rng) {
    super();
    const mid = inC * t;
    this.residual = this.addModule(
      'residual',
      new Sequential([
        new Conv2d(inC, mid, 1, rng),
        new BatchNorm2d(mid),
        relu6(),
        new Conv2d(mid, mid, 3, rng, { stride, padding: 1, groups: mid }),
        new BatchNorm2d(mid),
        relu6(),
        new Conv2d(mid, outC, 1, rng),
        new BatchNorm2d(outC),
      ]),
    );
    this.add = stride === 1 && inC === outC;
  }

  forward(x: Tensor): Tensor {
    const r = this.residual.forward(x);
    return this.add ? tf.add(r, x) : r;
  }
}

export class MobileNetV2 extends Module {
  private readonly pre: Sequential;
  private readonly stages: Module[];
  private readonly conv1: Sequential;
  private readonly conv2: Conv2d;

  constructor(ctx: ModelContext) {
    super();
    const { rng } = ctx;
    this.pre = this.addModule('pre', new Sequential([new Conv2d(ctx.inputShape[2], 32, 1, rng, { padding: 1 }), new BatchNorm2d(32), relu6()]));
    const stage = (repeat: number, inC: number, outC: number, stride: number, t: number) =>
      new Sequential(Array.from({ length: repeat }, (_, i) => new LinearBottleNeck(i ? outC : inC, outC, i ? 1 : stride, t, rng)));
    this.stages = [
      this.addModule('stage1', new LinearBottleNeck(32, 16, 1, 1, rng)),
      this.addModule('stage2', stage(2, 16, 24, 2, 6)),
      this.addModule('stage3', stage(3, 24, 32, 2, 6)),
      this.addModule('stage4', stage(4, 32, 64, 2, 6)),
      this.addModule('stage5', stage(3, 64, 96, 1, 6)),
      this.addModule('stage6', stage(3, 96, 160, 1, 6)),
      this.addModule('stage7', new LinearBottleNeck(160, 320, 1, 6, rng)),
    ];
    this.conv1 = this.addModule('conv1', new Sequential([new Conv2d(320, 1280, 1, rng), new BatchNorm2d(1280), relu6()]));
    this.conv2 = this.addModule('conv2', new Conv2d(1280, ctx.numClasses, 1, rng));
  }

  forward(x: Tensor): Tensor {
    const h = this.conv1.forward(this.stages.reduce((a, s) => s.forward(a), this.pre.forward(x)));
    const pooled = tf.expandDims(tf.expandDims(globalAvgPool(h), 1), 1);
    return tf.reshape(this.conv2.forward(pooled), [x.shape[0]!, -1]);
  }
}

registerModel('mobilenetv2', (_o, ctx) => new MobileNetV2(ctx));
