// Cutout on the normalised image: zero a size×size square centred at a uniformly drawn pixel, clipped at the border
// (so squares near the edge are smaller). DeVries & Taylor 2017 (arXiv:1708.04552), uoguelph-mlrg/Cutout.
import type { Rng } from '../rng.js';
import type { AugmentOp, Image, Pixels } from './image.js';
import { registerAugmentation } from './registry.js';

/** Zeroes rows y1..y2-1 and columns x1..x2-1 with y1 = clip(cy - size/2), y2 = clip(cy + size/2) (integer halves). */
export function cutoutAt<T extends Pixels>(img: Image<T>, cy: number, cx: number, size: number): Image<T> {
  const { height: H, width: W, channels: c } = img;
  const half = Math.floor(size / 2);
  const clip = (v: number, hi: number) => Math.max(0, Math.min(hi, v));
  const out = img.data.slice() as T;
  for (let y = clip(cy - half, H); y < clip(cy + half, H); y++) {
    for (let x = clip(cx - half, W); x < clip(cx + half, W); x++) {
      for (let k = 0; k < c; k++) out[(y * W + x) * c + k] = 0;
    }
  }
  return { ...img, data: out };
}

export function cutout(size: number, holes: number, p: number): AugmentOp {
  return {
    name: 'cutout',
    stage: 'float',
    input: 'any',
    output: 'same',
    apply(img, rng: Rng) {
      if (rng.random() >= p) return img;
      let out = img;
      for (let n = 0; n < holes; n++) out = cutoutAt(out, rng.int(0, img.height - 1), rng.int(0, img.width - 1), size);
      return out;
    },
  };
}

registerAugmentation('cutout', (o) => cutout(o.size as number, o.holes as number, o.p as number));
