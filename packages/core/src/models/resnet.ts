// The CIFAR ResNets the study trains (weiaicunzai/pytorch-cifar100 models/resnet.py): a 3×3 stride-1 stem without
// max-pool, stages of BasicBlock/BottleNeck at 64/128/256/512 (×4 for bottlenecks) with strides 1/2/2/2 (the stride
// on the 3×3 conv), conv1×1+BN shortcuts where shape changes, global average pool, linear. All convs bias-free.
// He et al. 2016 (arXiv:1512.03385). Parameter names follow the PyTorch module's named_parameters().
import { BatchNorm2d, Conv2d, globalAvgPool, Linear, Module, relu, Sequential } from '../nn/index.js';
import type { Rng } from '../rng.js';
import { tf, type Tensor } from '../tf.js';
import type { ModelContext } from './model.js';
import { registerModel } from './registry.js';

interface Block {
  expansion: number;
  create(inC: number, outC: number, stride: number, rng: Rng): Module;
}

class Residual extends Module {
  private readonly residual: Module;
  private readonly shortcut: Module;

  constructor(residual: Module[], shortcut: Module[]) {
    super();
    this.residual = this.addModule('residual_function', new Sequential(residual));
    this.shortcut = this.addModule('shortcut', new Sequential(shortcut));
  }

  forward(x: Tensor): Tensor {
    return tf.relu(tf.add(this.residual.forward(x), this.shortcut.forward(x)));
  }
}

const conv = (i: number, o: number, k: number, rng: Rng, stride = 1) => new Conv2d(i, o, k, rng, { stride, padding: k === 3 ? 1 : 0, bias: false });
const shortcut = (i: number, o: number, stride: number, rng: Rng) =>
  stride !== 1 || i !== o ? [conv(i, o, 1, rng, stride), new BatchNorm2d(o)] : [];

export const BasicBlock: Block = {
  expansion: 1,
  create: (i, o, s, rng) =>
    new Residual([conv(i, o, 3, rng, s), new BatchNorm2d(o), relu(), conv(o, o, 3, rng), new BatchNorm2d(o)], shortcut(i, o, s, rng)),
};

export const BottleNeck: Block = {
  expansion: 4,
  create: (i, o, s, rng) =>
    new Residual(
      [
        conv(i, o, 1, rng),
        new BatchNorm2d(o),
        relu(),
        conv(o, o, 3, rng, s),
        new BatchNorm2d(o),
        relu(),
        conv(o, 4 * o, 1, rng),
        new BatchNorm2d(4 * o),
      ],
      shortcut(i, 4 * o, s, rng),
    ),
};

export class CifarResNet extends Module {
  private readonly stem: Sequential;
  private readonly stages: Sequential[];
  private readonly fc: Linear;

  constructor(block: Block, blocks: number[], ctx: ModelContext, baseWidth = 64) {
    super();
    const { rng } = ctx;
    this.stem = this.addModule('conv1', new Sequential([conv(ctx.inputShape[2], baseWidth, 3, rng), new BatchNorm2d(baseWidth), relu()]));
    let inC = baseWidth;
    this.stages = blocks.map((n, s) => {
      const out = baseWidth * 2 ** s;
      const layers = Array.from({ length: n }, (_, b) => {
        const m = block.create(inC, out, b === 0 && s > 0 ? 2 : 1, rng);
        inC = out * block.expansion;
        return m;
      });
      return this.addModule(`conv${s + 2}_x`, new Sequential(layers));
    });
    this.fc = this.addModule('fc', new Linear(inC, ctx.numClasses, rng));
  }

  forward(x: Tensor): Tensor {
    const h = this.stages.reduce((a, st) => st.forward(a), this.stem.forward(x));
    return this.fc.forward(globalAvgPool(h));
  }
}

const variants: [string, Block, number[]][] = [
  ['resnet18', BasicBlock, [2, 2, 2, 2]],
  ['resnet34', BasicBlock, [3, 4, 6, 3]],
  ['resnet50', BottleNeck, [3, 4, 6, 3]],
  ['resnet101', BottleNeck, [3, 4, 23, 3]],
  ['resnet152', BottleNeck, [3, 8, 36, 3]],
];
for (const [name, block, blocks] of variants) {
  registerModel(name, (o, ctx) => new CifarResNet(block, blocks, ctx, o.baseWidth as number));
}
