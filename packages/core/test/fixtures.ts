// Loads the PyTorch golden fixtures (made by scripts/fixtures/make_fixtures.py) and converts layouts.
import { readFileSync } from 'node:fs';
import { tf } from '../src/tf.js';

export function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as T;
}

type Nested = number | Nested[];

/** A PyTorch tensor (nested lists) as a tfjs tensor in our layout: NCHW→NHWC, OIHW→HWIO, Linear [out,in]→[in,out]. */
export function fromTorch(value: Nested, kind: 'nchw' | 'conv' | 'linear' | 'plain'): tf.Tensor {
  const t = tf.tensor(value as number[]);
  const perm = { nchw: [0, 2, 3, 1], conv: [2, 3, 1, 0], linear: [1, 0], plain: null }[kind];
  if (!perm) return t;
  const out = tf.transpose(t, perm);
  t.dispose();
  return out;
}

/** Largest |a-b| relative to the largest |b| (so near-zero entries don't dominate). */
export function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / Math.max(scale, 1e-12);
}
