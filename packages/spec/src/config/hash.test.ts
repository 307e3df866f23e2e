// Canonical JSON and config hashes: key order never changes a trial id.
import { describe, expect, it } from 'vitest';
import { canonicalJson, configHash, groupKey } from './hash.js';

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
