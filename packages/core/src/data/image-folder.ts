// An image-folder dataset (torchvision's ImageFolder layout): one subfolder per class, PNG/JPEG files, decoded with
// sharp and resized to size×size RGB. With train/ and test/ (or val/) subfolders those are the splits; otherwise a
// seeded, per-class split by testFraction. The path must resolve (symlinks followed) inside the data roots
// (ABLATE_DATA_DIR, ABLATE_DATA_ROOTS); messages name files by the path as given, never by where it resolved.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { DATA_PATH_REFUSED, parseDataRoots, resolveDataPath } from '@ablate/spec';
import sharp from 'sharp';
import { Rng } from '../rng.js';
import type { ImageDataset, ImageSplit } from './dataset.js';
import { channelStats } from './dataset.js';
import { DatasetFormatError, DatasetUnavailableError } from './errors.js';
import type { DataContext } from './files.js';
import { registerDataset } from './registry.js';

const EXTENSIONS = new Set(['.png', '.jpg', '.jpeg']);

export interface ImageFolderOptions {
  path: string;
  size: number;
  testFraction: number;
  dataSeed: number;
}

const dirs = (p: string) =>
  readdirSync(p)
    .filter((n) => !n.startsWith('.') && statSync(join(p, n)).isDirectory())
    .sort();

/** [file, class index] for every image under root/<class>/. */
function listImages(root: string, classes: string[]): [string, number][] {
  return classes.flatMap((cls, i) => {
    const dir = join(root, cls);
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((f) => EXTENSIONS.has(extname(f).toLowerCase()))
      .sort()
      .map((f) => [join(dir, f), i] as [string, number]);
  });
}

/** Decodes `files`; a file that fails is named as in `shownAs` (the path as the config gave it). */
async function decode(files: [string, number][], size: number, shownAs: [string, number][]): Promise<ImageSplit> {
  const pixels = size * size * 3;
  const images = new Uint8Array(files.length * pixels);
  const labels = new Int32Array(files.length);
  await Promise.all(
    files.map(async ([file, label], i) => {
      try {
        const raw = await sharp(file).removeAlpha().toColourspace('srgb').resize(size, size, { fit: 'fill' }).raw().toBuffer();
        if (raw.length !== pixels) throw new Error(`decoded to ${raw.length} bytes, expected ${pixels}`);
        images.set(raw, i * pixels);
        labels[i] = label;
      } catch (err) {
        throw new DatasetFormatError(shownAs[i]![0], `cannot be decoded as an image (${(err as Error).message})`, err);
      }
    }),
  );
  return { images, labels, size: files.length };
}

export async function imageFolderDataset(o: ImageFolderOptions, ctx: DataContext): Promise<ImageDataset> {
  const roots = [ctx.dataDir, ...(ctx.dataRoots ?? parseDataRoots(process.env.ABLATE_DATA_ROOTS))];
  const root = await resolveDataPath(o.path, { dataDir: ctx.dataDir, roots });
  // Outside the roots, a symlink out, missing or not a folder: one message, so a config cannot probe the disk.
  if (root === undefined || root === 'missing' || !statSync(root).isDirectory()) throw new DatasetUnavailableError(DATA_PATH_REFUSED);
  const sub = dirs(root);
  const testDir = ['test', 'val'].find((d) => sub.includes(d));
  let trainFiles: [string, number][];
  let testFiles: [string, number][];
  let classes: string[];
  if (sub.includes('train') && testDir) {
    classes = dirs(join(root, 'train'));
    trainFiles = listImages(join(root, 'train'), classes);
    testFiles = listImages(join(root, testDir), classes);
  } else {
    classes = sub;
    const all = listImages(root, classes);
    const rng = new Rng(o.dataSeed, 'image-folder/split');
    trainFiles = [];
    testFiles = [];
    classes.forEach((_, c) => {
      const mine = all.filter(([, l]) => l === c);
      const order = rng.permutation(mine.length);
      const nTest = Math.round(mine.length * o.testFraction);
      for (const [r, k] of order.entries()) (r < nTest ? testFiles : trainFiles).push(mine[k]!);
    });
  }
  if (classes.length < 2) throw new DatasetFormatError(o.path, `needs at least two class subfolders, found ${classes.length}`);
  if (!trainFiles.length || !testFiles.length)
    throw new DatasetFormatError(o.path, `has ${trainFiles.length} training and ${testFiles.length} test images`);
  const shown = (files: [string, number][]): [string, number][] => files.map(([f, l]) => [join(o.path, relative(root, f)), l]);
  const train = await decode(trainFiles, o.size, shown(trainFiles));
  const test = await decode(testFiles, o.size, shown(testFiles));
  return {
    name: 'image_folder',
    classes: classes.length,
    height: o.size,
    width: o.size,
    channels: 3,
    ...channelStats(train, 3),
    train,
    test,
    classNames: classes,
  };
}

registerDataset('image_folder', (o, ctx) => imageFolderDataset(o as unknown as ImageFolderOptions, ctx));
