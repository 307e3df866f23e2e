// Reads the regular files of a .tar or .tar.gz archive into memory (ustar, GNU long names, pax headers skipped).
import { readMaybeGzip } from './files.js';
import { DatasetFormatError } from './errors.js';

export function readTar(path: string): Map<string, Buffer> {
  const buf = readMaybeGzip(path);
  const files = new Map<string, Buffer>();
  let off = 0;
  let longName: string | undefined;
  while (off + 512 <= buf.length) {
    const header = buf.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, len: number) =>
      header
        .subarray(start, start + len)
        .toString('latin1')
        .replace(/\0.*$/s, '');
    const size = Number.parseInt(field(124, 12).trim() || '0', 8);
    if (!Number.isFinite(size)) throw new DatasetFormatError(path, `corrupt tar header at byte ${off}`);
    const type = field(156, 1) || '0';
    const prefix = field(345, 155);
    const name = longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    const start = off + 512;
    if (start + size > buf.length)
      throw new DatasetFormatError(path, `archive is truncated: ${name} needs ${size} bytes, ${buf.length - start} left`);
    const data = buf.subarray(start, start + size);
    longName = undefined;
    if (type === 'L') longName = data.toString('utf8').replace(/\0.*$/s, '');
    else if (type === '0' || type === '7') files.set(name.replace(/^\.\//, ''), data);
    off = start + Math.ceil(size / 512) * 512;
  }
  return files;
}
