// 2-D convolution in NHWC with PyTorch semantics: symmetric integer padding, weight [kh,kw,in,out], default init.
import type { Rng } from '../rng.js';
import { tf, type Tensor, type Variable } from '../tf.js';
import { biasUniformDefault, kaimingUniformDefault } from './init.js';
import { Module } from './module.js';

export interface Conv2dOptions {
  stride?: number;
  /** Zero padding on every side, like nn.Conv2d(padding=p). */
  padding?: number;
  bias?: boolean;
}

export class Conv2d extends Module {
  readonly weight: Variable;
  readonly bias?: Variable;
  private readonly stride: number;
  private readonly pad: [[number, number], [number, number], [number, number], [number, number]];

  constructor(inChannels: number, outChannels: number, kernel: number, rng: Rng, opts: Conv2dOptions = {}) {
    super();
    const fanIn = inChannels * kernel * kernel;
    this.stride = opts.stride ?? 1;
    const p = opts.padding ?? 0;
    this.pad = [[0, 0], [p, p], [p, p], [0, 0]];
    this.weight = this.addParameter('weight', kaimingUniformDefault([kernel, kernel, inChannels, outChannels], fanIn, rng));
    if (opts.bias ?? true) this.bias = this.addParameter('bias', biasUniformDefault(outChannels, fanIn, rng));
  }

  forward(x: Tensor): Tensor {
    const y = tf.conv2d(x as tf.Tensor4D, this.weight as tf.Tensor4D, this.stride, this.pad);
    return this.bias ? tf.add(y, this.bias) : y;
  }
}
