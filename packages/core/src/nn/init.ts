// PyTorch's default initialisers, drawn from our seeded Rng so a seed fixes the weights on every backend.
import type { Rng } from '../rng.js';
import { tf, type Tensor } from '../tf.js';

/**
 * kaiming_uniform_(a=√5) as nn.Conv2d/nn.Linear use by default: U(-b, b) with b = gain·√(3/fan_in),
 * gain = √(2/(1+a²)) = √(1/3), so b = 1/√fan_in.
 */
export function kaimingUniformDefault(shape: number[], fanIn: number, rng: Rng): Tensor {
  const bound = 1 / Math.sqrt(fanIn);
  return uniform(shape, -bound, bound, rng);
}

/** The default bias init of conv/linear layers: U(-1/√fan_in, 1/√fan_in). */
export function biasUniformDefault(size: number, fanIn: number, rng: Rng): Tensor {
  const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
  return uniform([size], -bound, bound, rng);
}

export function uniform(shape: number[], lo: number, hi: number, rng: Rng): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(rng.fillUniform(new Float32Array(n), lo, hi), shape);
}
