// The wasm gradient kernels against the cpu backend on random shapes.
import { beforeAll, describe, expect, it } from 'vitest';
import { relError } from '../../../test/fixtures.js';
import { Rng } from '../../rng.js';
import { tf } from '../../tf.js';
import { initBackend } from '../select.js';
import { useWasmKernel } from './index.js';

// Every wasm gradient kernel we register must equal the cpu backend's gradient within 1e-4 relative.
const cases: { x: number[]; f: number[]; stride: number | [number, number]; pad: 'same' | 'valid' | number }[] = [
  { x: [2, 8, 8, 3], f: [3, 3, 3, 4], stride: 1, pad: 'same' },
  { x: [2, 8, 8, 3], f: [3, 3, 3, 4], stride: 2, pad: 'same' },
  { x: [2, 9, 7, 3], f: [3, 3, 3, 4], stride: 2, pad: 'valid' },
  { x: [2, 9, 9, 3], f: [3, 3, 3, 5], stride: 2, pad: 1 },
  { x: [3, 8, 8, 5], f: [1, 1, 5, 6], stride: 2, pad: 0 },
  { x: [1, 11, 10, 2], f: [5, 3, 2, 3], stride: [3, 2], pad: 'same' },
  { x: [2, 6, 6, 4], f: [3, 3, 4, 4], stride: 1, pad: 'valid' },
];

function random(shape: number[], rng: Rng): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: n }, () => rng.normal()),
    shape,
  );
}

const depthwiseCases: { x: number[]; f: number[]; stride: number; pad: 'same' | 'valid' | number }[] = [
  { x: [2, 8, 8, 4], f: [3, 3, 4, 1], stride: 1, pad: 1 },
  { x: [2, 9, 9, 6], f: [3, 3, 6, 1], stride: 2, pad: 1 },
  { x: [3, 7, 10, 5], f: [3, 3, 5, 1], stride: 2, pad: 'same' },
  { x: [1, 8, 8, 3], f: [5, 5, 3, 1], stride: 1, pad: 'valid' },
];

async function depthwiseGrads(backend: string) {
  await tf.setBackend(backend);
  const rng = new Rng(7);
  const out: Float32Array[][] = [];
  for (const c of depthwiseCases) {
    const [dx, dw] = tf.tidy(() => {
      const x = random(c.x, rng);
      const w = random(c.f, rng);
      return tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad))))([
        x,
        w,
      ]);
    });
    out.push([(await dx!.data()) as Float32Array, (await dw!.data()) as Float32Array]);
    tf.dispose([dx!, dw!]);
  }
  return out;
}

async function convGrads(backend: string) {
  await tf.setBackend(backend);
  const rng = new Rng(42);
  const out: Float32Array[][] = [];
  for (const c of cases) {
    const [dx, dw] = tf.tidy(() => {
      const x = random(c.x, rng) as tf.Tensor4D;
      const w = random(c.f, rng) as tf.Tensor4D;
      const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad))));
      return g([x, w]);
    });
    out.push([(await dx!.data()) as Float32Array, (await dw!.data()) as Float32Array]);
    tf.dispose([dx!, dw!]);
  }
  return out;
}

describe('wasm DepthwiseConv2dNativeBackpropInput / Filter', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('equal the cpu backend on random shapes, strides 1-2, padding explicit/same/valid', async () => {
    const before = tf.memory().numTensors;
    const wasm = await depthwiseGrads('wasm');
    expect(tf.memory().numTensors).toBe(before);
    const cpu = await depthwiseGrads('cpu');
    await tf.setBackend('wasm');
    depthwiseCases.forEach((c, i) => {
      expect(relError(wasm[i]![0]!, cpu[i]![0]!), `dx ${JSON.stringify(c)}`).toBeLessThan(1e-4);
      expect(relError(wasm[i]![1]!, cpu[i]![1]!), `dW ${JSON.stringify(c)}`).toBeLessThan(1e-4);
    });
  });
});

describe('wasm Conv2DBackpropInput / Conv2DBackpropFilter', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('equal the cpu backend on random shapes, strides 1-3, padding same/valid/explicit', async () => {
    const before = tf.memory().numTensors;
    const wasm = await convGrads('wasm');
    expect(tf.memory().numTensors).toBe(before);
    const cpu = await convGrads('cpu');
    await tf.setBackend('wasm');
    cases.forEach((c, i) => {
      expect(relError(wasm[i]![0]!, cpu[i]![0]!), `dx ${JSON.stringify(c)}`).toBeLessThan(1e-4);
      expect(relError(wasm[i]![1]!, cpu[i]![1]!), `dW ${JSON.stringify(c)}`).toBeLessThan(1e-4);
    });
  });
});

describe('wasm SplitV', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('equals concatenation order exactly: axis 0 by sizes and by count, rank 1 and 3, and other axes through the stock kernel', async () => {
    const rng = new Rng(5);
    const cases: { shape: number[]; split: number | number[]; axis: number }[] = [
      { shape: [10], split: [3, 0, 7], axis: 0 },
      { shape: [275_572], split: [100_000, 175_000, 572], axis: 0 },
      { shape: [6, 4, 2], split: 3, axis: 0 },
      { shape: [6, 4, 2], split: [1, 3], axis: 1 },
    ];
    for (const c of cases) {
      const x = random(c.shape, rng);
      const all = await x.data();
      const parts = tf.split(x, c.split, c.axis);
      // The pieces, joined back along the axis, are the input bit for bit.
      const joined = tf.concat(parts, c.axis);
      expect(Array.from(await joined.data())).toEqual(Array.from(all));
      const sizes = Array.isArray(c.split) ? c.split : Array<number>(c.split).fill(c.shape[c.axis]! / c.split);
      expect(parts.map((p) => p.shape[c.axis])).toEqual(sizes);
      tf.dispose([x, joined, ...parts]);
    }
  });
});

describe('wasm FusedBatchNorm', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('scales like the stock kernel (1e-6 relative) with zero mean and no offset, and is the stock kernel otherwise', async () => {
    // Each run draws the same inputs.
    const run = () =>
      tf.tidy(() => {
        const rng = new Rng(11);
        const x = random([3, 5, 4, 6], rng);
        const variance = tf.abs(random([6], rng));
        const scale = random([6], rng);
        const far = tf.add(tf.mul(random([3, 5, 4, 6], rng), 0.5), 40);
        const { mean: fm, variance: fv } = tf.moments(far, [0, 1, 2]);
        return [
          tf.batchNorm(x, tf.zeros([6]), variance, undefined, scale, 1e-5),
          tf.batchNorm(x, tf.zeros([6]), variance, undefined, undefined, 1e-3),
          // A mean, an offset, statistics that are not per channel: the stock kernel.
          tf.batchNorm(far, fm, fv, random([6], rng), scale, 1e-5),
          tf.batchNorm(random([2, 6], rng), random([2, 6], rng), tf.abs(random([2, 6], rng)), undefined, undefined, 1e-5),
        ];
      });
    const ours = await Promise.all(run().map((t) => t.data()));
    useWasmKernel('FusedBatchNorm', 'stock');
    try {
      const stock = await Promise.all(run().map((t) => t.data()));
      for (const i of [0, 1]) expect(relError(ours[i]!, stock[i]!), `case ${i}`).toBeLessThan(1e-6);
      for (const i of [2, 3]) expect(Array.from(ours[i]!), `case ${i}`).toEqual(Array.from(stock[i]!));
    } finally {
      useWasmKernel('FusedBatchNorm', 'ablate');
    }
  });
});
