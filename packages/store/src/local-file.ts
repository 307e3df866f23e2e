// Atomic writes of local files (temp file in the same folder, fsync, rename): a reader sees the old file or the whole
// new one, never a partial one, and a crash leaves at most a temp file that list() skips.
import { randomBytes } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { TEMP_SUFFIX } from './keys.js';

/** The byte count written differs from the one announced (e.g. a download cut short). */
export class TruncatedWriteError extends Error {
  constructor(
    readonly path: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`${path}: expected ${expected} bytes, wrote ${actual}`);
    this.name = new.target.name;
  }
}

/**
 * Writes `source` to `path` through `.<name>.<random>.ablate-tmp` beside it, then renames; creates missing parent folders.
 * The temp file is removed on any failure. When `expectedBytes` is given, a different size fails with TruncatedWriteError.
 */
export async function writeFileAtomic(path: string, source: Uint8Array | Readable, expectedBytes?: number): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path).slice(0, 180)}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
  const fh = await openTemp(tmp, dir);
  try {
    try {
      if (source instanceof Uint8Array) await writeAll(fh, source);
      else for await (const chunk of source) await writeAll(fh, chunk as Uint8Array);
      await fh.sync();
      const { size } = await fh.stat();
      if (expectedBytes !== undefined && size !== expectedBytes) throw new TruncatedWriteError(path, expectedBytes, size);
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
}

async function writeAll(fh: FileHandle, buf: Uint8Array): Promise<void> {
  for (let off = 0; off < buf.byteLength; ) off += (await fh.write(buf, off)).bytesWritten;
}

async function openTemp(tmp: string, dir: string): Promise<FileHandle> {
  await mkdir(dir, { recursive: true });
  try {
    return await open(tmp, 'wx');
  } catch (err) {
    // A concurrent deletePrefix may have removed the folder just emptied between mkdir and open: make it once more.
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    await mkdir(dir, { recursive: true });
    return await open(tmp, 'wx');
  }
}

/** The errno code of a Node I/O error, if any. */
export function errnoCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
