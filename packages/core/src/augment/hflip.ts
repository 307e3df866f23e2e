// RandomHorizontalFlip(p) as torchvision: mirror left-right when a uniform draw is below p.
import type { Rng } from '../rng.js';
import { blankLike, type AugmentOp, type Image, type Pixels } from './image.js';
import { registerAugmentation } from './registry.js';

export function flipHorizontal<T extends Pixels>(img: Image<T>): Image<T> {
  const { height: h, width: w, channels: c } = img;
  const out = blankLike(img.data);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const d = (y * w + x) * c;
      const s = (y * w + (w - 1 - x)) * c;
      for (let k = 0; k < c; k++) out[d + k] = img.data[s + k]!;
    }
  }
  return { data: out, height: h, width: w, channels: c };
}

export function hflip(p: number): AugmentOp {
  return {
    name: 'hflip',
    stage: 'uint8',
    input: 'any',
    output: 'same',
    apply: (img, rng: Rng) => (rng.random() < p ? flipHorizontal(img) : img),
  };
}

registerAugmentation('hflip', (o) => hflip(o.p as number));
