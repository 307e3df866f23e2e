// Fully connected layer, weight [in,out] (PyTorch stores [out,in]), PyTorch default init.
import type { Rng } from '../rng.js';
import { tf, type Tensor, type Variable } from '../tf.js';
import { biasUniformDefault, kaimingUniformDefault } from './init.js';
import { Module } from './module.js';

export class Linear extends Module {
  readonly weight: Variable;
  readonly bias?: Variable;

  constructor(inFeatures: number, outFeatures: number, rng: Rng, opts: { bias?: boolean } = {}) {
    super();
    this.weight = this.addParameter('weight', kaimingUniformDefault([inFeatures, outFeatures], inFeatures, rng), 'linear');
    if (opts.bias ?? true) this.bias = this.addParameter('bias', biasUniformDefault(outFeatures, inFeatures, rng));
  }

  forward(x: Tensor): Tensor {
    const y = tf.matMul(x as tf.Tensor2D, this.weight as tf.Tensor2D);
    return this.bias ? tf.add(y, this.bias) : y;
  }
}
