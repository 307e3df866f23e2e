// The study's AutoAugment op table (augmentations.py from fast-autoaugment): each op's magnitude range, the
// level→magnitude mapper of @autoaug2arsaug, and the op on a uint8 image, Pillow-exact. The effective magnitude is
// computed through the same double arithmetic: v = low_high(mapper(level))·(high-low) + low.
import type { Rng } from '../../rng.js';
import type { Image } from '../image.js';
import {
  affineNearest,
  autocontrast,
  brightness,
  color,
  contrast,
  equalize,
  fillRect,
  invert,
  posterize,
  rotate,
  sharpness,
  solarize,
} from '../pil/index.js';

const PARAMETER_MAX = 10;
const floatParameter = (level: number, maxval: number) => (level * maxval) / PARAMETER_MAX;
const intParameter = (level: number, maxval: number) => Math.trunc(floatParameter(level, maxval));

type U8 = Image<Uint8Array>;

interface AaOp {
  /** augment_list's (low, high). */
  range: [number, number];
  /** autoaug2arsaug's mapper from level 0-10 to a magnitude (identity when absent). */
  mapper?: (level: number) => number;
  apply(img: U8, v: number, rng: Rng): U8;
}

/** `if random.random() > 0.5: v = -v` (random_mirror). */
const mirror = (v: number, rng: Rng) => (rng.random() > 0.5 ? -v : v);

export const AA_OPS: Record<string, AaOp> = {
  ShearX: { range: [-0.3, 0.3], mapper: (l) => floatParameter(l, 0.3), apply: (im, v, r) => affineNearest(im, [1, mirror(v, r), 0, 0, 1, 0]) },
  ShearY: { range: [-0.3, 0.3], mapper: (l) => floatParameter(l, 0.3), apply: (im, v, r) => affineNearest(im, [1, 0, 0, mirror(v, r), 1, 0]) },
  TranslateXAbs: { range: [0, 10], apply: (im, v, r) => affineNearest(im, [1, 0, mirror(v, r), 0, 1, 0]) },
  TranslateYAbs: { range: [0, 10], apply: (im, v, r) => affineNearest(im, [1, 0, 0, 0, 1, mirror(v, r)]) },
  Rotate: { range: [-30, 30], mapper: (l) => intParameter(l, 30), apply: (im, v, r) => rotate(im, mirror(v, r)) },
  AutoContrast: { range: [0, 1], apply: (im) => autocontrast(im) },
  Invert: { range: [0, 1], apply: (im) => invert(im) },
  Equalize: { range: [0, 1], apply: (im) => equalize(im) },
  Solarize: { range: [0, 256], mapper: (l) => 256 - intParameter(l, 256), apply: (im, v) => solarize(im, v) },
  Posterize2: { range: [0, 4], mapper: (l) => 4 - intParameter(l, 4), apply: (im, v) => posterize(im, Math.trunc(v)) },
  Contrast: { range: [0.1, 1.9], mapper: (l) => floatParameter(l, 1.8) + 0.1, apply: (im, v) => contrast(im, v) },
  Color: { range: [0.1, 1.9], mapper: (l) => floatParameter(l, 1.8) + 0.1, apply: (im, v) => color(im, v) },
  Brightness: { range: [0.1, 1.9], mapper: (l) => floatParameter(l, 1.8) + 0.1, apply: (im, v) => brightness(im, v) },
  Sharpness: { range: [0.1, 1.9], mapper: (l) => floatParameter(l, 1.8) + 0.1, apply: (im, v) => sharpness(im, v) },
  CutoutAbs: { range: [0, 20], mapper: (l) => intParameter(l, 20), apply: (im, v, r) => cutoutAbs(im, v, r) },
};

/** apply_augment's argument for a policy level: level·(high-low)+low with level = (mapper(L)-low)/(high-low). */
export function effectiveMagnitude(name: string, level: number): number {
  const op = AA_OPS[name];
  if (!op) throw new Error(`unknown AutoAugment op '${name}'`);
  const [low, high] = op.range;
  const lowHigh = ((op.mapper ? op.mapper(level) : level) - low) / (high - low);
  return lowHigh * (high - low) + low;
}

/**
 * CutoutAbs: a (v+1)-pixel box of colour (125,123,114). Porting note: the centre comes from np.random.uniform(w),
 * i.e. low=w, high=1.0, so it is uniform on (1, w], not on [0, w).
 */
export function cutoutAbs(img: U8, v: number, rng: Rng): U8 {
  if (v < 0) return img;
  const { width: w, height: h } = img;
  const cx = w + (1 - w) * rng.random();
  const cy = h + (1 - h) * rng.random();
  return cutoutAbsAt(img, v, cx, cy);
}

export function cutoutAbsAt(img: U8, v: number, cx: number, cy: number): U8 {
  const { width: w, height: h } = img;
  const x0 = Math.trunc(Math.max(0, cx - v / 2));
  const y0 = Math.trunc(Math.max(0, cy - v / 2));
  // ImageDraw casts the corners to int; both are inclusive.
  return fillRect(img, x0, y0, Math.trunc(Math.min(w, x0 + v)), Math.trunc(Math.min(h, y0 + v)), [125, 123, 114]);
}
