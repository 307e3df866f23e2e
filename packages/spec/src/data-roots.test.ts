// The data-root policy: paths resolve inside ABLATE_DATA_DIR or ABLATE_DATA_ROOTS (lexically, then with symlinks
// followed), missing paths inside are left to the worker, and every other path is refused the same way.
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataRootsFromEnv, lexicalDataPath, parseDataRoots, resolveDataPath } from './data-roots.js';

describe('data roots', () => {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'ablate-data-roots-')));
  const data = join(root, 'data');
  const extra = join(root, 'extra');
  mkdirSync(join(data, 'cats'), { recursive: true });
  mkdirSync(join(extra, 'dogs'), { recursive: true });
  mkdirSync(join(root, 'outside'), { recursive: true });
  symlinkSync(join(root, 'outside'), join(data, 'out'));
  symlinkSync(join(extra, 'dogs'), join(data, 'in'));
  // A root that is itself a symlink: paths through it compare by their real paths.
  symlinkSync(extra, join(root, 'extra-link'));
  const roots = { dataDir: data, roots: [data, join(root, 'extra-link')] };

  it('reads ABLATE_DATA_DIR (with its default) and the colon-separated ABLATE_DATA_ROOTS, refusing relative roots', () => {
    expect(dataRootsFromEnv({ ABLATE_DATA_DIR: '/d', ABLATE_DATA_ROOTS: '/a::/b/' })).toEqual({ dataDir: '/d', roots: ['/d', '/a', '/b'] });
    expect(dataRootsFromEnv({}).dataDir).toMatch(/\.cache\/ablate\/datasets$/);
    expect(() => parseDataRoots('/a:rel')).toThrow("'rel' is not an absolute path");
  });

  it('keeps lexical containment without touching the disk', () => {
    expect(lexicalDataPath('cats', roots)).toBe(join(data, 'cats'));
    expect(lexicalDataPath('cats/../cats', roots)).toBe(join(data, 'cats'));
    for (const p of ['..', '../outside', '/etc', 'cats/../../outside', '', 'a\u0000b', 'x'.repeat(2000)])
      expect(lexicalDataPath(p, roots), p).toBeUndefined();
  });

  it('follows symlinks: in stays in, out is refused; a missing path inside is left to the worker', async () => {
    expect(await resolveDataPath('cats', roots)).toBe(join(data, 'cats'));
    expect(await resolveDataPath('in', roots)).toBe(join(extra, 'dogs'));
    expect(await resolveDataPath(join(root, 'extra-link', 'dogs'), roots)).toBe(join(extra, 'dogs'));
    expect(await resolveDataPath('not-yet', roots)).toBe('missing');
    for (const p of ['out', 'out/deeper/missing', join(root, 'outside'), '../outside', '/proc/self'])
      expect(await resolveDataPath(p, roots), p).toBeUndefined();
  });

  it('leaves paths alone when the roots do not exist on this machine (the API host may hold no data)', async () => {
    const absent = { dataDir: join(root, 'nowhere'), roots: [join(root, 'nowhere')] };
    expect(await resolveDataPath('cats', absent)).toBe('missing');
    expect(await resolveDataPath('../data/cats', absent)).toBeUndefined();
  });
});
