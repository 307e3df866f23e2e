// GridMask on the normalised image, as the official implementation (akuxcw/GridMask): a square mask of side
// ceil(√(h²+w²)) with bands of width ceil(d·ratio) every d pixels in both directions, rotated by a random angle
// (Pillow NEAREST), centre-cropped; mode 1 keeps the bands and drops the squares between them. Chen et al. 2020.
import type { Rng } from '../rng.js';
import type { AugmentOp, Image, Pixels } from './image.js';
import { rotate } from './pil/affine.js';
import { registerAugmentation } from './registry.js';

export interface GridMaskOptions {
  d1: number;
  d2: number;
  ratio: number;
  rotate: number;
  mode: 0 | 1;
  p: number;
}

/** The 0/1 mask (h×w) for a period d, offsets (sth, stw) and rotation r in degrees. */
export function gridMaskAt(
  h: number,
  w: number,
  o: Pick<GridMaskOptions, 'ratio' | 'mode'>,
  d: number,
  sth: number,
  stw: number,
  r: number,
): Uint8Array {
  const hh = Math.ceil(Math.sqrt(h * h + w * w));
  const l = Math.ceil(d * o.ratio);
  const mask = new Uint8Array(hh * hh).fill(1);
  const clip = (v: number) => Math.max(Math.min(v, hh), 0);
  for (let i = -1; i < Math.floor(hh / d) + 1; i++) {
    const s = clip(d * i + sth);
    const t = clip(d * i + sth + l);
    for (let y = s; y < t; y++) mask.fill(0, y * hh, (y + 1) * hh);
  }
  for (let i = -1; i < Math.floor(hh / d) + 1; i++) {
    const s = clip(d * i + stw);
    const t = clip(d * i + stw + l);
    for (let y = 0; y < hh; y++) mask.fill(0, y * hh + s, y * hh + t);
  }
  const rotated = rotate({ data: mask, height: hh, width: hh, channels: 1 }, r).data;
  const oy = Math.floor((hh - h) / 2);
  const ox = Math.floor((hh - w) / 2);
  const out = new Uint8Array(h * w);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = rotated[(y + oy) * hh + x + ox]!;
      out[y * w + x] = o.mode === 1 ? 1 - v : v;
    }
  }
  return out;
}

export function applyMask<T extends Pixels>(img: Image<T>, mask: Uint8Array): Image<T> {
  const out = img.data.slice() as T;
  const c = img.channels;
  for (let i = 0; i < out.length; i++) if (!mask[(i / c) | 0]) out[i] = 0;
  return { ...img, data: out };
}

export function gridMask(o: GridMaskOptions): AugmentOp {
  if (o.d2 <= o.d1) throw new Error(`gridmask: d2 (${o.d2}) must be greater than d1 (${o.d1})`);
  return {
    name: 'gridmask',
    stage: 'float',
    input: 'any',
    output: 'same',
    apply(img, rng: Rng) {
      if (rng.random() > o.p) return img;
      const d = rng.int(o.d1, o.d2 - 1);
      const mask = gridMaskAt(img.height, img.width, o, d, rng.int(0, d - 1), rng.int(0, d - 1), rng.int(0, o.rotate - 1));
      return applyMask(img, mask);
    },
  };
}

registerAugmentation('gridmask', (o) => gridMask(o as unknown as GridMaskOptions));
