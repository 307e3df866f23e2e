// The official CIFAR binary format: records of label byte(s) followed by 3072 pixel bytes, channel-planar RGB
// (1024 R, 1024 G, 1024 B, row-major). CIFAR-10: 1 label byte; CIFAR-100: coarse then fine label byte.
import { join } from 'node:path';
import { concatArrays } from '../io/concat.js';
import { readTar } from './archive.js';
import type { ImageSplit } from './dataset.js';
import { DatasetFormatError } from './errors.js';
import { ensureDownloaded, findFile, type DataContext } from './files.js';

const PIXELS = 32 * 32 * 3;

export interface CifarSpec {
  what: string;
  archive: string;
  url: string;
  md5: string;
  folder: string;
  train: string[];
  test: string;
  /** Label bytes per record and the class count of each. */
  labelBytes: 1 | 2;
  classes: number[];
}

export const CIFAR10: CifarSpec = {
  what: 'CIFAR-10',
  archive: 'cifar-10-binary.tar.gz',
  url: 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz',
  md5: 'c32a1d4ab5d03f1284b67883e8d87530',
  folder: 'cifar-10-batches-bin',
  train: [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`),
  test: 'test_batch.bin',
  labelBytes: 1,
  classes: [10],
};

export const CIFAR100: CifarSpec = {
  what: 'CIFAR-100',
  archive: 'cifar-100-binary.tar.gz',
  url: 'https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz',
  md5: '03b5dce01913d631647c71ecec9e9cb8',
  folder: 'cifar-100-binary',
  train: ['train.bin'],
  test: 'test.bin',
  labelBytes: 2,
  classes: [20, 100],
};

export interface CifarData {
  train: ImageSplit;
  test: ImageSplit;
  /** Coarse labels (CIFAR-100 only). */
  trainCoarse?: Int32Array;
  testCoarse?: Int32Array;
  labelNames: Record<string, string[]>;
}

/** Parses concatenated records into HWC images and labels; `which` picks the label byte (0 = first). */
export function parseCifarRecords(buf: Buffer, spec: CifarSpec, source: string): { images: Uint8Array; labels: Int32Array[] } {
  const record = spec.labelBytes + PIXELS;
  if (buf.length === 0 || buf.length % record !== 0) {
    throw new DatasetFormatError(
      source,
      `${buf.length} bytes is not a whole number of ${record}-byte ${spec.what} records (truncated or not ${spec.what} binary)`,
    );
  }
  const n = buf.length / record;
  const images = new Uint8Array(n * PIXELS);
  const labels = spec.classes.map(() => new Int32Array(n));
  for (let i = 0; i < n; i++) {
    const r = i * record;
    spec.classes.forEach((classes, b) => {
      const l = buf[r + b]!;
      if (l >= classes) throw new DatasetFormatError(source, `record ${i} has label ${l}, outside 0..${classes - 1}`);
      labels[b]![i] = l;
    });
    const px = r + spec.labelBytes;
    const out = i * PIXELS;
    for (let p = 0; p < 1024; p++) {
      images[out + p * 3] = buf[px + p]!;
      images[out + p * 3 + 1] = buf[px + 1024 + p]!;
      images[out + p * 3 + 2] = buf[px + 2048 + p]!;
    }
  }
  return { images, labels };
}

/** Finds (or downloads) the archive or its extracted folder and reads both splits. */
export async function loadCifar(spec: CifarSpec, ctx: DataContext): Promise<CifarData> {
  const folder = findFile([join(ctx.dataDir, spec.folder)]);
  let read: (name: string) => { buf: Buffer; source: string } | undefined;
  if (folder) {
    const { readFileSync, existsSync } = await import('node:fs');
    read = (name) => (existsSync(join(folder, name)) ? { buf: readFileSync(join(folder, name)), source: join(folder, name) } : undefined);
  } else {
    const archive = await ensureDownloaded(join(ctx.dataDir, spec.archive), { url: spec.url, md5: spec.md5, what: spec.what }, ctx);
    const files = readTar(archive);
    read = (name) => {
      const buf = files.get(`${spec.folder}/${name}`);
      return buf ? { buf, source: `${archive}:${spec.folder}/${name}` } : undefined;
    };
  }
  const need = (name: string) => {
    const f = read(name);
    if (!f) throw new DatasetFormatError(folder ?? join(ctx.dataDir, spec.archive), `has no ${spec.folder}/${name}`);
    return f;
  };
  const parts = spec.train.map((name) => {
    const f = need(name);
    return parseCifarRecords(f.buf, spec, f.source);
  });
  const t = need(spec.test);
  const test = parseCifarRecords(t.buf, spec, t.source);
  const train = {
    images: concatArrays(
      parts.map((p) => p.images),
      Uint8Array,
    ),
    labels: spec.classes.map((_, b) =>
      concatArrays(
        parts.map((p) => p.labels[b]!),
        Int32Array,
      ),
    ),
  };
  const last = spec.classes.length - 1;
  const names = (file: string) =>
    read(file)
      ?.buf.toString('utf8')
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean);
  const labelNames: Record<string, string[]> = {};
  if (spec.labelBytes === 2) {
    labelNames.coarse = names('coarse_label_names.txt') ?? [];
    labelNames.fine = names('fine_label_names.txt') ?? [];
  } else {
    labelNames.fine = names('batches.meta.txt') ?? [];
  }
  return {
    train: { images: train.images, labels: train.labels[last]!, size: train.labels[last]!.length },
    test: { images: test.images, labels: test.labels[last]!, size: test.labels[last]!.length },
    trainCoarse: spec.labelBytes === 2 ? train.labels[0] : undefined,
    testCoarse: spec.labelBytes === 2 ? test.labels[0] : undefined,
    labelNames,
  };
}
