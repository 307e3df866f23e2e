// The IDX format of MNIST and Fashion-MNIST (big-endian magic: 0x00000803 images, 0x00000801 labels), gzipped or
// not, and the shared loader of both datasets: local folders first (Debian's /usr/share/datasets), then a download.
import { join } from 'node:path';
import type { ImageSplit } from './dataset.js';
import { DatasetFormatError, DatasetUnavailableError } from './errors.js';
import { ensureDownloaded, findFile, readMaybeGzip, type DataContext } from './files.js';

export interface Idx {
  dims: number[];
  data: Uint8Array;
}

export function parseIdx(buf: Buffer, source: string): Idx {
  if (buf.length < 8 || buf[0] !== 0 || buf[1] !== 0 || buf[2] !== 0x08) {
    throw new DatasetFormatError(source, 'not an unsigned-byte IDX file (bad magic number)');
  }
  const rank = buf[3]!;
  const dims = Array.from({ length: rank }, (_, i) => buf.readUInt32BE(4 + 4 * i));
  const start = 4 + 4 * rank;
  const size = dims.reduce((a, b) => a * b, 1);
  if (buf.length - start !== size) {
    throw new DatasetFormatError(source, `header says ${dims.join('×')} = ${size} bytes, the file has ${buf.length - start} (truncated?)`);
  }
  return { dims, data: new Uint8Array(buf.buffer, buf.byteOffset + start, size) };
}

export interface IdxSpec {
  what: string;
  /** Subfolder name under each search root. */
  folder: string;
  /** Extra absolute folders searched after ABLATE_DATA_DIR/<folder>. */
  systemFolders: string[];
  baseUrl: string;
  md5: Record<string, string>;
}

const FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
};

async function locate(base: string, spec: IdxSpec, ctx: DataContext): Promise<string> {
  const folders = [join(ctx.dataDir, spec.folder), ...spec.systemFolders];
  const found = findFile(folders.flatMap((f) => [join(f, base), join(f, `${base}.gz`)]));
  if (found) return found;
  const gz = `${base}.gz`;
  if (!spec.md5[gz]) throw new DatasetUnavailableError(`${spec.what}: ${base} not found in ${folders.join(', ')}`);
  return ensureDownloaded(join(ctx.dataDir, spec.folder, gz), { url: `${spec.baseUrl}${gz}`, md5: spec.md5[gz]!, what: `${spec.what} ${base}` }, ctx);
}

function split(imagesPath: string, labelsPath: string): { split: ImageSplit; height: number; width: number } {
  const images = parseIdx(readMaybeGzip(imagesPath), imagesPath);
  const labels = parseIdx(readMaybeGzip(labelsPath), labelsPath);
  if (images.dims.length !== 3 || labels.dims.length !== 1) throw new DatasetFormatError(imagesPath, 'expected N×H×W images and N labels');
  if (images.dims[0] !== labels.dims[0]) throw new DatasetFormatError(labelsPath, `${labels.dims[0]} labels for ${images.dims[0]} images`);
  return {
    split: { images: images.data.slice(), labels: Int32Array.from(labels.data), size: images.dims[0]! },
    height: images.dims[1]!,
    width: images.dims[2]!,
  };
}

export async function loadIdxDataset(spec: IdxSpec, ctx: DataContext) {
  const train = split(await locate(FILES.trainImages, spec, ctx), await locate(FILES.trainLabels, spec, ctx));
  const test = split(await locate(FILES.testImages, spec, ctx), await locate(FILES.testLabels, spec, ctx));
  return { train: train.split, test: test.split, height: train.height, width: train.width };
}
