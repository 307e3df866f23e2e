// Every registered augmentation keeps shape and dtype; crop and flip match torchvision's semantics and rates.
import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { createAugmentation, createPipeline, cropPadded, flipHorizontal, listAugmentations, type Image } from './index.js';

function ramp(h: number, w: number, c: number): Image {
  return { data: Uint8Array.from({ length: h * w * c }, (_, i) => (i * 7) % 251), height: h, width: w, channels: c };
}
const px = (img: Image, y: number, x: number) => Array.from(img.data.subarray((y * img.width + x) * img.channels, (y * img.width + x + 1) * img.channels));

describe.each(listAugmentations())('augmentation %s', (name) => {
  it('keeps shape and dtype, and is deterministic for a seed', () => {
    const op = createAugmentation({ name });
    const img = ramp(8, 6, 3);
    const a = op.apply(img, new Rng(5));
    const b = op.apply(img, new Rng(5));
    expect([a.height, a.width, a.channels]).toEqual([8, 6, 3]);
    expect(a.data).toBeInstanceOf(Uint8Array);
    expect(a.data).toEqual(b.data);
  });
});

describe('random_crop', () => {
  it('takes the window at the drawn offset from the zero-padded image', () => {
    const img = ramp(5, 4, 1);
    // offset (top 0, left 3) into the image padded by 2: row y reads source row y-2, column x reads x+1.
    const out = cropPadded(img, 2, 0, 3);
    expect(px(out, 0, 0)).toEqual([0]);
    expect(px(out, 2, 0)).toEqual(px(img, 0, 1));
    expect(px(out, 4, 2)).toEqual(px(img, 2, 3));
    expect(px(out, 4, 3)).toEqual([0]);
    expect(cropPadded(img, 2, 2, 2).data).toEqual(img.data);
  });

  it('draws offsets uniformly from 0..2p (inclusive) like randint', () => {
    const op = createAugmentation({ name: 'random_crop', padding: 1 });
    const rng = new Rng(11);
    const img = { data: new Uint8Array([1]), height: 1, width: 1, channels: 1 };
    // A 1x1 image padded by 1 survives only when both offsets are 1: probability 1/9.
    let kept = 0;
    for (let i = 0; i < 9000; i++) kept += op.apply(img, rng).data[0]!;
    expect(kept / 9000).toBeGreaterThan(1 / 9 - 0.015);
    expect(kept / 9000).toBeLessThan(1 / 9 + 0.015);
  });
});

describe('hflip', () => {
  it('mirrors columns', () => {
    const img = ramp(3, 4, 2);
    const out = flipHorizontal(img);
    expect(px(out, 1, 0)).toEqual(px(img, 1, 3));
    expect(flipHorizontal(out).data).toEqual(img.data);
  });

  it('flips with probability p (p=0.5: 10,000 draws within 2%)', () => {
    const op = createAugmentation({ name: 'hflip', p: 0.5 });
    const rng = new Rng(1);
    const img = { data: new Uint8Array([1, 2]), height: 1, width: 2, channels: 1 };
    let flipped = 0;
    for (let i = 0; i < 10_000; i++) flipped += op.apply(img, rng).data[0] === 2 ? 1 : 0;
    expect(Math.abs(flipped / 10_000 - 0.5)).toBeLessThan(0.02);
    expect(createAugmentation({ name: 'hflip', p: 0 }).apply(img, rng).data).toEqual(img.data);
  });
});

describe('pipeline', () => {
  it('normalises after the uint8 ops: (x/255 - mean)/std per channel', () => {
    const p = createPipeline([], { mean: [0.5, 0.25], std: [0.5, 0.25] });
    const out = new Float32Array(2);
    p.run({ data: new Uint8Array([255, 0]), height: 1, width: 1, channels: 2 }, new Rng(0), out, 0);
    expect(Array.from(out)).toEqual([1, -1]);
  });
});
