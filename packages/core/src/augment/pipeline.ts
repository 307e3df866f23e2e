// A full per-image pipeline: uint8 ops in order, then to-float and Normalize(mean, std), then float ops.
import type { Rng } from '../rng.js';
import type { AugmentOp, Image } from './image.js';
import { createAugmentation } from './registry.js';

export interface Pipeline {
  readonly ops: AugmentOp[];
  /** Writes the augmented, normalised image into `out` at `offset` (HWC floats). */
  run(img: Image, rng: Rng, out: Float32Array, offset: number): void;
}

export function createPipeline(
  ops: (string | ({ name: string } & Record<string, unknown>))[],
  norm: { mean: readonly number[]; std: readonly number[] },
): Pipeline {
  const built = ops.map(createAugmentation);
  const pre = built.filter((o) => o.stage === 'uint8');
  const post = built.filter((o) => o.stage === 'float');
  // Order is uint8 ops, then normalise, then float ops; a config listing a float op before a uint8 op is reordered.
  return {
    ops: built,
    run(img, rng, out, offset) {
      let u: Image = img;
      for (const op of pre) u = op.apply(u, rng);
      let f: Image<Float32Array> = normalize(u, norm);
      for (const op of post) f = op.apply(f, rng);
      out.set(f.data, offset);
    },
  };
}

/** ToTensor (÷255) then Normalize((x-mean)/std) per channel. */
export function normalize(img: Image, { mean, std }: { mean: readonly number[]; std: readonly number[] }): Image<Float32Array> {
  const { data, channels: c } = img;
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const k = i % c;
    out[i] = (data[i]! / 255 - mean[k]!) / std[k]!;
  }
  return { data: out, height: img.height, width: img.width, channels: c };
}
