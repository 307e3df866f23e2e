// Where datasets live and how they arrive: ABLATE_DATA_DIR (default ~/.cache/ablate/datasets), extra search paths
// (Debian's /usr/share/datasets), and downloads with progress and an md5 check, failing clearly when offline.
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gunzipSync } from 'node:zlib';
import { DatasetFormatError, DatasetUnavailableError } from './errors.js';

export interface DataContext {
  /** Folder datasets are read from and downloaded to. */
  dataDir: string;
  /** Folders besides dataDir an image_folder path may resolve into (ABLATE_DATA_ROOTS; default: read from the env). */
  dataRoots?: string[];
  /** Whether a missing dataset may be downloaded. */
  download: boolean;
  /** Progress of downloads and other slow steps. */
  onProgress?: (event: { what: string; done: number; total?: number }) => void;
}

export function dataContextFromEnv(env: NodeJS.ProcessEnv = process.env): DataContext {
  return {
    dataDir: env.ABLATE_DATA_DIR ?? join(homedir(), '.cache', 'ablate', 'datasets'),
    download: !['0', 'false', 'no'].includes((env.ABLATE_DOWNLOAD ?? 'true').toLowerCase()),
  };
}

/** The first existing path among the candidates, or undefined. */
export function findFile(candidates: string[]): string | undefined {
  return candidates.find((p) => existsSync(p));
}

/** Reads a file, gunzipping it when it starts with the gzip magic. */
export function readMaybeGzip(path: string): Buffer {
  const raw = readFileSync(path);
  if (raw[0] !== 0x1f || raw[1] !== 0x8b) return raw;
  try {
    return gunzipSync(raw);
  } catch (err) {
    throw new DatasetFormatError(path, `is truncated or not valid gzip (${(err as Error).message}); delete it and fetch it again`, err);
  }
}

export interface Remote {
  url: string;
  md5: string;
  /** Human name for messages ("CIFAR-100"). */
  what: string;
}

/**
 * Makes sure `dest` exists: downloads `remote` there (to a temporary name, md5-checked, then renamed) when allowed,
 * or throws DatasetUnavailableError saying where to put the file.
 */
export async function ensureDownloaded(dest: string, remote: Remote, ctx: DataContext): Promise<string> {
  if (existsSync(dest)) return dest;
  const manual = `Download ${remote.url} (md5 ${remote.md5}) and put it at ${dest}, or set ABLATE_DATA_DIR to the folder that holds it.`;
  if (!ctx.download) throw new DatasetUnavailableError(`${remote.what} is not at ${dest} and downloads are off (ABLATE_DOWNLOAD=false). ${manual}`);
  mkdirSync(dirname(dest), { recursive: true });
  const tmp = `${dest}.part`;
  try {
    const res = await fetch(remote.url);
    if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
    const total = Number(res.headers.get('content-length')) || undefined;
    const md5 = createHash('md5');
    let done = 0;
    const body = Readable.fromWeb(res.body as never);
    body.on('data', (chunk: Buffer) => {
      md5.update(chunk);
      done += chunk.length;
      ctx.onProgress?.({ what: remote.what, done, total });
    });
    await pipeline(body, createWriteStream(tmp));
    const got = md5.digest('hex');
    if (got !== remote.md5) throw new Error(`md5 ${got} does not match ${remote.md5}`);
    renameSync(tmp, dest);
    return dest;
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new DatasetUnavailableError(`${remote.what} could not be downloaded from ${remote.url} (${(err as Error).message}). ${manual}`, err);
  }
}
