// Random Erasing on the normalised image. Zhong et al. 2020 (arXiv:1708.04896), reference implementation
// zhunzhong07/Random-Erasing (Apache-2.0), as the study uses it; and torchvision's transforms.RandomErasing.
// Porting note: the study fills with the literal channel means (0.5071, 0.4865, 0.4409) *after* Normalize, so the
// erased box is not the mean colour; 'mean' reproduces that.
import type { Rng } from '../rng.js';
import type { AugmentContext, AugmentOp, Image, Pixels } from './image.js';
import { registerAugmentation } from './registry.js';

export interface ErasingOptions {
  variant: 'zhong' | 'torchvision';
  p: number;
  scale?: [number, number];
  ratio?: [number, number];
  attempts?: number;
  value?: 'mean' | 'random' | number[];
}

/** Each variant's defaults, used where an option is not given. */
const DEFAULTS = {
  zhong: { scale: [0.02, 0.4], ratio: [0.3, 1 / 0.3], attempts: 100, value: 'mean' },
  torchvision: { scale: [0.02, 0.33], ratio: [0.3, 3.3], attempts: 10, value: [0] },
} as const;

/** Python's round(): halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Writes `value(channel, y, x)` into rows top..top+h-1 and columns left..left+w-1 (torchvision F.erase). */
export function eraseBox<T extends Pixels>(img: Image<T>, top: number, left: number, h: number, w: number, value: (k: number) => number): Image<T> {
  const { width: W, channels: c } = img;
  const out = img.data.slice() as T;
  for (let y = top; y < top + h; y++) {
    for (let x = left; x < left + w; x++) {
      for (let k = 0; k < c; k++) out[(y * W + x) * c + k] = value(k);
    }
  }
  return { ...img, data: out };
}

export function randomErasing(o: ErasingOptions, ctx: AugmentContext): AugmentOp {
  const d = DEFAULTS[o.variant];
  const [sl, sh] = o.scale ?? d.scale;
  const [r1, r2] = o.ratio ?? d.ratio;
  const attempts = o.attempts ?? d.attempts;
  const value = o.value ?? d.value;
  const zhong = o.variant === 'zhong';
  return {
    name: 'random_erasing',
    stage: 'float',
    input: 'any',
    output: 'same',
    apply(img, rng: Rng) {
      // Zhong: `if uniform(0,1) > p: return`; torchvision: erase `if rand < p`.
      const u = rng.random();
      if (zhong ? u > o.p : u >= o.p) return img;
      const { height: H, width: W } = img;
      for (let t = 0; t < attempts; t++) {
        const target = rng.uniform(sl, sh) * H * W;
        const aspect = zhong ? rng.uniform(r1, r2) : Math.exp(rng.uniform(Math.log(r1), Math.log(r2)));
        const h = roundHalfEven(Math.sqrt(target * aspect));
        const w = roundHalfEven(Math.sqrt(target / aspect));
        if (!(h < H && w < W)) continue;
        const top = rng.int(0, H - h);
        const left = rng.int(0, W - w);
        const fill =
          value === 'random'
            ? () => rng.normal()
            : value === 'mean'
              ? (k: number) => ctx.mean[k % ctx.mean.length]!
              : (k: number) => value[k % value.length]!;
        return eraseBox(img, top, left, h, w, fill);
      }
      return img;
    },
  };
}

registerAugmentation('random_erasing', (o, ctx) => randomErasing(o as unknown as ErasingOptions, ctx));
