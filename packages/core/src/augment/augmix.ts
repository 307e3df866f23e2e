// AugMix as google-research/augmix (Apache-2.0): `width` chains of `depth` (or 1-3) ops drawn from
// {autocontrast, equalize, posterize, rotate, solarize, shear_x/y, translate_x/y} at a random level ≤ severity,
// mixed with weights ~ Dirichlet(α), then mixed with the original by m ~ Beta(α, α). Rotations, shears and
// translations resample bilinearly, as there. The mixture is returned as float pixels on the 0-255 scale: mixing
// before ToTensor+Normalize equals the original's mixing after it, since both weight sets sum to one.
// Hendrycks et al. 2020 (arXiv:1912.02781). (The study's copy of augmix.py is broken and never wired in.)
import type { Rng } from '../rng.js';
import type { AugmentOp, Image } from './image.js';
import { affineBilinear, autocontrast, equalize, posterize, rotate, solarize } from './pil/index.js';
import { registerAugmentation } from './registry.js';

type U8 = Image<Uint8Array>;
const intParameter = (level: number, maxval: number) => Math.trunc((level * maxval) / 10);
const floatParameter = (level: number, maxval: number) => (level * maxval) / 10;
/** np.random.uniform(low=0.1, high=n). */
const sampleLevel = (n: number, rng: Rng) => rng.uniform(0.1, n);
const signed = (v: number, rng: Rng) => (rng.random() > 0.5 ? -v : v);

export const AUGMIX_OPS: ((img: U8, severity: number, rng: Rng) => U8)[] = [
  (im) => autocontrast(im),
  (im) => equalize(im),
  (im, s, r) => posterize(im, 4 - intParameter(sampleLevel(s, r), 4)),
  (im, s, r) => rotate(im, signed(intParameter(sampleLevel(s, r), 30), r), 'bilinear'),
  (im, s, r) => solarize(im, 256 - intParameter(sampleLevel(s, r), 256)),
  (im, s, r) => affineBilinear(im, [1, signed(floatParameter(sampleLevel(s, r), 0.3), r), 0, 0, 1, 0]),
  (im, s, r) => affineBilinear(im, [1, 0, 0, signed(floatParameter(sampleLevel(s, r), 0.3), r), 1, 0]),
  (im, s, r) => affineBilinear(im, [1, 0, signed(intParameter(sampleLevel(s, r), im.width / 3), r), 0, 1, 0]),
  (im, s, r) => affineBilinear(im, [1, 0, 0, 0, 1, signed(intParameter(sampleLevel(s, r), im.height / 3), r)]),
];

export interface AugMixOptions {
  severity: number;
  width: number;
  depth: number;
  alpha: number;
}

export function augMix(o: AugMixOptions): AugmentOp {
  return {
    name: 'augmix',
    stage: 'uint8',
    input: 'uint8',
    output: 'float',
    apply(img, rng: Rng) {
      if (!(img.data instanceof Uint8Array)) throw new Error('augmix needs uint8 pixels');
      const src = img as U8;
      const ws = rng.dirichlet(Array.from({ length: o.width }, () => o.alpha));
      const m = rng.beta(o.alpha, o.alpha);
      const mix = new Float32Array(src.data.length);
      for (let i = 0; i < o.width; i++) {
        let aug = src;
        const depth = o.depth > 0 ? o.depth : rng.int(1, 3);
        for (let d = 0; d < depth; d++) aug = AUGMIX_OPS[Math.floor(rng.random() * AUGMIX_OPS.length)]!(aug, o.severity, rng);
        for (let k = 0; k < mix.length; k++) mix[k] = mix[k]! + ws[i]! * aug.data[k]!;
      }
      const out = new Float32Array(src.data.length);
      for (let k = 0; k < out.length; k++) out[k] = (1 - m) * src.data[k]! + m * mix[k]!;
      return { ...src, data: out };
    },
  };
}

registerAugmentation('augmix', (o) => augMix(o as unknown as AugMixOptions));
