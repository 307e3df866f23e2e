// The seeded generator: repeatable, independent streams, correct distributions.
import { describe, expect, it } from 'vitest';
import { Rng } from './rng.js';

describe('Rng', () => {
  it('repeats for a seed and stream, and differs across seeds and streams', () => {
    const a = Array.from(
      { length: 5 },
      (
        (r) => () =>
          r.nextU32()
      )(new Rng(1)),
    );
    const b = Array.from(
      { length: 5 },
      (
        (r) => () =>
          r.nextU32()
      )(new Rng(1)),
    );
    expect(a).toEqual(b);
    expect(new Rng(2).nextU32()).not.toBe(a[0]);
    expect(new Rng(1).fork('x').nextU32()).not.toBe(new Rng(1).fork('y').nextU32());
    expect(new Rng(1).fork('x').nextU32()).toBe(new Rng(1).fork('x').nextU32());
  });

  it('draws uniform [0,1), inclusive integers and standard normals with the right moments', () => {
    const r = new Rng(123);
    const n = 50_000;
    let s = 0;
    let s2 = 0;
    let min = 1;
    let max = 0;
    const ints = new Set<number>();
    for (let i = 0; i < n; i++) {
      const u = r.random();
      min = Math.min(min, u);
      max = Math.max(max, u);
      ints.add(r.int(0, 4));
      const z = r.normal();
      s += z;
      s2 += z * z;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect([...ints].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(Math.abs(s / n)).toBeLessThan(0.02);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.03);
  });

  it('permutes', () => {
    const p = new Rng(4).permutation(100);
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(Array.from(p)).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
});
