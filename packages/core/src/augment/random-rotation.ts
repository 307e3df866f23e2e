// RandomRotation(degrees) on PIL images as torchvision 0.14: angle ~ U(-d, d), Image.rotate with NEAREST,
// expand=False, centre of the image, fill 0 (exactly Pillow's fixed-point resampling, see pil/affine.ts).
import type { Rng } from '../rng.js';
import type { AugmentOp } from './image.js';
import { rotate } from './pil/affine.js';
import { registerAugmentation } from './registry.js';

export function randomRotation(degrees: number): AugmentOp {
  return {
    name: 'random_rotation',
    stage: 'uint8',
    input: 'any',
    output: 'same',
    apply: (img, rng: Rng) => rotate(img, rng.uniform(-degrees, degrees)),
  };
}

registerAugmentation('random_rotation', (o) => randomRotation(o.degrees as number));
