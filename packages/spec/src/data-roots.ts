// Where an image_folder dataset may read: inside ABLATE_DATA_DIR (a relative path is taken from there) or a folder of
// ABLATE_DATA_ROOTS (colon-separated absolute paths). The API checks at submission and the worker again before reading;
// every refusal is the same message, which says nothing about the server's disk.
import { realpath } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import { MAX_DATA_PATH_LENGTH } from './catalog/datasets.js';

export interface DataRoots {
  /** ABLATE_DATA_DIR: datasets are read from and downloaded to it; relative image_folder paths start there. */
  dataDir: string;
  /** Every folder a path may resolve into: dataDir first, then ABLATE_DATA_ROOTS. */
  roots: string[];
}

/** The one answer to a path outside the roots, missing, or a symlink out of them. */
export const DATA_PATH_REFUSED =
  'image_folder.path must name a folder inside the data roots: a path relative to ABLATE_DATA_DIR, or one under a folder of ABLATE_DATA_ROOTS';

export const defaultDataDir = () => join(homedir(), '.cache', 'ablate', 'datasets');

/** Colon-separated absolute folders; empty entries are skipped. Throws naming a relative one. */
export function parseDataRoots(value: string | undefined): string[] {
  const roots = (value ?? '').split(':').filter((r) => r.trim() !== '');
  for (const r of roots) if (!isAbsolute(r)) throw new Error(`ABLATE_DATA_ROOTS: '${r}' is not an absolute path`);
  return roots.map((r) => resolve(r));
}

export function dataRootsFromEnv(env: NodeJS.ProcessEnv = process.env): DataRoots {
  const dataDir = resolve(env.ABLATE_DATA_DIR || defaultDataDir());
  return { dataDir, roots: [dataDir, ...parseDataRoots(env.ABLATE_DATA_ROOTS)] };
}

/** Whether `p` is `root` or below it (both absolute and normalised). */
function inside(root: string, p: string): boolean {
  const rel = relative(root, p);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** The absolute path `path` names when it lies lexically inside a root (after `..` is applied), without touching the disk. */
export function lexicalDataPath(path: string, d: DataRoots): string | undefined {
  if (!path || path.length > MAX_DATA_PATH_LENGTH || path.includes('\0')) return undefined;
  const abs = resolve(d.dataDir, path);
  return d.roots.some((r) => inside(r, abs)) ? abs : undefined;
}

/**
 * Resolves `path` against the roots: lexically inside one, and, where it exists, its real path (symlinks followed)
 * inside the real path of one. Returns the real path, `'missing'` when it lies inside but does not exist here (the API
 * accepts that: the data may live on the workers' machines only), or undefined when it is refused.
 */
export async function resolveDataPath(path: string, d: DataRoots): Promise<string | 'missing' | undefined> {
  const abs = lexicalDataPath(path, d);
  if (!abs) return undefined;
  // The deepest part of the path that exists: a symlink out of the roots is refused even when its target lacks the rest.
  let probe = abs;
  let real: string | undefined;
  while (real === undefined) {
    real = await realpath(probe).catch(() => undefined);
    if (real === undefined) {
      if (dirname(probe) === probe) return 'missing';
      probe = dirname(probe);
    }
  }
  for (const r of d.roots) {
    const realRoot = await realpath(r).catch(() => undefined);
    if (realRoot && inside(realRoot, real)) return probe === abs ? real : 'missing';
  }
  // Above every root (the roots do not exist on this machine): nothing here to follow.
  return d.roots.some((r) => inside(r, probe)) ? undefined : 'missing';
}

/** The variables that say where datasets may be read: one schema for the API's and the worker's environments. */
export const DataRootsEnv = z.object({
  /** Datasets folder; an image_folder path relative to it starts there (default ~/.cache/ablate/datasets). */
  ABLATE_DATA_DIR: z
    .string()
    .refine((p) => isAbsolute(p), 'must be an absolute path')
    .optional(),
  /** More folders (absolute, colon-separated) an image_folder path may point into; anything else is refused (DATASET_ERR_PATH). */
  ABLATE_DATA_ROOTS: z
    .string()
    .refine((v) => v.split(':').every((p) => p.trim() === '' || isAbsolute(p)), 'must be absolute paths separated by ":"')
    .optional(),
});
