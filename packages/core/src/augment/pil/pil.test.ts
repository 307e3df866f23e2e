// Every Pillow primitive against Pillow 9.4 / torchvision 0.14 on the same images, pixel for pixel
// (fixtures: scripts/fixtures/make_augment_fixtures.py). Each case must match exactly: 0 differing values.
import { describe, expect, it } from 'vitest';
import { augmentFixtures, diff } from '../../../test/augment-fixtures.js';
import { cropPadded } from '../random-crop.js';
import { flipHorizontal } from '../hflip.js';
import type { Image } from '../image.js';
import {
  affineBilinear,
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
} from './index.js';

type P = { v: number; box: number[]; padding: number; top: number; left: number };
type Op = (img: Image<Uint8Array>, p: P) => Image<Uint8Array>;
const OPS: Record<string, Op> = {
  shear_x: (im, p) => affineNearest(im, [1, p.v, 0, 0, 1, 0]),
  shear_y: (im, p) => affineNearest(im, [1, 0, 0, p.v, 1, 0]),
  translate_x: (im, p) => affineNearest(im, [1, 0, p.v, 0, 1, 0]),
  translate_y: (im, p) => affineNearest(im, [1, 0, 0, 0, 1, p.v]),
  rotate: (im, p) => rotate(im, p.v),
  tv_rotate: (im, p) => rotate(im, p.v),
  rotate_bilinear: (im, p) => rotate(im, p.v, 'bilinear'),
  shear_x_bilinear: (im, p) => affineBilinear(im, [1, p.v, 0, 0, 1, 0]),
  autocontrast: (im) => autocontrast(im),
  equalize: (im) => equalize(im),
  invert: (im) => invert(im),
  solarize: (im, p) => solarize(im, p.v),
  posterize: (im, p) => posterize(im, p.v),
  contrast: (im, p) => contrast(im, p.v),
  color: (im, p) => color(im, p.v),
  brightness: (im, p) => brightness(im, p.v),
  sharpness: (im, p) => sharpness(im, p.v),
  rectangle: (im, p) => fillRect(im, p.box[0]!, p.box[1]!, p.box[2]!, p.box[3]!, [125, 123, 114]),
  crop_padded: (im, p) => cropPadded(im, p.padding, p.top, p.left),
  hflip: (im) => flipHorizontal(im),
};

describe('Pillow primitives', () => {
  const byOp = new Map<string, typeof augmentFixtures.cases>();
  for (const c of augmentFixtures.cases) byOp.set(c.op, [...(byOp.get(c.op) ?? []), c]);

  it('cover every op in the fixture', () => {
    expect([...byOp.keys()].filter((k) => !OPS[k])).toEqual([]);
  });

  it.each([...byOp.keys()])('%s equals Pillow on every image and parameter', (op) => {
    const failures: string[] = [];
    for (const c of byOp.get(op)!) {
      const out = OPS[op]!(augmentFixtures.images[c.image]!, c.params as never);
      const d = diff(out.data, c.expected.data);
      if (out.height !== c.expected.height || out.width !== c.expected.width || d.count) {
        failures.push(`${c.image} ${JSON.stringify(c.params)}: ${d.count} values differ (max ${d.max})`);
      }
    }
    expect(failures).toEqual([]);
  });
});
