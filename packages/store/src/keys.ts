// Key and prefix validation shared by every store, so a key means the same file or object everywhere and can never
// name anything outside the store's root.
import { StoreKeyError } from './errors.js';

/** S3's limit on the length of an object key, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;

/** Suffix of the temp files DirStore writes before renaming; list skips them and no key segment may end with it. */
export const TEMP_SUFFIX = '.ablate-tmp';

/** Throws StoreKeyError unless `key` is a valid object key: e.g. `trials/<id>/checkpoints/a2-e00003-b0000000.ckpt`. */
export function checkKey(key: string): string {
  return check(key, 'key');
}

/**
 * Throws StoreKeyError unless `prefix` is a valid key prefix. A prefix matches keys that start with it as a string
 * ('trials/ab' matches 'trials/abc/x'); it may end with '/'. The empty prefix (every key) is allowed only when `allowEmpty`.
 */
export function checkPrefix(prefix: string, allowEmpty = false): string {
  if (prefix === '' && allowEmpty) return prefix;
  return check(prefix, 'prefix');
}

function check(key: string, what: 'key' | 'prefix'): string {
  if (typeof key !== 'string') throw new StoreKeyError(String(key), `a ${what} must be a string`);
  if (key === '') throw new StoreKeyError(key, `a ${what} must not be empty`);
  if (key.startsWith('/')) throw new StoreKeyError(key, `a ${what} is relative: no leading '/'`);
  if (key.includes('\\')) throw new StoreKeyError(key, `use '/' to separate segments, not '\\'`);
  if (key.includes('\0')) throw new StoreKeyError(key, 'contains a NUL character');
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) throw new StoreKeyError(key, `longer than ${MAX_KEY_BYTES} bytes`);
  const segments = key.split('/');
  // A prefix may end with '/' (everything inside a "folder"); a key names a file, so it may not.
  if (what === 'prefix' && key.endsWith('/')) segments.pop();
  for (const s of segments) {
    if (s === '') throw new StoreKeyError(key, `empty segment ('//'${what === 'key' ? " or a trailing '/'" : ''})`);
    if (s === '.' || s === '..') throw new StoreKeyError(key, `'${s}' segments are not allowed`);
    if (s.endsWith(TEMP_SUFFIX)) throw new StoreKeyError(key, `segments ending in '${TEMP_SUFFIX}' are reserved for temp files`);
  }
  return key;
}

/** Sorts keys by UTF-16 code units, the same order in every store. */
export function sortKeys(keys: string[]): string[] {
  return keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
