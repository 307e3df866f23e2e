// 2-D convolution in NHWC with PyTorch semantics: symmetric integer padding, weight [kh,kw,in,out] (depthwise:
// [kh,kw,C,1]), default init. groups = 1 or groups = in = out channels (depthwise) are supported.
import type { Rng } from '../rng.js';
import { tf, type Tensor, type Variable } from '../tf.js';
import { biasUniformDefault, kaimingUniformDefault } from './init.js';
import { Module } from './module.js';

export interface Conv2dOptions {
  stride?: number;
  /** Zero padding on every side, like nn.Conv2d(padding=p). */
  padding?: number;
  bias?: boolean;
  /** 1, or the channel count for a depthwise convolution (nn.Conv2d(groups=C)). */
  groups?: number;
}

export class Conv2d extends Module {
  readonly weight: Variable;
  readonly bias?: Variable;
  private readonly stride: number;
  private readonly pad: [[number, number], [number, number], [number, number], [number, number]];

  private readonly depthwise: boolean;

  constructor(inChannels: number, outChannels: number, kernel: number, rng: Rng, opts: Conv2dOptions = {}) {
    super();
    const groups = opts.groups ?? 1;
    this.depthwise = groups > 1;
    if (this.depthwise && !(groups === inChannels && groups === outChannels)) {
      throw new Error(`Conv2d supports groups=1 or depthwise (groups = in = out), got groups=${groups} for ${inChannels}→${outChannels}`);
    }
    const fanIn = (inChannels / groups) * kernel * kernel;
    this.stride = opts.stride ?? 1;
    const p = opts.padding ?? 0;
    this.pad = [
      [0, 0],
      [p, p],
      [p, p],
      [0, 0],
    ];
    const shape = this.depthwise ? [kernel, kernel, inChannels, 1] : [kernel, kernel, inChannels, outChannels];
    this.weight = this.addParameter('weight', kaimingUniformDefault(shape, fanIn, rng), this.depthwise ? 'depthwise' : 'conv');
    if (opts.bias ?? true) this.bias = this.addParameter('bias', biasUniformDefault(outChannels, fanIn, rng));
  }

  forward(x: Tensor): Tensor {
    const y = this.depthwise
      ? tf.depthwiseConv2d(x as tf.Tensor4D, this.weight as tf.Tensor4D, this.stride, this.pad)
      : tf.conv2d(x as tf.Tensor4D, this.weight as tf.Tensor4D, this.stride, this.pad);
    return this.bias ? tf.add(y, this.bias) : y;
  }
}
