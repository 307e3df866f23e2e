// Loads the Pillow/torchvision fixtures (scripts/fixtures/make_augment_fixtures.py) as images.
import type { Image } from '../src/augment/image.js';
import { fixture } from './fixtures.js';

interface Raw {
  h: number;
  w: number;
  data: string;
}
interface Fx {
  images: Record<string, Raw>;
  cases: ({ op: string; params: Record<string, unknown>; image: string } & Raw)[];
  normalize: { image: string; mean: number[]; std: number[]; data: string; erased: { i: number; j: number; h: number; w: number; data: string } }[];
}

const fx = fixture<Fx>('augment.json');

export function decodeU8(r: Raw): Image<Uint8Array> {
  const data = new Uint8Array(Buffer.from(r.data, 'base64'));
  return { data, height: r.h, width: r.w, channels: data.length / (r.h * r.w) };
}

export function decodeF32(b64: string): Float32Array {
  const buf = Buffer.from(b64, 'base64');
  return new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4).slice();
}

export const augmentFixtures = {
  images: Object.fromEntries(Object.entries(fx.images).map(([k, v]) => [k, decodeU8(v)])) as Record<string, Image<Uint8Array>>,
  cases: fx.cases.map((c) => ({ op: c.op, params: c.params, image: c.image, expected: decodeU8(c) })),
  normalize: fx.normalize,
};

/** Number of differing values and the largest absolute difference. */
export function diff(a: ArrayLike<number>, b: ArrayLike<number>): { count: number; max: number } {
  let count = 0;
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (d) count++;
    max = Math.max(max, d);
  }
  return { count, max };
}
