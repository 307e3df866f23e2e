// Deterministic parts of the pipeline against torchvision/PIL fixtures and hand-derived values:
// ToTensor+Normalize (bit-exact float32), erasing a fixed box, Cutout and GridMask at fixed draws, AutoAugment
// magnitudes (the recipe's worked examples), and the study's pipeline order from its preset names.
import { expandAugmentationString } from '@ablate/spec';
import { describe, expect, it } from 'vitest';
import { augmentFixtures, decodeF32, diff } from '../../test/augment-fixtures.js';
import { cutoutAbsAt, cutoutAt, effectiveMagnitude, eraseBox, gridMaskAt } from './index.js';
import { createNormalizer } from './pipeline.js';

describe('ToTensor + Normalize', () => {
  it('equals torchvision bit for bit on every fixture image', () => {
    for (const n of augmentFixtures.normalize) {
      const out = createNormalizer({ mean: n.mean, std: n.std })(augmentFixtures.images[n.image]!);
      expect(diff(out, decodeF32(n.data)), n.image).toEqual({ count: 0, max: 0 });
    }
  });
});

describe('erasing a fixed box', () => {
  it('equals torchvision F.erase with the literal channel means', () => {
    for (const n of augmentFixtures.normalize) {
      const img = augmentFixtures.images[n.image]!;
      const t = { ...img, data: createNormalizer({ mean: n.mean, std: n.std })(img) };
      const { i, j, h, w } = n.erased;
      const out = eraseBox(t, i, j, h, w, (k) => Math.fround(n.mean[k]!));
      expect(diff(out.data, decodeF32(n.erased.data)), n.image).toEqual({ count: 0, max: 0 });
    }
  });
});

describe('Cutout (DeVries & Taylor) at a fixed centre', () => {
  it('zeroes rows cy-8..cy+7 and columns cx-8..cx+7, clipped', () => {
    const img = { data: new Float32Array(10 * 10).fill(1), height: 10, width: 10, channels: 1 };
    // size 4 at (1, 8): rows clip(1-2)=0 .. clip(1+2)=3 (exclusive), cols 6 .. 10.
    const out = cutoutAt(img, 1, 8, 4);
    const zeros = [...out.data.keys()].filter((k) => out.data[k] === 0).map((k) => [Math.floor(k / 10), k % 10]);
    expect(zeros).toEqual([0, 1, 2].flatMap((y) => [6, 7, 8, 9].map((x) => [y, x])));
  });
});

describe('AutoAugment CutoutAbs at a fixed centre', () => {
  it('draws an inclusive (v+1)-pixel box of (125,123,114), clipped at the image', () => {
    const img = augmentFixtures.images['flat']!;
    // v = 8, centre (10.7, 3.2): x0 = int(6.7) = 6, y0 = int(max(0, -0.8)) = 0, x1 = 14, y1 = 8.
    const out = cutoutAbsAt(img, 8, 10.7, 3.2);
    const px = (x: number, y: number) => Array.from(out.data.subarray((y * 32 + x) * 3, (y * 32 + x) * 3 + 3));
    expect(px(6, 0)).toEqual([125, 123, 114]);
    expect(px(14, 8)).toEqual([125, 123, 114]);
    expect(px(15, 8)).toEqual([77, 130, 201]);
    expect(px(14, 9)).toEqual([77, 130, 201]);
    expect(px(5, 0)).toEqual([77, 130, 201]);
  });
});

describe('GridMask at fixed draws', () => {
  it('drops (d-l)² of every d² block in mode 1 (l = ceil(d·ratio))', () => {
    // d = 10, ratio 0.6 → l = 6: squares of 4×4 dropped per 10×10 period; 40×40 image with offsets 0: 16 squares.
    const mask = gridMaskAt(40, 40, { ratio: 0.6, mode: 1 }, 10, 0, 0, 0);
    const dropped = mask.reduce((n, v) => n + (v ? 0 : 1), 0);
    expect(dropped).toBe(16 * 16);
    const inverse = gridMaskAt(40, 40, { ratio: 0.6, mode: 0 }, 10, 0, 0, 0);
    expect(inverse.every((v, i) => v === 1 - mask[i]!)).toBe(true);
  });
});

describe('AutoAugment magnitudes', () => {
  it("match the recipe's worked examples (seed-recipe §2.2, Appendix A)", () => {
    const m = (name: string, level: number) => +effectiveMagnitude(name, level).toPrecision(12);
    expect(m('Rotate', 2)).toBe(6);
    expect(m('ShearY', 8)).toBe(0.24);
    expect(m('TranslateYAbs', 9)).toBe(9);
    expect(m('Solarize', 5)).toBe(128);
    expect(m('Posterize2', 7)).toBe(2);
    expect(m('Contrast', 6)).toBe(1.18);
    expect(m('Color', 9)).toBe(1.72);
    expect(m('CutoutAbs', 4)).toBe(8);
    expect(m('Sharpness', 0)).toBe(0.1);
  });
});

describe('preset names', () => {
  it("compose into the study's order whatever order they are written in", () => {
    const names = (s: string) => expandAugmentationString(s).map((o) => (o as { name: string }).name);
    expect(names('baseline')).toEqual(['random_crop', 'hflip', 'random_rotation']);
    expect(names('baseline+erase')).toEqual(['random_crop', 'hflip', 'random_rotation', 'random_erasing']);
    expect(names('baseline+erase+autoaugment')).toEqual(['autoaugment', 'random_crop', 'hflip', 'random_rotation', 'random_erasing']);
    expect(names('cutmix+autoaugment+hflip')).toEqual(['autoaugment', 'hflip', 'cutmix']);
  });
});
