// RandomCrop(size = input size, padding=p, fill 0) as torchvision: zero-pad, then take the window at
// top = randint(0, H+2p-H), left = randint(0, W+2p-W) (both inclusive).
import type { Rng } from '../rng.js';
import { blankLike, type AugmentOp, type Image, type Pixels } from './image.js';
import { registerAugmentation } from './registry.js';

/** The crop at a fixed offset into the zero-padded image (what RandomCrop does once it has drawn the offset). */
export function cropPadded<T extends Pixels>(img: Image<T>, padding: number, top: number, left: number): Image<T> {
  const { height: h, width: w, channels: c } = img;
  const out = blankLike(img.data);
  const dy = top - padding;
  const dx = left - padding;
  const x0 = Math.max(0, -dx);
  const x1 = Math.min(w, w - dx);
  for (let y = Math.max(0, -dy); y < Math.min(h, h - dy); y++) {
    const src = ((y + dy) * w + x0 + dx) * c;
    out.set(img.data.subarray(src, src + (x1 - x0) * c), (y * w + x0) * c);
  }
  return { data: out, height: h, width: w, channels: c };
}

export function randomCrop(padding: number): AugmentOp {
  return {
    name: 'random_crop',
    stage: 'uint8',
    input: 'any',
    output: 'same',
    apply: (img, rng: Rng) => cropPadded(img, padding, rng.int(0, 2 * padding), rng.int(0, 2 * padding)),
  };
}

registerAugmentation('random_crop', (o) => randomCrop(o.padding as number));
