// A blob store in a directory: local disk, or a mount shared by every machine (NFS, SMB) for cross-machine resume.
// Key `a/b/c` is the file `<root>/a/b/c`; writes are atomic (temp file + rename in the same folder).
import type { Dirent } from 'node:fs';
import { open, readFile, readdir, rmdir, unlink } from 'node:fs/promises';
import type { createReadStream } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { BlobStore } from './blob-store.js';
import { StoreError, StoreUnavailableError } from './errors.js';
import { TEMP_SUFFIX, checkKey, checkPrefix, sortKeys } from './keys.js';
import { errnoCode, writeFileAtomic } from './local-file.js';

/** Errors a shared mount gives while its server is away; a retry may succeed. */
const TRANSIENT_FS_CODES = new Set(['EIO', 'ESTALE', 'ETIMEDOUT', 'EAGAIN', 'EBUSY', 'ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH']);
/** Reading a key that is missing, or that is a folder because longer keys live under it ('a' when 'a/b' exists). */
const MISSING_CODES = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);

/**
 * Limits: a key cannot be both a file and a folder ('a' and 'a/b' cannot both exist; the second put fails with StoreError),
 * which S3 allows. Folders emptied by deletePrefix are removed.
 */
export class DirStore implements BlobStore {
  readonly kind = 'dir' as const;
  readonly root: string;

  constructor(root: string) {
    if (!root) throw new StoreError('DirStore needs a root directory');
    this.root = resolve(root);
  }

  describe(): string {
    return `dir:${this.root}`;
  }

  async put(key: string, body: Uint8Array): Promise<void> {
    const path = this.pathOf(checkKey(key));
    await this.io('put', key, () => writeFileAtomic(path, body));
  }

  async putFile(key: string, path: string): Promise<void> {
    const dest = this.pathOf(checkKey(key));
    await this.io('putFile', key, async () => {
      // Open first so a missing source fails before a temp file exists.
      const src = (await open(path, 'r')).createReadStream();
      await writeFileAtomic(dest, src).finally(() => src.destroy());
    });
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    const path = this.pathOf(checkKey(key));
    return this.io('get', key, async () => {
      try {
        const buf = await readFile(path);
        return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
      } catch (err) {
        if (MISSING_CODES.has(errnoCode(err) ?? '')) return undefined;
        throw err;
      }
    });
  }

  async getFile(key: string, path: string): Promise<boolean> {
    const src = this.pathOf(checkKey(key));
    return this.io('getFile', key, async () => {
      let stream: ReturnType<typeof createReadStream>;
      try {
        const fh = await open(src, 'r');
        if (!(await fh.stat()).isFile()) {
          await fh.close();
          return false;
        }
        stream = fh.createReadStream();
      } catch (err) {
        if (MISSING_CODES.has(errnoCode(err) ?? '')) return false;
        throw err;
      }
      await writeFileAtomic(path, stream).finally(() => stream.destroy());
      return true;
    });
  }

  async list(prefix: string): Promise<string[]> {
    checkPrefix(prefix, true);
    // Start the walk at the deepest folder the prefix names; keys there still have to start with the whole prefix.
    const base = prefix.slice(0, prefix.lastIndexOf('/') + 1);
    const out: string[] = [];
    await this.io('list', prefix, () => this.walk(base, prefix, out));
    return sortKeys(out);
  }

  async deletePrefix(prefix: string): Promise<number> {
    checkPrefix(prefix);
    const keys = await this.list(prefix);
    return this.io('deletePrefix', prefix, async () => {
      let deleted = 0;
      const folders = new Set<string>();
      for (const key of keys) {
        try {
          await unlink(this.pathOf(key));
          deleted++;
        } catch (err) {
          if (errnoCode(err) !== 'ENOENT') throw err;
        }
        for (let d = dirname(key); d !== '.'; d = dirname(d)) folders.add(d);
      }
      // Deepest first, so a folder is empty by the time its parent is tried; the root itself is never removed.
      for (const d of [...folders].sort((a, b) => b.split('/').length - a.split('/').length)) {
        try {
          await rmdir(this.pathOf(d));
        } catch (err) {
          if (!['ENOTEMPTY', 'EEXIST', 'ENOENT'].includes(errnoCode(err) ?? '')) throw err;
        }
      }
      return deleted;
    });
  }

  async close(): Promise<void> {}

  /** The file for a validated key (validation rules out '..', so it stays under root). */
  private pathOf(key: string): string {
    return join(this.root, ...key.split('/'));
  }

  private async walk(rel: string, prefix: string, out: string[]): Promise<void> {
    let entries: Dirent[];
    try {
      entries = await readdir(rel ? this.pathOf(rel.slice(0, -1)) : this.root, { withFileTypes: true });
    } catch (err) {
      if (errnoCode(err) === 'ENOENT' || errnoCode(err) === 'ENOTDIR') return;
      throw err;
    }
    for (const e of entries) {
      const key = rel + e.name;
      if (e.isDirectory()) {
        const folder = `${key}/`;
        if (folder.startsWith(prefix) || prefix.startsWith(folder)) await this.walk(folder, prefix, out);
      } else if (e.isFile() && !e.name.endsWith(TEMP_SUFFIX) && key.startsWith(prefix)) {
        out.push(key);
      }
    }
  }

  /** Runs one filesystem operation, turning its failures into store errors. */
  private async io<T>(op: string, key: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof StoreError) throw err;
      const msg = `${this.describe()}: ${op} '${key}' failed: ${(err as Error).message}`;
      if (TRANSIENT_FS_CODES.has(errnoCode(err) ?? '')) throw new StoreUnavailableError(msg, err);
      throw new StoreError(msg, err);
    }
  }
}
