// Canonical JSON and content hashes: a trial's id is the hash of its resolved config, so equal configs are one trial.
import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level; arrays keep their order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = sortKeys(x);
    }
    return out;
  }
  return v;
}

export function sha256Hex(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

/** Trial id: sha256 of the canonical resolved config (seed included), truncated to 32 hex chars. */
export function configHash(config: object): string {
  return sha256Hex(canonicalJson(config)).slice(0, 32);
}

/** Replicate group: the same hash with the seed removed, so seeds of one configuration share it. */
export function groupKey(config: { seed: number } & Record<string, unknown>): string {
  const { seed: _seed, ...rest } = config;
  return configHash(rest);
}

/**
 * The trial ids of one configuration at several seeds, and its group key, serializing the configuration once: the
 * canonical JSON of a seeded config is the seedless one with `"seed":N` among its sorted top-level keys. Equal, byte for
 * byte, to configHash({...config, seed}) and groupKey (a test checks it on every spec in sweeps/).
 */
export function seededIds(config: Record<string, unknown>, seeds: readonly number[]): { groupKey: string; trialIds: string[] } {
  const keys = Object.keys(config)
    .filter((k) => k !== 'seed' && config[k] !== undefined)
    .sort();
  const parts = keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(config[k])}`);
  const at = keys.findIndex((k) => k > 'seed');
  const before = parts.slice(0, at === -1 ? parts.length : at);
  const after = at === -1 ? [] : parts.slice(at);
  return {
    groupKey: sha256Hex(`{${parts.join(',')}}`).slice(0, 32),
    trialIds: seeds.map((seed) => sha256Hex(`{${[...before, `"seed":${JSON.stringify(seed)}`, ...after].join(',')}}`).slice(0, 32)),
  };
}
