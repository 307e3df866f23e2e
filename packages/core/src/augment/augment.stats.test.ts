// Statistical tests of the random parts with fixed seeds: flip rate, crop offsets, erasing rate, area and aspect
// distributions (Zhong's linear vs torchvision's log-uniform aspect), AutoAugment sub-policy and op frequencies,
// and the mixing coefficients of MixUp/CutMix.
import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { autoAugment, CIFAR10_FULL, createAugmentation, DEFAULT_AUGMENT_CONTEXT, type AugmentOp, type BatchOp, type BatchTensor } from './index.js';

const f32 = Math.fround;

describe('hflip', () => {
  it('flips with probability p (10,000 draws within 2%)', () => {
    const op = createAugmentation({ name: 'hflip', p: 0.5 }) as AugmentOp;
    const rng = new Rng(1);
    const img = { data: new Uint8Array([1, 2]), height: 1, width: 2, channels: 1 };
    let flipped = 0;
    for (let i = 0; i < 10_000; i++) flipped += op.apply(img, rng).data[0] === 2 ? 1 : 0;
    expect(Math.abs(flipped / 10_000 - 0.5)).toBeLessThan(0.02);
    expect((createAugmentation({ name: 'hflip', p: 0 }) as AugmentOp).apply(img, rng).data).toEqual(img.data);
  });
});

describe('random_crop', () => {
  it('draws offsets uniformly from 0..2p inclusive, like randint', () => {
    const op = createAugmentation({ name: 'random_crop', padding: 1 }) as AugmentOp;
    const rng = new Rng(11);
    const img = { data: new Uint8Array([1]), height: 1, width: 1, channels: 1 };
    // A 1x1 image padded by 1 survives only when both offsets are 1: probability 1/9.
    let kept = 0;
    for (let i = 0; i < 9000; i++) kept += op.apply(img, rng).data[0]!;
    expect(Math.abs(kept / 9000 - 1 / 9)).toBeLessThan(0.015);
  });
});

function erasingSamples(options: Record<string, unknown>, n: number) {
  const op = createAugmentation({ name: 'random_erasing', ...options }) as AugmentOp;
  const rng = new Rng(7);
  const img = { data: new Float32Array(32 * 32 * 3).fill(9), height: 32, width: 32, channels: 3 };
  const boxes: { area: number; aspect: number; values: number[] }[] = [];
  for (let s = 0; s < n; s++) {
    const out = op.apply(img, rng).data;
    let y0 = 32,
      y1 = -1,
      x0 = 32,
      x1 = -1;
    for (let p = 0; p < 32 * 32; p++) {
      if (out[p * 3] === 9) continue;
      const y = Math.floor(p / 32),
        x = p % 32;
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
    }
    if (y1 < 0) continue;
    const p = (y0 * 32 + x0) * 3;
    boxes.push({ area: ((y1 - y0 + 1) * (x1 - x0 + 1)) / 1024, aspect: (y1 - y0 + 1) / (x1 - x0 + 1), values: [out[p]!, out[p + 1]!, out[p + 2]!] });
  }
  return boxes;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe('random_erasing', () => {
  it('zhong (the study): erases half the images, 0.02-0.4 of the area, linear aspect, with the literal means', () => {
    const boxes = erasingSamples({}, 10_000);
    expect(Math.abs(boxes.length / 10_000 - 0.5)).toBeLessThan(0.02);
    for (const b of boxes) {
      // h and w are rounded, so the area can leave [0.02, 0.4] by a rounding step.
      expect(b.area).toBeGreaterThanOrEqual(0.012);
      expect(b.area).toBeLessThanOrEqual(0.45);
      expect(b.aspect).toBeGreaterThan(0.2);
      expect(b.aspect).toBeLessThan(4.5);
      expect(b.values).toEqual(DEFAULT_AUGMENT_CONTEXT.mean.map(f32));
    }
    expect(boxes.filter((b) => b.area > 0.3).length / boxes.length).toBeGreaterThan(0.05);
    // Aspect uniform on [0.3, 3.33] before rejection: most boxes are taller than wide.
    expect(median(boxes.map((b) => b.aspect))).toBeGreaterThan(1.25);
  });

  it('torchvision: value 0, area up to 0.33, log-uniform aspect centred on 1', () => {
    const boxes = erasingSamples({ variant: 'torchvision' }, 10_000);
    expect(Math.abs(boxes.length / 10_000 - 0.5)).toBeLessThan(0.02);
    for (const b of boxes) {
      expect(b.area).toBeLessThanOrEqual(0.37);
      expect(b.values).toEqual([0, 0, 0]);
    }
    expect(Math.abs(median(boxes.map((b) => b.aspect)) - 1)).toBeLessThan(0.15);
  });

  it('never erases with p=0 and always with p=1', () => {
    expect(erasingSamples({ p: 0 }, 500)).toHaveLength(0);
    expect(erasingSamples({ p: 1 }, 500)).toHaveLength(500);
  });
});

describe('autoaugment', () => {
  it('chooses each of the 95 sub-policies uniformly and fires each op with its probability', () => {
    const counts = new Array(95).fill(0);
    const fired = CIFAR10_FULL.map(() => [0, 0]);
    const op = autoAugment('cifar10', (k, f) => {
      counts[k]++;
      for (const [j, x] of f.entries()) fired[k]![j]! += x ? 1 : 0;
    });
    const rng = new Rng(5);
    const img = { data: Uint8Array.from({ length: 8 * 8 * 3 }, (_, i) => (i * 37) % 256), height: 8, width: 8, channels: 3 };
    const n = 95 * 300;
    for (let i = 0; i < n; i++) op.apply(img, rng);
    // χ² with 94 degrees of freedom: mean 94, sd 13.7; 150 is p ≈ 2e-4.
    const chi2 = counts.reduce((s, c) => s + (c - 300) ** 2 / 300, 0);
    expect(chi2).toBeLessThan(150);
    for (const [k, sub] of CIFAR10_FULL.entries()) {
      for (const [j, [, p]] of sub.entries()) {
        const rate = fired[k]![j]! / counts[k]!;
        const sd = Math.sqrt((p * (1 - p)) / counts[k]!);
        expect(Math.abs(rate - p), `sub-policy ${k} op ${j}`).toBeLessThanOrEqual(4.5 * sd + 1e-9);
      }
    }
  });
});

function onesBatch(n = 8): BatchTensor {
  return { x: new Float32Array(n * 4 * 4).fill(1), y: Int32Array.from({ length: n }, (_, i) => i), size: n, height: 4, width: 4, channels: 1 };
}

describe('mixup and cutmix', () => {
  it('mixup draws λ ~ Beta(α, α) (α=1: uniform, mean 1/2, variance 1/12; α=0.2: variance 0.179)', () => {
    for (const [alpha, variance] of [
      [1, 1 / 12],
      [0.2, 0.04 / (0.16 * 1.4)],
    ] as const) {
      const op = createAugmentation({ name: 'mixup', alpha }) as BatchOp;
      const rng = new Rng(2);
      const lams: number[] = [];
      for (let i = 0; i < 20_000; i++) {
        const b = onesBatch(2);
        op.apply(b, rng);
        lams.push(b.mix!.lam);
      }
      const m = lams.reduce((a, b) => a + b, 0) / lams.length;
      const v = lams.reduce((a, b) => a + (b - m) ** 2, 0) / lams.length;
      expect(Math.abs(m - 0.5)).toBeLessThan(0.01);
      expect(Math.abs(v - variance)).toBeLessThan(0.01);
    }
  });

  it('mixup mixes each image with its partner by λ', () => {
    const b = onesBatch(4);
    for (let i = 0; i < b.x.length; i++) b.x[i] = Math.floor(i / 16);
    (createAugmentation({ name: 'mixup' }) as BatchOp).apply(b, new Rng(9));
    const { lam, y2 } = b.mix!;
    for (let i = 0; i < 4; i++) expect(b.x[i * 16]).toBeCloseTo(lam * i + (1 - lam) * y2[i]!, 5);
  });

  it('cutmix fires with probability p and sets λ to the kept area', () => {
    const op = createAugmentation({ name: 'cutmix', p: 0.5 }) as BatchOp;
    const rng = new Rng(4);
    let mixed = 0;
    for (let i = 0; i < 4000; i++) {
      const b = onesBatch(4);
      for (let k = 0; k < b.x.length; k++) b.x[k] = Math.floor(k / 16);
      op.apply(b, rng);
      if (!b.mix) continue;
      mixed++;
      // The pasted box is where image 0 holds its partner's value.
      const foreign = b.mix.y2[0] === 0 ? 0 : Array.from(b.x.subarray(0, 16)).filter((v) => v !== 0).length;
      if (b.mix.y2[0] !== 0) expect(1 - foreign / 16).toBeCloseTo(b.mix.lam, 10);
    }
    expect(Math.abs(mixed / 4000 - 0.5)).toBeLessThan(0.03);
  });
});
