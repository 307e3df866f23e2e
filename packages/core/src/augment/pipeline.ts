// A full per-image pipeline: 'uint8' ops in order, then ToTensor+Normalize (torchvision's float32 arithmetic, from a
// per-channel lookup table), then 'float' ops; 'batch' ops run on the assembled batch.
import type { Rng } from '../rng.js';
import './all.js';
import type { AugmentContext, AugmentOp, BatchOp, BatchTensor, Image, Pixels } from './image.js';
import { createAugmentation } from './registry.js';

export interface Pipeline {
  readonly ops: (AugmentOp | BatchOp)[];
  /** Writes the augmented, normalised image into `out` at `offset` (HWC floats). */
  run(img: Image<Pixels>, rng: Rng, out: Float32Array, offset: number): void;
  /** Applies the batch-level ops (MixUp, CutMix) in order. */
  runBatch(batch: BatchTensor, rng: Rng): void;
}

export type OpConfig = string | ({ name: string } & Record<string, unknown>);

export function createPipeline(ops: OpConfig[], norm: AugmentContext): Pipeline {
  const built = ops.map((o) => createAugmentation(o, norm));
  const pre = built.filter((o): o is AugmentOp => o.stage === 'uint8');
  const post = built.filter((o): o is AugmentOp => o.stage === 'float');
  const batch = built.filter((o): o is BatchOp => o.stage === 'batch');
  const floatAt = pre.findIndex((o) => o.output === 'float');
  const clash = floatAt >= 0 ? pre.slice(floatAt + 1).find((o) => o.input === 'uint8') : undefined;
  if (clash) throw new Error(`augmentation '${clash.name}' needs uint8 pixels but follows '${pre[floatAt]!.name}', which outputs floats`);
  const normalizer = createNormalizer(norm);
  return {
    ops: built,
    run(img, rng, out, offset) {
      let u = img;
      for (const op of pre) u = op.apply(u, rng);
      let f: Image<Pixels> = { ...u, data: normalizer(u) };
      for (const op of post) f = op.apply(f, rng);
      out.set(f.data, offset);
    },
    runBatch(b, rng) {
      for (const op of batch) op.apply(b, rng);
    },
  };
}

/**
 * ToTensor then Normalize as torchvision computes them in float32: x = fround(v/255); (fround(x - mean)) / std, with
 * mean and std as float32. For uint8 input a 256-entry table per channel gives the exact result.
 */
export function createNormalizer({ mean, std }: AugmentContext): (img: Image<Pixels>) => Float32Array {
  const f32 = Math.fround;
  const m = mean.map(f32);
  const s = std.map(f32);
  const value = (v: number, k: number) => f32(f32(f32(v / 255) - m[k]!) / s[k]!);
  const luts = m.map((_, k) => Float32Array.from({ length: 256 }, (_, v) => value(v, k)));
  return (img) => {
    const { data, channels: c } = img;
    const out = new Float32Array(data.length);
    if (data instanceof Uint8Array) {
      for (let i = 0; i < data.length; i++) out[i] = luts[i % c]![data[i]!]!;
    } else {
      for (let i = 0; i < data.length; i++) out[i] = value(data[i]!, i % c);
    }
    return out;
  };
}
