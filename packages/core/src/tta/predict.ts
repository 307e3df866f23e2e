// Model outputs through a TTA: the views' logits averaged, or their softmax averaged and returned as log-probabilities,
// so losses, top-k and softmax scores apply unchanged to either.
import type { Module } from '../nn/module.js';
import { tf, type Tensor, type Tensor4D } from '../tf.js';
import type { Tta } from './tta.js';

export function predictWithTta(model: Module, x: Tensor4D, tta: Tta): Tensor {
  return tf.tidy(() => {
    const outs = tta.views(x).map((v) => model.forward(v));
    if (outs.length === 1) return outs[0]!;
    if (tta.merge === 'logits') return tf.div(tf.addN(outs), outs.length);
    return tf.log(tf.div(tf.addN(outs.map((o) => tf.softmax(o))), outs.length));
  });
}
