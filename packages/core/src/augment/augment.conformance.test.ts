// Every registered augmentation, built by name with its defaults: keeps the image (or batch) shape, produces the
// declared pixel type, repeats exactly for a seed, and never writes into its input (compared with a copy taken before
// it ran). A newly registered op is tested here without more code.
import { describe, expect, it } from 'vitest';
import { augmentFixtures } from '../../test/augment-fixtures.js';
import { Rng } from '../rng.js';
import { createNormalizer } from './pipeline.js';
import {
  createAugmentation,
  DEFAULT_AUGMENT_CONTEXT,
  listAugmentations,
  type AugmentOp,
  type BatchOp,
  type BatchTensor,
  type Image,
  type Pixels,
} from './index.js';

const img = augmentFixtures.images['fmnist-a']!;
const normalized: Image<Float32Array> = { ...img, data: createNormalizer(DEFAULT_AUGMENT_CONTEXT)(img) };

function batch(): BatchTensor {
  const n = 6;
  const x = new Float32Array(n * 32 * 32 * 3);
  for (let i = 0; i < n; i++)
    x.set(
      normalized.data.map((v) => v + i),
      i * 32 * 32 * 3,
    );
  return { x, y: Int32Array.from({ length: n }, (_, i) => i), size: n, height: 32, width: 32, channels: 3 };
}

describe.each(listAugmentations())('augmentation %s', (name) => {
  const op = createAugmentation({ name });

  it('keeps the shape, gives its declared pixel type, and repeats for a seed', () => {
    if (op.stage === 'batch') {
      const a = batch();
      const b = batch();
      // p=1 so the op surely fires.
      const forced = createAugmentation({ name, p: 1 }) as BatchOp;
      forced.apply(a, new Rng(3));
      forced.apply(b, new Rng(3));
      expect(a.x.length).toBe(6 * 32 * 32 * 3);
      expect(a.x).toEqual(b.x);
      expect(a.mix).toBeDefined();
      expect(a.mix!.lam).toBeGreaterThanOrEqual(0);
      expect(a.mix!.lam).toBeLessThanOrEqual(1);
      expect([...a.mix!.y2].sort()).toEqual([0, 1, 2, 3, 4, 5]);
      return;
    }
    const input: Image<Pixels> = op.stage === 'uint8' ? img : normalized;
    const a = (op as AugmentOp).apply(input, new Rng(5));
    const b = (op as AugmentOp).apply(input, new Rng(5));
    expect([a.height, a.width, a.channels]).toEqual([32, 32, 3]);
    expect(a.data.length).toBe(32 * 32 * 3);
    const expectedType = op.stage === 'float' || (op as AugmentOp).output === 'float' ? Float32Array : Uint8Array;
    expect(a.data).toBeInstanceOf(expectedType);
    expect(a.data).toEqual(b.data);
  });

  it('never modifies its input in place (per-image ops: the pixels; batch ops: the labels)', () => {
    let fired = false;
    for (let s = 0; s < 20; s++) {
      if (op.stage === 'batch') {
        // Mixing x in place is the batch ops' contract; y must stay the batch's own labels, y2 a new array.
        const b = batch();
        const labels = b.y.slice();
        (createAugmentation({ name, p: 1 }) as BatchOp).apply(b, new Rng(s));
        expect(b.y, `seed ${s}: labels`).toEqual(labels);
        expect(b.mix!.y2.buffer, `seed ${s}: y2 shares y's memory`).not.toBe(b.y.buffer);
        fired ||= b.mix!.y2.some((v, i) => v !== labels[i]);
        continue;
      }
      // Every pixel type the op accepts: uint8, and float (normalised, or on the 0-255 scale for 'any'-input ops).
      const inputs: Image<Pixels>[] =
        op.stage === 'float' ? [normalized] : op.input === 'any' ? [img, { ...img, data: Float32Array.from(img.data) }] : [img];
      for (const original of inputs) {
        const input = { ...original, data: original.data.slice() };
        const before = { ...original, data: original.data.slice() };
        const out = (op as AugmentOp).apply(input, new Rng(s));
        const what = `seed ${s}: ${input.data.constructor.name} input`;
        expect([input.height, input.width, input.channels, input.data.length], what).toEqual([
          before.height,
          before.width,
          before.channels,
          before.data.length,
        ]);
        expect(
          input.data.findIndex((v, i) => !Object.is(v, before.data[i])),
          `${what}: first pixel written`,
        ).toBe(-1);
        fired ||= out.data.some((v, i) => v !== before.data[i]);
      }
    }
    // A check on an op that never fired would prove nothing.
    expect(fired, 'no seed changed an image (batch ops: permuted the labels), so nothing was checked').toBe(true);
  });

  it('changes some image over a few seeds', () => {
    let changed = false;
    for (let s = 0; s < 20 && !changed; s++) {
      if (op.stage === 'batch') {
        const b = batch();
        (createAugmentation({ name, p: 1 }) as BatchOp).apply(b, new Rng(s));
        changed = b.x.some((v, i) => v !== batch().x[i]);
      } else {
        const input: Image<Pixels> = op.stage === 'uint8' ? img : normalized;
        const out = (op as AugmentOp).apply(input, new Rng(s));
        changed = out.data.some((v, i) => v !== input.data[i]);
      }
    }
    expect(changed).toBe(true);
  });
});
