// He et al.'s original CIFAR ResNets (resnet20/32/44/56/110; arXiv:1512.03385 §4.2), as akamaster/pytorch_resnet_cifar10
// defines them: 3×3 stem to 16 channels, three stages of n basic blocks at 16/32/64 channels, option-A shortcuts
// (subsample by 2 and zero-pad the channels: no parameters), global average pool, linear. Small enough for CPUs.
// Porting note: initialised with PyTorch's defaults like every model here (akamaster applies kaiming_normal_).
import { applyInOrder, BatchNorm2d, Conv2d, globalAvgPool, Linear, Module } from '../nn/index.js';
import type { Rng } from '../rng.js';
import { tf, type Tensor } from '../tf.js';
import type { ModelContext } from './model.js';
import { registerModel } from './registry.js';

/**
 * x[:, ::2, ::2, :] (NHWC) as a 1×1 depthwise convolution with unit weights and stride 2: exact, differentiable, and
 * run by XNNPACK (a rank-6 reshape/slice formulation was 75× slower on wasm).
 */
export function subsample2(x: Tensor): Tensor {
  return tf.tidy(() => tf.depthwiseConv2d(x as tf.Tensor4D, tf.ones([1, 1, x.shape[3]!, 1]) as tf.Tensor4D, 2, 'valid'));
}

class HeBlock extends Module {
  private readonly conv1: Conv2d;
  private readonly bn1: BatchNorm2d;
  private readonly conv2: Conv2d;
  private readonly bn2: BatchNorm2d;
  private readonly padChannels: number;

  constructor(
    readonly inC: number,
    readonly outC: number,
    readonly stride: number,
    rng: Rng,
  ) {
    super();
    this.conv1 = this.addModule('conv1', new Conv2d(inC, outC, 3, rng, { stride, padding: 1, bias: false }));
    this.bn1 = this.addModule('bn1', new BatchNorm2d(outC));
    this.conv2 = this.addModule('conv2', new Conv2d(outC, outC, 3, rng, { padding: 1, bias: false }));
    this.bn2 = this.addModule('bn2', new BatchNorm2d(outC));
    this.padChannels = Math.floor(outC / 4);
  }

  forward(x: Tensor): Tensor {
    const out = this.bn2.forward(this.conv2.forward(tf.relu(this.bn1.forward(this.conv1.forward(x)))));
    const short =
      this.stride !== 1 || this.inC !== this.outC
        ? tf.pad(subsample2(x), [
            [0, 0],
            [0, 0],
            [0, 0],
            [this.padChannels, this.padChannels],
          ])
        : x;
    return tf.relu(tf.add(out, short));
  }
}

export class HeResNet extends Module {
  private readonly conv1: Conv2d;
  private readonly bn1: BatchNorm2d;
  private readonly layers: HeBlock[][];
  private readonly linear: Linear;

  constructor(n: number, ctx: ModelContext, base = 16) {
    super();
    const { rng } = ctx;
    this.conv1 = this.addModule('conv1', new Conv2d(ctx.inputShape[2], base, 3, rng, { padding: 1, bias: false }));
    this.bn1 = this.addModule('bn1', new BatchNorm2d(base));
    let inC = base;
    this.layers = [0, 1, 2].map((s) => {
      const out = base * 2 ** s;
      return Array.from({ length: n }, (_, b) => {
        const blk = this.addModule(`layer${s + 1}.${b}`, new HeBlock(inC, out, b === 0 && s > 0 ? 2 : 1, rng));
        inC = out;
        return blk;
      });
    });
    this.linear = this.addModule('linear', new Linear(inC, ctx.numClasses, rng));
  }

  forward(x: Tensor): Tensor {
    const h = applyInOrder(this.layers.flat(), tf.relu(this.bn1.forward(this.conv1.forward(x))));
    return this.linear.forward(globalAvgPool(h));
  }
}

for (const [name, n] of [
  ['resnet20', 3],
  ['resnet32', 5],
  ['resnet44', 7],
  ['resnet56', 9],
  ['resnet110', 18],
] as const) {
  registerModel(name, (o, ctx) => new HeResNet(n, ctx, o.baseWidth as number));
}
