// RandomCrop(size = input size, padding=p, fill 0) as torchvision: zero-pad, then take the window at
// top = randint(0, H+2p-H), left = randint(0, W+2p-W) (both inclusive).
import type { Rng } from '../rng.js';
import type { AugmentOp, Image } from './image.js';
import { registerAugmentation } from './registry.js';

/** The crop at a fixed offset into the zero-padded image (what RandomCrop does once it has drawn the offset). */
export function cropPadded<T extends Uint8Array | Float32Array>(img: Image<T>, padding: number, top: number, left: number): Image<T> {
  const { height: h, width: w, channels: c } = img;
  const out = new (img.data.constructor as new (n: number) => T)(h * w * c);
  for (let y = 0; y < h; y++) {
    const sy = y + top - padding;
    if (sy < 0 || sy >= h) continue;
    for (let x = 0; x < w; x++) {
      const sx = x + left - padding;
      if (sx < 0 || sx >= w) continue;
      const d = (y * w + x) * c;
      const s = (sy * w + sx) * c;
      for (let k = 0; k < c; k++) out[d + k] = img.data[s + k]!;
    }
  }
  return { data: out, height: h, width: w, channels: c };
}

export function randomCrop(padding: number): AugmentOp {
  return {
    name: 'random_crop',
    stage: 'uint8',
    apply: (img, rng: Rng) => cropPadded(img, padding, rng.int(0, 2 * padding), rng.int(0, 2 * padding)),
  };
}

registerAugmentation('random_crop', (o) => randomCrop(o.padding as number));
