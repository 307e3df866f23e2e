// Canonical JSON and config hashes: key order never changes a trial id.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { canonicalJson, configHash, groupKey, seededIds } from './hash.js';
import { SweepRequest } from './sweep-spec.js';

describe('canonical hashing', () => {
  it('sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1], c: null } })).toBe('{"a":{"c":null,"d":[3,1]},"b":1}');
    expect(configHash({ x: 1, y: [1, 2] })).toBe(configHash({ y: [1, 2], x: 1 }));
    expect(configHash({ y: [2, 1] })).not.toBe(configHash({ y: [1, 2] }));
  });

  it('ignores undefined members, as JSON storage would', () => {
    expect(configHash({ a: 1, b: undefined })).toBe(configHash({ a: 1 }));
  });

  it('gives 32 hex chars, and a group key independent of the seed', () => {
    expect(configHash({ a: 1 })).toMatch(/^[0-9a-f]{32}$/);
    expect(groupKey({ seed: 1, lr: 0.1 })).toBe(groupKey({ seed: 2, lr: 0.1 }));
    expect(groupKey({ seed: 1, lr: 0.1 })).not.toBe(groupKey({ seed: 1, lr: 0.2 }));
  });
});

/** The reference: a sorted copy through JSON.stringify (the implementation trial ids were first computed with). */
function reference(v: unknown): string {
  const sort = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(sort);
    if (x && typeof x === 'object') {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(x).sort()) if ((x as Record<string, unknown>)[k] !== undefined) out[k] = sort((x as Record<string, unknown>)[k]);
      return out;
    }
    return x;
  };
  return JSON.stringify(sort(v));
}

describe('canonicalJson is byte for byte the sorted copy through JSON.stringify', () => {
  it('seededIds gives configHash and groupKey of each seed, whatever the keys around "seed"', () => {
    for (const cfg of [{ a: 1 }, { z: 1 }, { a: 1, z: [2] }, {}, { seed: 9, s: 1, sf: 2, t: 3 }]) {
      const ids = seededIds(cfg, [0, 5, 2 ** 31 - 1]);
      expect(ids.groupKey).toBe(groupKey({ ...cfg, seed: 0 }));
      expect(ids.trialIds).toEqual([0, 5, 2 ** 31 - 1].map((seed) => configHash({ ...cfg, seed })));
    }
  });

  it('on edge values', () => {
    const odd = [
      { a: [1, undefined, () => 1, Symbol('s')], b: () => 1, c: Number.NaN, d: -0, e: 1e21, f: 'é"\\\n\u2028', g: [], h: {} },
      [null, true, false, 0.1 + 0.2, { z: { y: { x: [{ b: 2, a: 1 }] } } }],
    ];
    for (const v of odd) expect(canonicalJson(v)).toBe(reference(v));
  });

  it('on every cell of every spec in sweeps/, and the ids of stored trials do not change', () => {
    const root = fileURLToPath(new URL('../../../../sweeps', import.meta.url));
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
        d.isDirectory() ? files(join(dir, d.name)) : d.name.endsWith('.json') ? [join(dir, d.name)] : [],
      );
    let cells = 0;
    for (const f of files(root)) {
      for (const c of SweepRequest.parse(JSON.parse(readFileSync(f, 'utf8'))).cells) {
        expect(canonicalJson(c.config)).toBe(reference(c.config));
        // The planner's ids (seededIds) are the plain hashes of the seeded config and of it without the seed.
        expect(c.trialId).toBe(configHash(c.config));
        expect(c.groupKey).toBe(groupKey(c.config));
        cells++;
      }
    }
    expect(cells).toBeGreaterThan(100);
    // Pinned: the first and last trial of the study's main path, as ids were computed before canonicalJson was rewritten.
    const main = SweepRequest.parse(JSON.parse(readFileSync(join(root, 'study/main-path.json'), 'utf8'))).cells;
    expect([main[0]!.trialId, main.at(-1)!.trialId]).toEqual(['c3efed64dbf444198f083443d1b445eb', '3ffb17caeef6d2d34104a3cda94bb5dd']);
  });
});
